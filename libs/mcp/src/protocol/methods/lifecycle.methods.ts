import type {
  ClientCapabilities,
  Implementation,
  InitializeResult,
  Result,
} from '@modelcontextprotocol/server';
import { LATEST_LEGACY_PROTOCOL_VERSION, LEGACY_PROTOCOL_VERSIONS } from '../protocol-versions.js';
import type { RequestCall } from '../request-call.js';
import { requireObject, requireString } from './request-params.js';

/**
 * The 2025-era handshake: a requested revision we serve is accepted, any other gets the
 * latest 2025-era revision as counter-offer (a 2026 revision is never negotiated here).
 */
export function initialize(call: RequestCall): InitializeResult {
  const requested = requireString(call.params, 'protocolVersion', 'initialize');
  const capabilities = requireObject(call.params, 'capabilities', 'initialize') as ClientCapabilities;
  const clientInfo = requireObject(call.params, 'clientInfo', 'initialize') as unknown as Implementation;
  const protocolVersion = LEGACY_PROTOCOL_VERSIONS.includes(requested)
    ? requested
    : LATEST_LEGACY_PROTOCOL_VERSION;
  call.connection.completeHandshake(protocolVersion, clientInfo, capabilities);
  const { engine } = call;
  return {
    protocolVersion,
    capabilities: engine.capabilities.get(),
    serverInfo: engine.serverInfo,
    ...(engine.instructions !== undefined && { instructions: engine.instructions }),
  };
}

export function ping(): Result {
  return {};
}
