import { LOCALHOST_NAMES } from './origin-validation.js';

/**
 * DNS-rebinding protection by `Host`: a server bound to a loopback address only answers
 * requests that name a loopback host, so a rebound public name cannot reach it. Reused by
 * every transport on the MCP route.
 */

/** Why a `Host` was refused (safe to send), or undefined when it may proceed. */
export type HostCheck = (host: string | undefined) => string | undefined;

const MAX_CACHED_VERDICTS = 256;

/** Builds the check once. `allowed` holds hostnames without ports (IPv6 with brackets). */
export function createHostCheck(allowed: readonly string[]): HostCheck {
  const hostnames = new Set(allowed.map((name) => name.toLowerCase()));
  const verdicts = new Map<string, string | undefined>();
  return (host) => {
    if (host === undefined || host === '') return 'Forbidden: missing Host header';
    const cached = verdicts.get(host);
    if (cached !== undefined || verdicts.has(host)) return cached;
    const verdict = judge(host, hostnames);
    if (verdicts.size >= MAX_CACHED_VERDICTS) verdicts.clear();
    verdicts.set(host, verdict);
    return verdict;
  };
}

/** The default host check: localhost names when the server listens on loopback only, else none. */
export function defaultHostCheck(boundAddress: string | undefined): HostCheck | undefined {
  return boundAddress !== undefined && isLoopbackAddress(boundAddress)
    ? createHostCheck(LOCALHOST_NAMES)
    : undefined;
}

export function isLoopbackAddress(address: string): boolean {
  return (
    address === '::1' ||
    address === 'localhost' ||
    address.startsWith('127.') ||
    address.startsWith('::ffff:127.')
  );
}

function judge(host: string, hostnames: Set<string>): string | undefined {
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    return 'Forbidden: invalid Host header';
  }
  return hostnames.has(hostname) ? undefined : `Forbidden: Host ${hostname} is not allowed`;
}
