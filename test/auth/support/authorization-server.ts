import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import { followAuthorization } from '../../support/headless-oauth.provider.js';

/**
 * A real OAuth 2.1 / OpenID authorization server in-process (`oidc-provider`) on 127.0.0.1:
 * client credentials, authorization code with PKCE (through its development login and consent
 * pages), resource indicators (RFC 8707) issuing JWT access tokens whose `aud` is the resource
 * asked for, and token introspection (RFC 7662) for opaque tokens.
 */
export const CLIENTS = {
  /** Any notes scope, client credentials and authorization code. */
  full: { id: 'notes-app', secret: 'notes-app-secret-0123456789abcdef' },
  /** Client credentials limited to `notes:read`. */
  reader: { id: 'notes-reader', secret: 'notes-reader-secret-0123456789abc' },
  /** Tokens that live `SHORT_LIVED_SECONDS`. */
  shortLived: { id: 'short-lived', secret: 'short-lived-secret-0123456789abcd' },
  /** The resource server's own credentials, for introspection. */
  resourceServer: { id: 'mcp-resource-server', secret: 'mcp-resource-secret-0123456789ab' },
} as const;

/**
 * Lifetime of the short-lived client's tokens. `exp` is whole seconds after a floored `iat`, so
 * a token may have up to a second less: 3 s leave a loaded machine time to use it first.
 */
export const SHORT_LIVED_SECONDS = 3;

export const REDIRECT_URI = 'http://127.0.0.1/callback';
export const NOTES_SCOPES = 'notes:read notes:write';

export interface AuthorizationServer {
  readonly issuer: string;
  /** A token from the client credentials grant. */
  clientCredentials(options: {
    client?: { id: string; secret: string };
    scope: string;
    resource: string;
  }): Promise<string>;
  /** A token from the authorization code grant with PKCE (S256), user `alice` logging in and consenting. */
  authorizationCode(options: { scope: string; resource: string }): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts the server. Resources listed in `opaqueResources` get opaque (introspectable) tokens;
 * every other resource indicator gets a JWT access token for it.
 */
export async function startAuthorizationServer(
  options: { opaqueResources?: readonly string[] } = {},
): Promise<AuthorizationServer> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'test-key-1', alg: 'ES256', use: 'sig' };
  const opaque = new Set(options.opaqueResources ?? []);
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENTS.full.id,
        client_secret: CLIENTS.full.secret,
        grant_types: ['client_credentials', 'authorization_code'],
        response_types: ['code'],
        redirect_uris: [REDIRECT_URI],
        scope: `openid ${NOTES_SCOPES}`,
      },
      clientCredentialsOnly(CLIENTS.reader, 'notes:read'),
      clientCredentialsOnly(CLIENTS.shortLived, NOTES_SCOPES),
      clientCredentialsOnly(CLIENTS.resourceServer, ''),
    ],
    jwks: { keys: [signingKey] },
    clientDefaults: { id_token_signed_response_alg: 'ES256' },
    ttl: {
      AuthorizationCode: 60,
      // Client credentials tokens take this TTL, not the resource server's accessTokenTTL.
      ClientCredentials: (_ctx: unknown, _token: unknown, client: { clientId: string }) =>
        client.clientId === CLIENTS.shortLived.id ? SHORT_LIVED_SECONDS : 300,
      Grant: 600,
      IdToken: 300,
      Interaction: 600,
      Session: 600,
    },
    scopes: ['openid', 'notes:read', 'notes:write'],
    pkce: { required: () => true },
    cookies: { keys: ['test-cookie-key-0123456789'] },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      introspection: { enabled: true, allowedPolicy: async () => true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (_ctx: unknown, _client: unknown, oneOf?: string[]) => oneOf?.[0],
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: unknown, resource: string, client: { clientId: string }) => ({
          scope: NOTES_SCOPES,
          audience: resource,
          accessTokenTTL: client.clientId === CLIENTS.shortLived.id ? SHORT_LIVED_SECONDS : 300,
          accessTokenFormat: opaque.has(resource) ? 'opaque' : 'jwt',
          ...(!opaque.has(resource) && { jwt: { sign: { alg: 'ES256' } } }),
        }),
      },
    },
    // Quiet: the provider would log every refused request to the console.
    renderError: async (ctx: { type: string; body: unknown }, out: unknown) => {
      ctx.type = 'json';
      ctx.body = out;
    },
  });
  server.on('request', provider.callback());
  return {
    issuer,
    clientCredentials: ({ client = CLIENTS.full, scope, resource }) =>
      tokenRequest(issuer, client, { grant_type: 'client_credentials', scope, resource }),
    authorizationCode: (request) => authorizationCodeFlow(issuer, request),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function clientCredentialsOnly(client: { id: string; secret: string }, scope: string) {
  return {
    client_id: client.id,
    client_secret: client.secret,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    ...(scope !== '' && { scope }),
  };
}

async function tokenRequest(
  issuer: string,
  client: { id: string; secret: string },
  form: Record<string, string>,
): Promise<string> {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
    },
    body: new URLSearchParams(form),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!response.ok || body.access_token === undefined) {
    throw new Error(`token request failed: HTTP ${response.status} ${JSON.stringify(body)}`);
  }
  return body.access_token;
}

/**
 * The authorization code grant as a browser would run it (`followAuthorization`: the provider's
 * login and consent pages), then the code and the PKCE verifier for a token.
 */
async function authorizationCodeFlow(issuer: string, request: { scope: string; resource: string }) {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const query = new URLSearchParams({
    client_id: CLIENTS.full.id,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: `openid ${request.scope}`,
    resource: request.resource,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: randomBytes(8).toString('hex'),
    prompt: 'consent',
  });
  const callback = await followAuthorization(`${issuer}/auth?${query}`, REDIRECT_URI);
  const code = callback.get('code');
  if (code === null) throw new Error(`authorization failed: ${callback}`);
  return tokenRequest(issuer, CLIENTS.full, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: verifier,
    resource: request.resource,
  });
}
