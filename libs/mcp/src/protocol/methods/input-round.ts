import type { Result } from '@modelcontextprotocol/server';
import { openInputRound } from '../input-required.js';
import type { RequestCall } from '../request-call.js';

/**
 * Runs the body of a multi round-trip method (`tools/call`, `prompts/get`,
 * `resources/read`). In the 2026 era the call gets its input round first (a bad
 * `requestState` fails here, before the handler runs); when the handler asked for input
 * the client has not given, the answer is the `input_required` result, whatever the
 * handler did with the rejection. The 2025 era has no rounds: questions are real
 * server-to-client requests.
 */
export async function withInputRound(
  call: RequestCall,
  name: string,
  body: () => Promise<Result>,
): Promise<Result> {
  if (call.era !== 'modern') return body();
  const round = await openInputRound(
    call.params,
    { method: call.method, name },
    call.envelope?.clientCapabilities,
    call.engine.inputStateCodec,
  );
  call.round = round;
  let result: Result;
  try {
    result = await body();
  } catch (error) {
    if (round.needsInput) return round.toResult(call.engine.inputStateCodec);
    throw error;
  }
  return round.needsInput ? round.toResult(call.engine.inputStateCodec) : result;
}
