/** The two protocol revisions the example app serves, and the messages every test client starts with. */
export const MODERN = '2026-07-28';
export const LEGACY = '2025-11-25';

/** The 2026-07-28 `_meta` envelope of a client called `client`. */
export function modernMeta(client: string): Record<string, unknown> {
  return {
    'io.modelcontextprotocol/protocolVersion': MODERN,
    'io.modelcontextprotocol/clientCapabilities': {},
    'io.modelcontextprotocol/clientInfo': { name: client, version: '1' },
  };
}

/** The 2025-11-25 handshake's `initialize`, as JSON text. */
export function initializeText(id: number | string, client: string): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: client, version: '1' } },
  });
}

export const INITIALIZED_TEXT = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' });

/** `tools/call` of the example's `search_notes` ("milk"), with `meta` as its `_meta` when given. */
export function searchNotesText(id: number | string, meta?: object): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name: 'search_notes', arguments: { query: 'milk' }, ...(meta && { _meta: meta }) },
  });
}

/** Headers of a POST in 2025-11-25 session `sessionId`. */
export function legacyHeaders(sessionId: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-session-id': sessionId,
    'mcp-protocol-version': LEGACY,
  };
}
