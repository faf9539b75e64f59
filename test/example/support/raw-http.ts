import { type Agent, type IncomingHttpHeaders, request } from 'node:http';

/** What came back for one HTTP request, or how it failed below HTTP. */
export type RawOutcome =
  | {
      readonly kind: 'response';
      readonly status: number;
      readonly headers: IncomingHttpHeaders;
      readonly text: string;
      /** The body parsed as JSON, or undefined when it is not JSON. */
      readonly body: any;
    }
  /** A socket error (`ECONNRESET`, `ECONNREFUSED`, `EPIPE`...; "socket hang up" is `ECONNRESET`). */
  | { readonly kind: 'error'; readonly code: string; readonly message: string }
  /** Nothing complete within the bound. */
  | { readonly kind: 'timeout' };

export interface RawRequest {
  readonly method?: string;
  readonly headers?: Record<string, string | number | string[]>;
  /** A string or bytes sent as one piece (with Content-Length unless the headers say chunked). */
  readonly body?: string | Buffer;
  /** The body as several writes, sent with `Transfer-Encoding: chunked` (node:http frames them). */
  readonly chunks?: ReadonlyArray<string | Buffer>;
  readonly agent?: Agent | false;
  readonly timeoutMs?: number;
}

/**
 * One HTTP request on node:http (keep-alive agents as real clients use them), resolving with
 * what happened instead of throwing: tests classify outcomes, including resets.
 */
export function rawRequest(url: string, options: RawRequest = {}): Promise<RawOutcome> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: RawOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const headers = { ...options.headers };
    const chunked = options.chunks !== undefined;
    if (!chunked && options.body !== undefined && !hasHeader(headers, 'content-length')) {
      headers['content-length'] = Buffer.byteLength(options.body);
    }
    const req = request(url, { method: options.method ?? 'GET', headers, agent: options.agent }, (res) => {
      const pieces: Buffer[] = [];
      res.on('data', (chunk: Buffer) => pieces.push(chunk));
      res.once('error', (error: NodeJS.ErrnoException) =>
        settle({ kind: 'error', code: error.code ?? 'ERROR', message: error.message }),
      );
      res.once('end', () => {
        const text = Buffer.concat(pieces).toString('utf8');
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        settle({ kind: 'response', status: res.statusCode ?? 0, headers: res.headers, text, body });
      });
    });
    const timer = setTimeout(() => {
      settle({ kind: 'timeout' });
      req.destroy();
    }, timeoutMs);
    req.once('error', (error: NodeJS.ErrnoException) =>
      settle({ kind: 'error', code: error.code ?? 'ERROR', message: error.message }),
    );
    if (chunked) {
      for (const chunk of options.chunks!) if (chunk.length > 0) req.write(chunk);
    } else if (options.body !== undefined) {
      req.write(options.body);
    }
    req.end();
  });
}

function hasHeader(headers: Record<string, unknown>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}
