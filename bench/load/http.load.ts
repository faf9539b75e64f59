import autocannon from 'autocannon';
import { type Measurement } from './measurement.js';

export interface HttpLoad {
  readonly kind: 'http';
  /** Headers of every request (session headers are added per request). */
  readonly headers: Record<string, string>;
  /** The request body for JSON-RPC id `id` (ids vary so in-session requests never collide). */
  readonly body: (id: number) => string;
  /** Opens this many 2025 sessions first and spreads requests over them round robin. */
  readonly sessions?: (url: string, count: number) => Promise<string[]>;
}

/**
 * autocannon, programmatic: `connections` keep-alive connections, one request in flight on
 * each (no pipelining: MCP clients wait for answers), for `seconds`.
 */
export async function runHttp(
  url: string,
  load: HttpLoad,
  connections: number,
  seconds: number,
): Promise<Measurement> {
  const sessionIds = load.sessions === undefined ? [] : await load.sessions(url, Math.min(connections, 50));
  let nextId = 1;
  let nextSession = 0;
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const id = nextId++;
          // A fresh object each time: autocannon writes content-length into the headers it is given.
          const headers =
            sessionIds.length === 0
              ? { ...load.headers }
              : { ...load.headers, 'mcp-session-id': sessionIds[nextSession++ % sessionIds.length]! };
          return { ...request, headers, body: load.body(id) };
        },
      },
    ],
  });
  return {
    rps: result.requests.total / (result.duration || seconds),
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}
