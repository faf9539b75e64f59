import type { RawOutcome } from '../../example/support/raw-http.js';
import { type FuzzMessage, type Owed, SPECIFIED_ERROR_CODES } from './fuzz-messages.js';

/** A JSON-RPC message as received. */
export interface WireMessage {
  readonly jsonrpc?: unknown;
  readonly id?: unknown;
  readonly method?: unknown;
  readonly params?: any;
  readonly result?: unknown;
  readonly error?: { readonly code?: unknown };
}

/** What arrived for one input: its responses (raw text kept for exact id checks) and notifications. */
export interface Received {
  readonly responses: Array<{ readonly message: WireMessage; readonly text: string }>;
  readonly notifications: WireMessage[];
}

export function isResponse(message: WireMessage): boolean {
  return message.method === undefined && ('result' in message || 'error' in message);
}

/**
 * The JSON-RPC invariants for one input, on any transport: the answer it is owed (none, one
 * error, or one answer with its id), only specified error codes, no other request's id, and
 * progress only under the valid token the request carried.
 */
export function checkOwed(input: FuzzMessage, received: Received): string[] {
  const problems: string[] = [];
  for (const { message } of received.responses) {
    const code = message.error?.code;
    if ('error' in message && !(typeof code === 'number' && SPECIFIED_ERROR_CODES.has(code))) {
      problems.push(
        `error code ${JSON.stringify(code)} is not a specified one: ${JSON.stringify(message).slice(0, 300)}`,
      );
    }
  }
  problems.push(...checkResponses(input.owed, received.responses));
  for (const notification of received.notifications) {
    if (notification.method !== 'notifications/progress') continue;
    const token = notification.params?.progressToken;
    if (input.progressToken === undefined || token !== input.progressToken) {
      problems.push(
        `progress with token ${JSON.stringify(token)} for a request whose valid token was ${JSON.stringify(input.progressToken)}`,
      );
    }
  }
  return problems;
}

const codeOf = (message: WireMessage): unknown => message.error?.code;

function checkResponses(owed: Owed, responses: Received['responses']): string[] {
  const shown = responses.map(({ text }) => text.slice(0, 200)).join(' | ') || 'nothing';
  switch (owed.kind) {
    case 'parse-error': {
      const [only] = responses;
      return responses.length === 1 && codeOf(only!.message) === -32700 && only!.message.id === null
        ? []
        : [`owed one -32700 with id null, got ${shown}`];
    }
    case 'invalid': {
      const [only] = responses;
      const ok =
        responses.length === 1 &&
        codeOf(only!.message) === -32600 &&
        (only!.message.id === null || only!.message.id === owed.id);
      const ids = owed.id === null ? 'null' : `${JSON.stringify(owed.id)} or null`;
      return ok ? [] : [`owed one -32600 with id ${ids}, got ${shown}`];
    }
    case 'silence': {
      const ok = responses.every(({ message }) => 'error' in message && message.id === null);
      return ok && responses.length <= 1 ? [] : [`owed no answer (a notification or response), got ${shown}`];
    }
    case 'answer': {
      const ok = responses.length === 1 && responses[0]!.message.id === owed.id;
      return ok ? [] : [`owed one answer with id ${JSON.stringify(owed.id)}, got ${shown}`];
    }
    case 'unsafe-id': {
      const [only] = responses;
      if (responses.length !== 1) return [`owed one answer for id ${owed.rawId}, got ${shown}`];
      if (only!.message.id === null && codeOf(only!.message) === -32600) return [];
      const echoed = new RegExp(`"id"\\s*:\\s*${owed.rawId.replace(/[.+]/g, '\\$&')}\\s*[,}]`).test(
        only!.text,
      );
      return echoed
        ? []
        : [
            `id ${owed.rawId} cannot be echoed from a number: owed -32600 with id null or the exact id, got ${shown}`,
          ];
    }
  }
}

/** HTTP statuses a JSON-RPC error code may come with (README "Errors on the wire"). */
const STATUS_OF_CODES: ReadonlyMap<number, ReadonlySet<number>> = new Map([
  [200, new Set(SPECIFIED_ERROR_CODES)],
  [400, new Set([-32700, -32600, -32602, -32020, -32021, -32022])],
  [404, new Set([-32601, -32001])],
  [405, new Set([-32600])],
  [406, new Set([-32600])],
  [409, new Set([-32600])],
  [413, new Set([-32012])],
  [415, new Set([-32600])],
  [503, new Set([-32011])],
]);

/** The statuses a message-level input may get on a Streamable HTTP POST, by what it is owed. */
const STATUSES_OWED: Readonly<Record<Owed['kind'], ReadonlySet<number>>> = {
  'parse-error': new Set([400]),
  invalid: new Set([400]),
  silence: new Set([202, 400]),
  answer: new Set([200, 400, 404]),
  'unsafe-id': new Set([200, 400, 404]),
};

/** A parsed HTTP answer: its JSON-RPC messages (JSON body or SSE events). */
export function messagesOf(outcome: Extract<RawOutcome, { kind: 'response' }>): Received {
  const received: Received = { responses: [], notifications: [] };
  const type = String(outcome.headers['content-type'] ?? '');
  const texts = type.startsWith('text/event-stream')
    ? outcome.text
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trim())
        .filter((data) => data !== '')
    : outcome.text === ''
      ? []
      : [outcome.text];
  for (const text of texts) {
    let message: WireMessage;
    try {
      message = JSON.parse(text) as WireMessage;
    } catch {
      received.responses.push({ message: { error: { code: 'unparseable' } }, text });
      continue;
    }
    if (isResponse(message)) received.responses.push({ message, text });
    else received.notifications.push(message);
  }
  return received;
}

/**
 * The HTTP invariants: an answer in time, no 5xx but 503 with `Retry-After`, a status among
 * those `allowed` for the case, error codes that go with the status, and a body that is what
 * its Content-Type says.
 */
export function checkHttp(outcome: RawOutcome, allowed: ReadonlySet<number>): string[] {
  if (outcome.kind === 'timeout') return ['no answer in time (hang)'];
  if (outcome.kind === 'error') return [`socket error ${outcome.code}: ${outcome.message}`];
  const problems: string[] = [];
  const { status } = outcome;
  if (status >= 500 && !(status === 503 && outcome.headers['retry-after'] !== undefined)) {
    problems.push(`status ${status}: ${outcome.text.slice(0, 300)}`);
  } else if (!allowed.has(status) && status !== 503) {
    problems.push(`status ${status} is not one of ${[...allowed].join(', ')}: ${outcome.text.slice(0, 300)}`);
  }
  const type = String(outcome.headers['content-type'] ?? '');
  if (status === 202 || status === 204) {
    if (outcome.text !== '') problems.push(`${status} with a body: ${outcome.text.slice(0, 100)}`);
    return problems;
  }
  if (!type.startsWith('application/json') && !type.startsWith('text/event-stream')) {
    problems.push(`status ${status} with Content-Type ${type}: ${outcome.text.slice(0, 100)}`);
    return problems;
  }
  if (type.startsWith('application/json') && outcome.body === undefined) {
    problems.push(`Content-Type JSON but the body is not: ${outcome.text.slice(0, 100)}`);
  }
  const codes = STATUS_OF_CODES.get(status);
  for (const { message } of messagesOf(outcome).responses) {
    const code = message.error?.code;
    if (code === undefined) {
      if (status !== 200) problems.push(`a result with status ${status}`);
    } else if (codes !== undefined && !codes.has(code as number)) {
      problems.push(`error ${String(code)} with status ${status}`);
    }
  }
  return problems;
}

/** Every check for a message-level input POSTed on Streamable HTTP. */
export function checkPostedMessage(input: FuzzMessage, outcome: RawOutcome): string[] {
  const problems = checkHttp(outcome, STATUSES_OWED[input.owed.kind]);
  if (outcome.kind !== 'response' || outcome.status === 503 || problems.length > 0) return problems;
  return checkOwed(input, messagesOf(outcome));
}
