import {
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  type ClientCapabilities,
  type Implementation,
  LOG_LEVEL_META_KEY,
  type LoggingLevel,
  PROTOCOL_VERSION_META_KEY,
} from '@modelcontextprotocol/server';
import { McpWireError } from '../errors/wire-errors.js';
import { isLoggingLevel } from './logging-levels.js';
import { MODERN_PROTOCOL_VERSIONS } from './protocol-versions.js';

/** The per-request `_meta` envelope of revision 2026-07-28, checked. */
export interface RequestEnvelope {
  readonly protocolVersion: string;
  readonly clientCapabilities: ClientCapabilities;
  readonly clientInfo?: Implementation;
  readonly logLevel?: LoggingLevel;
}

export function metaOf(params: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const meta = params?.['_meta'];
  return meta !== null && typeof meta === 'object' && !Array.isArray(meta)
    ? (meta as Record<string, unknown>)
    : undefined;
}

/** A message claims the 2026 envelope when its `_meta` names a protocol version. */
export function hasEnvelopeClaim(params: Record<string, unknown> | undefined): boolean {
  const meta = metaOf(params);
  return meta !== undefined && PROTOCOL_VERSION_META_KEY in meta;
}

/**
 * Reads and checks the envelope: missing or malformed keys are -32602 naming the key; a
 * well-formed envelope naming a revision not served is -32022 listing those served.
 */
export function readRequestEnvelope(params: Record<string, unknown> | undefined): RequestEnvelope {
  const meta = metaOf(params);
  if (meta === undefined || !(PROTOCOL_VERSION_META_KEY in meta)) {
    throw envelopeError(
      'Request is missing the required _meta envelope for protocol revision 2026-07-28 ' +
        `(${PROTOCOL_VERSION_META_KEY}, ${CLIENT_CAPABILITIES_META_KEY})`,
    );
  }
  const protocolVersion = meta[PROTOCOL_VERSION_META_KEY];
  if (typeof protocolVersion !== 'string') {
    throw envelopeError(`Invalid _meta envelope: ${PROTOCOL_VERSION_META_KEY} must be a string`);
  }
  const clientCapabilities = meta[CLIENT_CAPABILITIES_META_KEY];
  if (!isPlainObject(clientCapabilities)) {
    throw envelopeError(
      clientCapabilities === undefined
        ? `Invalid _meta envelope: ${CLIENT_CAPABILITIES_META_KEY} is required`
        : `Invalid _meta envelope: ${CLIENT_CAPABILITIES_META_KEY} must be an object`,
    );
  }
  const clientInfo = meta[CLIENT_INFO_META_KEY];
  if (
    clientInfo !== undefined &&
    !(
      isPlainObject(clientInfo) &&
      typeof clientInfo['name'] === 'string' &&
      typeof clientInfo['version'] === 'string'
    )
  ) {
    throw envelopeError(
      `Invalid _meta envelope: ${CLIENT_INFO_META_KEY} must have a string name and version`,
    );
  }
  const logLevel = meta[LOG_LEVEL_META_KEY];
  if (logLevel !== undefined && !isLoggingLevel(logLevel)) {
    throw envelopeError(`Invalid _meta envelope: ${LOG_LEVEL_META_KEY} is not a logging level`);
  }
  if (!MODERN_PROTOCOL_VERSIONS.includes(protocolVersion)) {
    throw unsupportedModernVersion(protocolVersion);
  }
  return {
    protocolVersion,
    clientCapabilities: clientCapabilities as ClientCapabilities,
    clientInfo: clientInfo as Implementation | undefined,
    logLevel: logLevel as LoggingLevel | undefined,
  };
}

/** -32022 naming the 2026-era revisions served (and the one asked for, when there was one). */
export function unsupportedModernVersion(requested: string | undefined): McpWireError {
  return requested === undefined
    ? new McpWireError(
        'unsupported-protocol-version',
        'Unsupported protocol version: the request did not name a protocol version',
        { supported: [...MODERN_PROTOCOL_VERSIONS] },
      )
    : new McpWireError('unsupported-protocol-version', `Unsupported protocol version: ${requested}`, {
        supported: [...MODERN_PROTOCOL_VERSIONS],
        requested,
      });
}

function envelopeError(message: string): McpWireError {
  return new McpWireError('invalid-params', message);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
