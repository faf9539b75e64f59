/**
 * The one call every peer answers: `tools/call` of an `echo` tool with `{ text }`, answered
 * with one text block. Built once here so every loader sends byte-identical bodies.
 */

export const MODERN = '2026-07-28';
export const LEGACY = '2025-11-25';
export const ECHO_TEXT = 'hello';

export const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': MODERN,
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1.0.0' },
};

/** 2026-07-28 `tools/call`: the `_meta` envelope plus the standard request headers. */
export function modernCall(id: number | string): Record<string, unknown> {
  return {
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name: 'echo', arguments: { text: ECHO_TEXT }, _meta: MODERN_META },
  };
}

export const MODERN_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': MODERN,
  'mcp-method': 'tools/call',
  'mcp-name': 'echo',
};

/** 2025-11-25 `tools/call` inside a session. */
export function legacyCall(id: number | string): Record<string, unknown> {
  return {
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name: 'echo', arguments: { text: ECHO_TEXT } },
  };
}

export function legacyHeaders(sessionId?: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': LEGACY,
    ...(sessionId !== undefined && { 'mcp-session-id': sessionId }),
  };
}

export function initializeRequest(id: number | string): Record<string, unknown> {
  return {
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'bench', version: '1.0.0' } },
  };
}

export const INITIALIZED = { jsonrpc: '2.0', method: 'notifications/initialized' };

/** What a correct answer contains, checked once per scenario before it is loaded. */
export function isEchoAnswer(body: string): boolean {
  return (
    body.includes(`"text":"${ECHO_TEXT}"`) && body.includes('"result"') && !body.includes('"isError":true')
  );
}

/** The answer the ceiling servers (raw node:http, raw ws, bare Nest) send: the same JSON. */
export function echoAnswer(id: unknown): Record<string, unknown> {
  return { jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: ECHO_TEXT }] } };
}
