// The conformance CLI's client under test: `node conformance-client.js <server-url>`, with the
// scenario in MCP_CONFORMANCE_SCENARIO. It drives OUR fallback client (Node entry), forced to
// Streamable HTTP: the scenario servers speak nothing else, so a fallback would only add
// failed WebSocket and polling attempts to their logs.
import {
  ClientCredentialsProvider,
  CrossAppAccessProvider,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  PrivateKeyJwtProvider,
  requestJwtAuthorizationGrant,
  UnauthorizedError,
} from '@modelcontextprotocol/client';
import { McpFallbackClient, type McpFallbackClientOptions } from '../../../libs/mcp/src/client/node.js';
import { HeadlessOAuthProvider } from '../../support/headless-oauth.provider.js';
import { argumentsFor } from './schema-arguments.js';

type Scenario = (mcp: McpFallbackClient) => Promise<void>;

/** Lists the tools and calls the ones a scenario names (all of them when `only` is absent). */
function callTools(only?: readonly string[], args: Record<string, Record<string, unknown>> = {}): Scenario {
  return async (mcp) => {
    const { tools } = await authorized(() => mcp.listTools());
    for (const tool of tools) {
      if (only !== undefined && !only.includes(tool.name)) continue;
      await authorized(() => mcp.callTool(tool.name, args[tool.name] ?? argumentsFor(tool.inputSchema)));
    }
  };
}

// ---- OAuth (the auth/* scenarios) ------------------------------------------------------------

/** Where the headless provider says the user agent returns; never listened on (it reads the redirect). */
const REDIRECT_URL = 'http://localhost:3000/callback';
/** The Client ID Metadata Document URL the suite's authorization server accepts. */
const CIMD_URL = 'https://conformance-test.local/client-metadata.json';

/** The suite's context for the scenario (`MCP_CONFORMANCE_CONTEXT`): credentials, keys. */
const context = JSON.parse(process.env['MCP_CONFORMANCE_CONTEXT'] ?? '{}') as Record<string, string>;
let headless: HeadlessOAuthProvider | undefined;
let current: McpFallbackClient | undefined;

/** The SDK's OAuth provider for the scenario: client credentials where the suite gives them, else the browser flow. */
function authProviderFor(name: string): OAuthClientProvider | undefined {
  if (!name.startsWith('auth/')) return undefined;
  if (name === 'auth/client-credentials-basic') {
    return new ClientCredentialsProvider({
      clientId: context['client_id']!,
      clientSecret: context['client_secret']!,
    });
  }
  if (name === 'auth/client-credentials-jwt') {
    return new PrivateKeyJwtProvider({
      clientId: context['client_id']!,
      privateKey: context['private_key_pem']!,
      algorithm: context['signing_algorithm'] ?? 'ES256',
    });
  }
  if (name === 'auth/enterprise-managed-authorization') {
    // SEP-990: the enterprise IdP's ID token is exchanged for an ID-JAG (RFC 8693) at the IdP,
    // which the MCP server's authorization server takes in a JWT-bearer grant (RFC 7523).
    return new CrossAppAccessProvider({
      clientId: context['client_id']!,
      clientSecret: context['client_secret']!,
      assertion: async (target) =>
        (
          await requestJwtAuthorizationGrant({
            tokenEndpoint: context['idp_token_endpoint']!,
            audience: target.authorizationServerUrl,
            resource: target.resourceUrl,
            idToken: context['idp_id_token']!,
            clientId: context['idp_client_id']!,
            scope: target.scope,
            fetchFn: target.fetchFn,
          })
        ).jwtAuthGrant,
    });
  }
  if (name === 'auth/wif-jwt-bearer')
    return new WorkloadIdentityProvider(context['client_id']!, context['valid_jwt']!);
  const preRegistered =
    context['client_id'] === undefined
      ? undefined
      : { client_id: context['client_id'], client_secret: context['client_secret'] };
  headless = new HeadlessOAuthProvider(REDIRECT_URL, {}, preRegistered, CIMD_URL);
  return name.startsWith('auth/dpop') ? headless.useDpop() : headless;
}

/**
 * Runs `step`; when it stops for the user's authorization (the first 401, or a 403 step-up),
 * completes it with the authorization response the headless browser got and runs it again.
 */
async function authorized<T>(step: () => Promise<T>): Promise<T> {
  for (let round = 0; ; round++) {
    try {
      return await step();
    } catch (error) {
      const callback = headless?.callback;
      if (!(error instanceof UnauthorizedError) || callback === undefined || round >= 2) throw error;
      headless!.callback = undefined;
      await current!.finishAuth(callback);
    }
  }
}

/** Header mirroring: once with plain values, once with strings that need Base64 in a header. */
const customHeaders: Scenario = async (mcp) => {
  await callTools()(mcp);
  const { tools } = await mcp.listTools();
  const tool = tools.find((candidate) => candidate.name === 'test_custom_headers');
  if (tool === undefined) return;
  const args = argumentsFor(tool.inputSchema, true);
  for (const [name, value] of Object.entries(args)) {
    if (typeof value === 'string') args[name] = `héllo wörld ${name}`;
  }
  await mcp.callTool(tool.name, args);
};

const SCENARIOS: Record<string, { run: Scenario; options?: McpFallbackClientOptions }> = {
  initialize: { run: async (mcp) => void (await mcp.listTools()) },
  tools_call: { run: callTools(['add_numbers'], { add_numbers: { a: 5, b: 3 } }) },
  'sse-retry': { run: callTools(['test_reconnection']) },
  'http-custom-headers': { run: customHeaders },
  'elicitation-sep1034-client-defaults': {
    run: callTools(['test_client_elicitation_defaults']),
    options: { clientOptions: { capabilities: { elicitation: { form: { applyDefaults: true } } } } },
  },
};

/** Scenarios not listed above: list the tools, call each with arguments its schema asks for. */
const GENERIC: { run: Scenario; options?: McpFallbackClientOptions } = { run: callTools() };

/**
 * Workload identity federation (SEP-1933): the workload's own JWT is the grant (RFC 7523
 * `jwt-bearer`), no user and no client secret. The SDK's `auth()` takes the token request
 * this provider prepares, as for its other non-interactive providers.
 */
class WorkloadIdentityProvider implements OAuthClientProvider {
  private stored: Awaited<ReturnType<OAuthClientProvider['tokens']>>;

  constructor(
    private readonly clientId: string,
    private readonly workloadJwt: string,
  ) {}

  get redirectUrl(): undefined {
    return undefined;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'nest-mcp-conformance-workload',
      redirect_uris: [],
      grant_types: ['urn:ietf:params:oauth:grant-type:jwt-bearer'],
      token_endpoint_auth_method: 'none',
    };
  }

  clientInformation() {
    return { client_id: this.clientId };
  }

  tokens() {
    return this.stored;
  }

  saveTokens(tokens: NonNullable<Awaited<ReturnType<OAuthClientProvider['tokens']>>>): void {
    this.stored = tokens;
  }

  prepareTokenRequest(scope?: string): URLSearchParams {
    return new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: this.workloadJwt,
      ...(scope !== undefined && { scope }),
    });
  }

  redirectToAuthorization(): void {
    throw new Error('workload identity needs no user authorization');
  }

  saveCodeVerifier(): void {}

  codeVerifier(): string {
    throw new Error('workload identity uses no PKCE');
  }
}

async function main(): Promise<number> {
  const url = process.argv[2];
  const name = process.env['MCP_CONFORMANCE_SCENARIO'] ?? '';
  if (url === undefined) {
    process.stderr.write('usage: MCP_CONFORMANCE_SCENARIO=<scenario> conformance-client <server-url>\n');
    return 2;
  }
  const scenario = SCENARIOS[name] ?? GENERIC;
  const mcp = new McpFallbackClient(url, {
    clientInfo: { name: 'nest-mcp-conformance-client', version: '0.1.0' },
    transports: ['streamable-http'],
    listen: false,
    reconnect: { enabled: false },
    clientOptions: { capabilities: { elicitation: { form: {} } } },
    ...scenario.options,
    authProvider: authProviderFor(name),
  });
  current = mcp;
  // Form elicitation (2025 requests, 2026 input_required rounds): accept with what the form
  // asks for; the sep1034 scenario wants an empty answer so the SDK applies the defaults.
  const emptyAnswers = name === 'elicitation-sep1034-client-defaults';
  mcp.client.setRequestHandler('elicitation/create', async (request) => ({
    action: 'accept',
    content: emptyAnswers
      ? {}
      : (argumentsFor((request.params as { requestedSchema?: unknown }).requestedSchema) as Record<
          string,
          string
        >),
  }));
  await authorized(() => mcp.connect());
  try {
    await scenario.run(mcp);
  } finally {
    await mcp.close();
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`conformance client: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
