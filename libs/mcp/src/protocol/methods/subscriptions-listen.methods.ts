import type { RequestCall } from '../request-call.js';
import { ANSWERED_LATER } from './method-handler.js';

/** 2026 era: opens a change-notification stream; the request stays open (see ListenSubscriptions). */
export async function listen(call: RequestCall): Promise<typeof ANSWERED_LATER> {
  await call.connection.listenSubscriptions.listen(call.id, call.params, call.extra?.signal);
  return ANSWERED_LATER;
}
