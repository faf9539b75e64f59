import type { DiscoverResult } from '@modelcontextprotocol/server';
import { MODERN_PROTOCOL_VERSIONS } from '../protocol-versions.js';
import type { RequestCall } from '../request-call.js';

/** 2026 era: what `initialize` used to tell, minus the negotiation. Server identity rides `_meta`. */
export function discover(call: RequestCall): DiscoverResult {
  const { engine } = call;
  return {
    supportedVersions: [...MODERN_PROTOCOL_VERSIONS],
    capabilities: engine.capabilities.modern(),
    ...(engine.instructions !== undefined && { instructions: engine.instructions }),
  } as DiscoverResult;
}
