import {
  LEGACY_HEADERS,
  LEGACY_INITIALIZE,
  modernHeaders,
  modernMeta,
} from '../../http/support/http-harness.js';

/** `Authorization` for `token`, or nothing. */
export function bearer(token: string | undefined): Record<string, string> {
  return token === undefined ? {} : { authorization: `Bearer ${token}` };
}

/** A 2026-07-28 (stateless) request over Streamable HTTP. */
export function modernCall(
  url: string,
  token: string | undefined,
  method: string,
  params: Record<string, unknown> = {},
  name?: string,
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { ...modernHeaders(method, name), ...bearer(token) },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: { ...params, _meta: modernMeta() } }),
  });
}

/** `tools/call` of `tool` in the 2026 era. */
export function modernToolCall(
  url: string,
  token: string | undefined,
  tool: string,
  args: Record<string, unknown> = {},
): Promise<Response> {
  return modernCall(url, token, 'tools/call', { name: tool, arguments: args }, tool);
}

/** Opens a 2025-11-25 session with `token`; returns its id. */
export async function openSession(url: string, token: string): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { ...LEGACY_HEADERS, accept: 'application/json', ...bearer(token) },
    body: JSON.stringify(LEGACY_INITIALIZE),
  });
  if (response.status !== 200)
    throw new Error(`initialize: HTTP ${response.status} ${await response.text()}`);
  await response.text();
  const sessionId = response.headers.get('mcp-session-id')!;
  await legacyPost(url, token, sessionId, { jsonrpc: '2.0', method: 'notifications/initialized' });
  return sessionId;
}

/** A POST in a 2025 session, answered as JSON. */
export function legacyPost(
  url: string,
  token: string | undefined,
  sessionId: string,
  message: unknown,
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      ...LEGACY_HEADERS,
      accept: 'application/json',
      'mcp-session-id': sessionId,
      'mcp-protocol-version': '2025-11-25',
      ...bearer(token),
    },
    body: JSON.stringify(message),
  });
}

/** The parameters of a `WWW-Authenticate: Bearer ...` challenge. */
export function challengeOf(
  response: { headers: Headers } | { headers: Record<string, unknown> },
): Record<string, string> {
  const headers = response.headers;
  const value =
    headers instanceof Headers ? headers.get('www-authenticate') : (headers['www-authenticate'] as string);
  if (value === null || value === undefined) throw new Error('no WWW-Authenticate header');
  if (!value.startsWith('Bearer ')) throw new Error(`not a Bearer challenge: ${value}`);
  const params: Record<string, string> = {};
  for (const match of value.slice(7).matchAll(/([a-z_]+)="([^"]*)"/g)) params[match[1]!] = match[2]!;
  return params;
}

/** A copy of a JWT whose signature no longer matches: one payload character changed. */
export function tampered(token: string): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
  claims['scope'] = 'notes:read notes:write admin';
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
