import type { ServerResponse } from 'node:http';
import { NO_STORE } from './polling.constants.js';

/** A poll answered with nothing new (its wait ran out, or a newer poll took its place). */
export const EMPTY_BATCH = '{"events":[]}';

/**
 * Answers a poll with a batch body (`{"events":[...]}`, `"closed":true` on the last), once: a
 * poll already answered or whose client left is skipped. Both the single-instance channel and
 * the fleet's shared channel answer their parked polls through this.
 */
export function writeBatch(res: ServerResponse, body: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...NO_STORE,
  });
  res.end(body);
}
