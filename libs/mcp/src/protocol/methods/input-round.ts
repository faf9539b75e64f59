import type { Result } from '@modelcontextprotocol/server';
import { type InputRound, openInputRound } from '../input-required.js';
import type { RequestCall } from '../request-call.js';

/**
 * Runs the body of a multi round-trip method (`tools/call`, `prompts/get`,
 * `resources/read`). In the 2026 era the call gets its input round first (a bad
 * `requestState` fails here, before the handler runs); when the handler asked for input
 * the client has not given, the answer is the `input_required` result, whatever the
 * handler did with the rejection. The 2025 era has no rounds: questions are real
 * server-to-client requests.
 *
 * Not `async`: a first request (no `requestState`) opens its round synchronously and
 * chains on the body's promise, which saves the hot path two promise hops. Failures may
 * therefore throw rather than reject; the connection treats both alike.
 */
export function withInputRound(
  call: RequestCall,
  name: string,
  body: () => Promise<Result>,
): Promise<Result> {
  if (call.era !== 'modern') return body();
  const round = openInputRound(
    call.params,
    { method: call.method, name },
    call.envelope?.clientCapabilities,
    call.extra?.principal,
    call.engine.inputStateCodec,
  );
  return round instanceof Promise
    ? round.then((opened) => runRound(call, opened, body))
    : runRound(call, round, body);
}

function runRound(call: RequestCall, round: InputRound, body: () => Promise<Result>): Promise<Result> {
  call.round = round;
  const codec = call.engine.inputStateCodec;
  let running: Promise<Result>;
  try {
    running = body();
  } catch (error) {
    running = Promise.reject(error);
  }
  return running.then(
    (result) => (round.needsInput ? round.toResult(codec) : result),
    (error: unknown) => {
      if (round.needsInput) return round.toResult(codec);
      throw error;
    },
  );
}
