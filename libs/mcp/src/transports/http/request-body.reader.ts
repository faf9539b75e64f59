import type { IncomingMessage } from 'node:http';
import { parseJsonRpc } from '../../protocol/json-rpc-messages.js';
import type { McpWireError } from '../../errors/wire-errors.js';

/** What reading a POST body gave. */
export type BodyOutcome =
  | { readonly kind: 'parsed'; readonly value: unknown }
  | { readonly kind: 'invalid'; readonly error: McpWireError }
  | { readonly kind: 'too-large' }
  /** Zero bytes, whether framed by `Content-Length: 0` or by an empty chunked body. */
  | { readonly kind: 'empty' }
  /** The client went away mid-body: nothing to answer. */
  | { readonly kind: 'aborted' };

const TOO_LARGE: BodyOutcome = { kind: 'too-large' };
const ABORTED: BodyOutcome = { kind: 'aborted' };
const EMPTY: BodyOutcome = { kind: 'empty' };

/**
 * Reads and parses a JSON body with a byte limit enforced before parsing: a declared
 * `Content-Length` over the limit is refused without reading, and a chunked body is
 * counted as it streams and refused as soon as it crosses the limit (the rest is drained,
 * so the connection stays usable).
 *
 * When something upstream already consumed the stream (an app-level body parser the
 * route was not exempted from, see `body-parser-exemption.ts`), its `req.body` is used.
 */
export function readJsonBody(req: IncomingMessage, limit: number): Promise<BodyOutcome> | BodyOutcome {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    req.resume();
    return TOO_LARGE;
  }
  if (req.readableEnded) return alreadyParsed((req as { body?: unknown }).body);
  return new Promise<BodyOutcome>((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.resume();
        resolve(TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      if (size === 0) {
        resolve(EMPTY);
        return;
      }
      const text =
        chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8');
      const parsed = parseJsonRpc(text);
      resolve(parsed.ok ? { kind: 'parsed', value: parsed.value } : { kind: 'invalid', error: parsed.error });
    };
    const onAbort = () => {
      cleanup();
      resolve(ABORTED);
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onClose);
    };
    // 'close' before 'end' means the client went away mid-body.
    const onClose = () => {
      if (!req.readableEnded) onAbort();
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('close', onClose);
  });
}

function alreadyParsed(body: unknown): BodyOutcome {
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    const parsed = parseJsonRpc(body.toString());
    return parsed.ok ? { kind: 'parsed', value: parsed.value } : { kind: 'invalid', error: parsed.error };
  }
  return { kind: 'parsed', value: body };
}
