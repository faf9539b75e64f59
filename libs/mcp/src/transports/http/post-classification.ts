import type { IncomingHttpHeaders } from 'node:http';
import {
  type JSONRPCErrorResponse,
  type JSONRPCNotification,
  type JSONRPCRequest,
  type JSONRPCResultResponse,
  PROTOCOL_VERSION_META_KEY,
  type RequestId,
} from '@modelcontextprotocol/server';
import { McpWireError } from '../../errors/wire-errors.js';
import { classifyJsonRpc } from '../../protocol/json-rpc-messages.js';
import { isModernProtocolVersion } from '../../protocol/protocol-versions.js';
import { hasEnvelopeClaim, metaOf, readRequestEnvelope } from '../../protocol/request-envelope.js';
import type { ToolHeaderParam } from '../../schema/header-params.js';
import { decodeHeaderValue } from './header-value.js';
import { headerValue } from './http-negotiation.js';
import { checkParamHeaders } from './param-header-check.js';

/**
 * The era of one POST, decided at the edge from the body first (a `_meta` envelope naming
 * a protocol version is 2026-07-28 traffic; `initialize` is the 2025 handshake), with the
 * standard headers as cross-checks, so the right connection serves it and ladder failures
 * get their HTTP status before any dispatch. The rules and their order follow the SDK's
 * inbound classification for revision 2026-07-28.
 */
export type PostRoute =
  | { readonly kind: 'reject'; readonly error: McpWireError; readonly id: RequestId | null }
  | { readonly kind: 'modern-request'; readonly message: JSONRPCRequest }
  | { readonly kind: 'modern-notification' }
  | { readonly kind: 'initialize'; readonly message: JSONRPCRequest }
  | {
      readonly kind: 'session';
      readonly message: JSONRPCRequest | JSONRPCNotification | JSONRPCResultResponse | JSONRPCErrorResponse;
      readonly isRequest: boolean;
    };

const PROTOCOL_VERSION_HEADER = 'mcp-protocol-version';
const METHOD_HEADER = 'mcp-method';
const NAME_HEADER = 'mcp-name';

/** Which body field `Mcp-Name` mirrors, per method (SEP-2243 standard request headers). */
const NAME_SOURCE: ReadonlyMap<string, string> = new Map([
  ['tools/call', 'name'],
  ['prompts/get', 'name'],
  ['resources/read', 'uri'],
  ['tasks/get', 'taskId'],
  ['tasks/update', 'taskId'],
  ['tasks/cancel', 'taskId'],
]);

/** The `Mcp-Param-*` headers a tool's calls must carry (`undefined`: none, or no such tool). */
export type HeaderParamsLookup = (tool: string) => readonly ToolHeaderParam[] | undefined;

export function classifyPost(
  value: unknown,
  headers: IncomingHttpHeaders,
  hasSession: boolean,
  headerParamsOf: HeaderParamsLookup,
): PostRoute {
  if (Array.isArray(value)) {
    return reject('invalid-request', 'Invalid Request: JSON-RPC batches are not supported', null);
  }
  const classified = classifyJsonRpc(value);
  const versionHeader = headerValue(headers, PROTOCOL_VERSION_HEADER);
  switch (classified.kind) {
    case 'invalid':
      return { kind: 'reject', error: classified.error, id: classified.id };
    case 'response':
      return hasSession
        ? { kind: 'session', message: classified.message, isRequest: false }
        : reject('session-required', 'Bad Request: Mcp-Session-Id header is required', null);
    case 'notification': {
      const { message } = classified;
      const claimed = claimedVersion(message.params);
      if (claimed === undefined && hasEnvelopeClaim(message.params)) {
        return reject(
          'invalid-envelope',
          'Invalid _meta envelope: the protocol version must be a string',
          null,
        );
      }
      if (claimed === undefined && !(versionHeader !== undefined && isModernProtocolVersion(versionHeader))) {
        return hasSession
          ? { kind: 'session', message, isRequest: false }
          : reject('session-required', 'Bad Request: Mcp-Session-Id header is required', null);
      }
      if (claimed !== undefined && versionHeader !== undefined && versionHeader !== claimed) {
        return mismatch(
          `the body names protocol version ${claimed} but MCP-Protocol-Version names ${versionHeader}`,
          null,
        );
      }
      const methodHeader = headerValue(headers, METHOD_HEADER);
      if (methodHeader !== undefined && methodHeader !== message.method) {
        return mismatch(`the body names method ${message.method} but Mcp-Method names ${methodHeader}`, null);
      }
      return { kind: 'modern-notification' };
    }
    case 'request':
      return classifyRequest(classified.message, headers, versionHeader, hasSession, headerParamsOf);
  }
}

function classifyRequest(
  message: JSONRPCRequest,
  headers: IncomingHttpHeaders,
  versionHeader: string | undefined,
  hasSession: boolean,
  headerParamsOf: HeaderParamsLookup,
): PostRoute {
  const { id, method } = message;
  const params = message.params as Record<string, unknown> | undefined;
  const headerNamesModern = versionHeader !== undefined && isModernProtocolVersion(versionHeader);
  if (!hasEnvelopeClaim(params)) {
    if (method === 'initialize') {
      return headerNamesModern
        ? mismatch('an initialize request (2025 handshake) carries a 2026 MCP-Protocol-Version header', id)
        : { kind: 'initialize', message };
    }
    if (headerNamesModern) {
      return reject(
        'invalid-envelope',
        `Invalid params: MCP-Protocol-Version names ${versionHeader} but the request has no _meta envelope`,
        id,
      );
    }
    if (hasSession) return { kind: 'session', message, isRequest: true };
    // A bare probe: the engine answers it (the missing envelope is its to report).
    if (method === 'server/discover') return { kind: 'modern-request', message };
    return reject('session-required', 'Bad Request: Mcp-Session-Id header is required', id);
  }
  // The body claims the 2026 envelope: it is checked here, before dispatch.
  let unsupported: McpWireError | undefined;
  try {
    readRequestEnvelope(params);
  } catch (error) {
    const wire = error as McpWireError;
    if (wire.kind !== 'unsupported-protocol-version') {
      return reject('invalid-envelope', wire.message, id);
    }
    unsupported = wire;
  }
  const claimed = claimedVersion(params)!;
  if (versionHeader !== undefined && versionHeader !== claimed) {
    return mismatch(
      `the body names protocol version ${claimed} but MCP-Protocol-Version names ${versionHeader}`,
      id,
    );
  }
  const methodHeader = headerValue(headers, METHOD_HEADER);
  if (methodHeader !== undefined && methodHeader !== method) {
    return mismatch(`the body names method ${method} but Mcp-Method names ${methodHeader}`, id);
  }
  if (unsupported !== undefined) return { kind: 'reject', error: unsupported, id };
  if (versionHeader === undefined) return mismatch('the required MCP-Protocol-Version header is missing', id);
  if (methodHeader === undefined) return mismatch('the required Mcp-Method header is missing', id);
  const nameProblem = checkNameHeader(method, params, headerValue(headers, NAME_HEADER));
  if (nameProblem !== undefined) return mismatch(nameProblem, id);
  // Last rung: it needs the tool, so only a call that passed every other check pays a lookup.
  const mirrored =
    method === 'tools/call' && typeof params?.['name'] === 'string'
      ? headerParamsOf(params['name'])
      : undefined;
  if (mirrored !== undefined) {
    const paramProblem = checkParamHeaders(mirrored, params?.['arguments'], headers);
    if (paramProblem !== undefined) return mismatch(paramProblem, id);
  }
  return { kind: 'modern-request', message };
}

/** `Mcp-Name` must mirror `params.name` / `uri` / `taskId` on the methods that have one. */
function checkNameHeader(
  method: string,
  params: Record<string, unknown> | undefined,
  header: string | undefined,
): string | undefined {
  const field = NAME_SOURCE.get(method);
  if (field === undefined) return undefined;
  const raw = params?.[field];
  const bodyValue = typeof raw === 'string' ? raw : undefined;
  if (header === undefined) {
    return bodyValue === undefined ? undefined : `the required Mcp-Name header is missing (params.${field})`;
  }
  const decoded = decodeHeaderValue(header);
  if (decoded === undefined) return 'Mcp-Name carries an invalid Base64 value';
  if (bodyValue !== undefined && decoded !== bodyValue) {
    return `the body names params.${field}="${bodyValue}" but Mcp-Name names "${decoded}"`;
  }
  return undefined;
}

function claimedVersion(params: Record<string, unknown> | undefined): string | undefined {
  if (!hasEnvelopeClaim(params)) return undefined;
  const version = metaOf(params)![PROTOCOL_VERSION_META_KEY];
  return typeof version === 'string' ? version : undefined;
}

function reject(kind: McpWireError['kind'], message: string, id: RequestId | null): PostRoute {
  return { kind: 'reject', error: new McpWireError(kind, message), id };
}

function mismatch(detail: string, id: RequestId | null): PostRoute {
  return reject('header-mismatch', `Bad Request: the request headers and body disagree: ${detail}`, id);
}
