import { exportJWK, generateKeyPair, SignJWT } from 'jose';

/**
 * What the authorized bench needs, made once per bench run: an ES256 key whose public half the
 * server fetches as its issuer's JWKS (served by the server process itself, see
 * `ours-http.server.ts`), and a JWT access token signed with it for the bench resource, valid
 * for the whole run. The loader sends the token; the server verifies it with `jose` once and
 * then finds it in its verified-token cache, as on any busy server.
 */
export const BENCH_ISSUER = 'https://bench-issuer.invalid';
export const BENCH_RESOURCE = 'http://127.0.0.1/mcp';

export interface BenchAuth {
  /** `BENCH_AUTH_JWK` of the server process: the public JWK. */
  readonly publicJwk: string;
  readonly token: string;
}

export async function createBenchAuth(): Promise<BenchAuth> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'ES256', use: 'sig' };
  const token = await new SignJWT({ scope: 'bench:call', client_id: 'bench' })
    .setProtectedHeader({ alg: 'ES256', kid: 'bench', typ: 'at+jwt' })
    .setIssuer(BENCH_ISSUER)
    .setAudience(BENCH_RESOURCE)
    .setSubject('bench-user')
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(privateKey);
  return { publicJwk: JSON.stringify(jwk), token };
}
