import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/server';

/**
 * Protocol revisions served. The 2025-era list (negotiated with `initialize`) is the SDK's
 * own; the 2026-era list is what `server/discover` advertises. The SDK keeps its modern
 * list internal, so the one revision is named here; nothing else in the library spells it.
 */
export const MODERN_PROTOCOL_VERSION = '2026-07-28';
export const MODERN_PROTOCOL_VERSIONS: readonly string[] = [MODERN_PROTOCOL_VERSION];
export const LEGACY_PROTOCOL_VERSIONS: readonly string[] = SUPPORTED_PROTOCOL_VERSIONS.filter(
  (version) => !isModernProtocolVersion(version),
);
/** The counter-offer of `initialize` when the client asks for a revision not served. */
export const LATEST_LEGACY_PROTOCOL_VERSION: string = LATEST_PROTOCOL_VERSION;

/** Revision ids are ISO dates, so string order is release order. */
export function isModernProtocolVersion(version: string): boolean {
  return version >= MODERN_PROTOCOL_VERSION;
}
