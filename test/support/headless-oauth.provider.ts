import {
  DpopSession,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type StoredOAuthClientInformation,
  type StoredOAuthTokens,
} from '@modelcontextprotocol/client';

/**
 * Plays the user's browser through an authorization request: follows redirects with the
 * cookies set on the way and submits the forms it meets (a login form gets `login` /
 * `password`, a consent form its hidden `prompt`), until a redirect reaches `redirectUri`.
 * Servers that approve at once (the conformance suite's) just redirect.
 *
 * @returns the authorization response (the redirect's query: `code`, `state`, `iss`, ...).
 */
export async function followAuthorization(
  authorizationUrl: string,
  redirectUri: string,
): Promise<URLSearchParams> {
  const cookies = new Map<string, string>();
  let url = authorizationUrl;
  let form: Record<string, string> | undefined;
  for (let step = 0; step < 16; step++) {
    const response = await fetch(url, {
      method: form === undefined ? 'GET' : 'POST',
      redirect: 'manual',
      headers: {
        cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(form !== undefined && { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      body: form === undefined ? undefined : new URLSearchParams(form),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    form = undefined;
    const location = response.headers.get('location');
    if (location !== null) {
      await response.body?.cancel();
      const next = new URL(location, url);
      if (next.href.startsWith(redirectUri)) return next.searchParams;
      url = next.href;
      continue;
    }
    const page = await response.text();
    const action = /action="([^"]+)"/.exec(page)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(page)?.[1];
    if (action === undefined || prompt === undefined) {
      throw new Error(`authorization stopped at HTTP ${response.status}: ${page.slice(0, 300)}`);
    }
    url = new URL(action.replace(/&amp;/g, '&'), url).href;
    form = prompt === 'login' ? { prompt, login: 'alice', password: 'any' } : { prompt };
  }
  throw new Error('authorization did not reach the redirect URI');
}

/**
 * An SDK `OAuthClientProvider` for tests and the conformance client: in memory, and instead of
 * opening a browser it runs `followAuthorization` and keeps the response for `finishAuth`.
 */
export class HeadlessOAuthProvider implements OAuthClientProvider {
  /** The authorization response of the last redirect, for `McpFallbackClient.finishAuth`. */
  callback: URLSearchParams | undefined;
  private information: StoredOAuthClientInformation | undefined;
  private stored: StoredOAuthTokens | undefined;
  private verifier = '';
  /** Set by `useDpop()`: sender-constrained (DPoP, RFC 9449) tokens instead of bearer ones. */
  private dpopSession: Promise<DpopSession> | undefined;

  constructor(
    readonly redirectUrl: string,
    private readonly metadata: Partial<OAuthClientMetadata> = {},
    preRegistered?: StoredOAuthClientInformation,
    /** A Client ID Metadata Document URL, for servers that accept them. */
    readonly clientMetadataUrl?: string,
  ) {
    this.information = preRegistered;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'nest-mcp test client',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      ...this.metadata,
    };
  }

  clientInformation(): StoredOAuthClientInformation | undefined {
    return this.information;
  }

  saveClientInformation(information: StoredOAuthClientInformation): void {
    this.information = information;
  }

  tokens(): StoredOAuthTokens | undefined {
    return this.stored;
  }

  saveTokens(tokens: StoredOAuthTokens): void {
    this.stored = tokens;
  }

  async redirectToAuthorization(authorizationUrl: URL): Promise<void> {
    this.callback = await followAuthorization(authorizationUrl.href, this.redirectUrl);
  }

  /** Asks for DPoP-bound tokens (the SDK then signs proofs with one key for this provider's life). */
  useDpop(): this {
    this.dpopSession = DpopSession.create();
    return this;
  }

  dpop(): Promise<DpopSession> | undefined {
    return this.dpopSession;
  }

  saveCodeVerifier(codeVerifier: string): void {
    this.verifier = codeVerifier;
  }

  codeVerifier(): string {
    return this.verifier;
  }
}
