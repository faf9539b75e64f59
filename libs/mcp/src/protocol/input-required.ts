import type { ClientCapabilities, InputRequiredResult } from '@modelcontextprotocol/server';
import { IntrinsicException } from '@nestjs/common';
import { McpWireError } from '../errors/wire-errors.js';
import { isPlainObject } from './request-envelope.js';

/**
 * Multi round-trip requests (2026-07-28). A handler asks for input through `ctx.elicit()`,
 * `ctx.createMessage()` or `ctx.listRoots()`; when the answer is not yet known the call
 * records the question and rejects with `InputRequiredSignal`, the engine answers the
 * request with an `input_required` result, and the client retries with `inputResponses`.
 * The handler then runs again from the top and the same calls return the answers.
 *
 * Answers from earlier rounds travel in `requestState`, HMAC-signed (see
 * `request-state.codec.ts`), so a handler asking several questions one after another sees
 * all of them on the last round. The state is bound to the method and the
 * tool/prompt/resource it was minted for, and to the principal it was minted for.
 */

export type InputRequestMethod = 'elicitation/create' | 'sampling/createMessage' | 'roots/list';

/** An embedded request, as it appears under `inputRequests`. */
export interface EmbeddedInputRequest {
  readonly method: InputRequestMethod;
  readonly params?: Record<string, unknown>;
}

/** What `requestState` carries: the target it was minted for and the answers so far. */
export interface RequestStatePayload {
  readonly m: string;
  readonly t: string;
  readonly a: Record<string, unknown>;
}

/**
 * Rejects a context call whose answer the client has not given yet. Not an error of the
 * handler but control flow: an `IntrinsicException`, so Nest's exception layer, which the
 * handler runs in, lets it pass without logging it.
 */
export class InputRequiredSignal extends IntrinsicException {
  constructor(readonly key: string) {
    super(`Input required from the client (${key}); the request is answered with input_required`);
    this.name = 'InputRequiredSignal';
  }
}

const KEY_PREFIX: Readonly<Record<InputRequestMethod, string>> = {
  'elicitation/create': 'elicitation',
  'sampling/createMessage': 'sampling',
  'roots/list': 'roots',
};

/** One run of a multi round-trip handler: the answers it can use and the questions it asked. */
export class InputRound {
  // Made on first use: most rounds never ask anything.
  private counters: Partial<Record<InputRequestMethod, number>> | undefined;
  private used: Record<string, unknown> | undefined;
  private missing: Record<string, EmbeddedInputRequest> | undefined;

  constructor(
    private readonly target: { readonly method: string; readonly name: string },
    private readonly answers: Record<string, unknown>,
    private readonly clientCapabilities: ClientCapabilities | undefined,
    /** Who asked (`McpMessageExtra.principal`): the state is only valid for them. */
    private readonly principal: unknown,
  ) {}

  /** The answer for this question, or rejects with `InputRequiredSignal` after recording it. */
  ask<T>(request: EmbeddedInputRequest, key: string | undefined): Promise<T> {
    let resolvedKey = key;
    if (resolvedKey === undefined) {
      const counters = (this.counters ??= {});
      const count = counters[request.method] ?? 0;
      counters[request.method] = count + 1;
      resolvedKey = `${KEY_PREFIX[request.method]}-${count}`;
    }
    const answer = this.answers[resolvedKey];
    if (answer !== undefined && isAnswerTo(request.method, answer)) {
      (this.used ??= {})[resolvedKey] = answer;
      return Promise.resolve(answer as T);
    }
    assertClientCanAnswer(request, this.clientCapabilities);
    (this.missing ??= {})[resolvedKey] = request;
    return Promise.reject(new InputRequiredSignal(resolvedKey));
  }

  get needsInput(): boolean {
    return this.missing !== undefined;
  }

  /** The `input_required` result asking for what is missing and carrying what is known. */
  async toResult(codec: InputStateCodec): Promise<InputRequiredResult> {
    const requestState = await codec.mint(
      { m: this.target.method, t: this.target.name, a: this.used ?? {} },
      this.principal,
    );
    return {
      resultType: 'input_required',
      inputRequests: this.missing as InputRequiredResult['inputRequests'],
      requestState,
    } as InputRequiredResult;
  }
}

/** Signs and checks `requestState` (see `request-state.codec.ts`). */
export interface InputStateCodec {
  mint(payload: RequestStatePayload, principal: unknown): Promise<string>;
  /** The payload, or throws (bad signature under every key, expired, other principal, malformed). */
  verify(state: string, principal: unknown): Promise<RequestStatePayload>;
}

const NO_ANSWERS: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * Builds the round of a retried (or first) request from `requestState` and
 * `inputResponses`. A state that fails verification, or was minted for another target,
 * is -32602; answers of the wrong shape are ignored, so the question is asked again.
 * Synchronous (and throwing) unless there is a `requestState` to verify, so a first
 * request pays for no promise here.
 */
export function openInputRound(
  params: Record<string, unknown>,
  target: { readonly method: string; readonly name: string },
  clientCapabilities: ClientCapabilities | undefined,
  principal: unknown,
  codec: InputStateCodec,
): InputRound | Promise<InputRound> {
  const responses = params['inputResponses'];
  if (responses !== undefined && !isPlainObject(responses)) {
    throw new McpWireError('invalid-params', 'Invalid params: inputResponses must be an object');
  }
  const state = params['requestState'];
  if (state === undefined) {
    return new InputRound(target, responses ?? NO_ANSWERS, clientCapabilities, principal);
  }
  return openRetriedRound(state, responses, target, clientCapabilities, principal, codec);
}

async function openRetriedRound(
  state: unknown,
  responses: Record<string, unknown> | undefined,
  target: { readonly method: string; readonly name: string },
  clientCapabilities: ClientCapabilities | undefined,
  principal: unknown,
  codec: InputStateCodec,
): Promise<InputRound> {
  const payload = typeof state === 'string' ? await verifyState(codec, state, principal) : undefined;
  if (payload === undefined || payload.m !== target.method || payload.t !== target.name) {
    throw new McpWireError('invalid-request-state', 'Invalid or expired requestState', {
      reason: 'invalid_request_state',
    });
  }
  // The client's fresh answers win over what the state remembers.
  const answers = responses === undefined ? payload.a : { ...payload.a, ...responses };
  return new InputRound(target, answers, clientCapabilities, principal);
}

async function verifyState(
  codec: InputStateCodec,
  state: string,
  principal: unknown,
): Promise<RequestStatePayload | undefined> {
  try {
    const payload = await codec.verify(state, principal);
    return isPlainObject(payload) && isPlainObject(payload.a) ? payload : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `answer` has the shape of a client's answer to a `method` request. */
export function isAnswerTo(method: string, answer: unknown): boolean {
  if (!isPlainObject(answer)) return false;
  switch (method) {
    case 'elicitation/create':
      return (
        (answer['action'] === 'accept' || answer['action'] === 'decline' || answer['action'] === 'cancel') &&
        (answer['content'] === undefined || isPlainObject(answer['content']))
      );
    case 'sampling/createMessage':
      return typeof answer['role'] === 'string' && answer['content'] !== undefined;
    case 'roots/list':
      return Array.isArray(answer['roots']);
    default:
      return false;
  }
}

/**
 * The spec forbids asking for input the client did not declare it can give; the SDK
 * answers -32021 naming the missing capability, and so do we.
 */
export function assertClientCanAnswer(
  request: EmbeddedInputRequest,
  capabilities: ClientCapabilities | undefined,
): void {
  const required = requiredCapability(request);
  if (required === undefined) return;
  const [capability, member] = required;
  const declared = (capabilities as Record<string, unknown> | undefined)?.[capability];
  const ok =
    isPlainObject(declared) &&
    (member === undefined ||
      declared[member] !== undefined ||
      // A bare `elicitation: {}` predates modes and means form support.
      (capability === 'elicitation' && member === 'form' && declared['url'] === undefined));
  if (!ok) {
    const requiredCapabilities = { [capability]: member === undefined ? {} : { [member]: {} } };
    throw new McpWireError(
      'missing-client-capability',
      `Missing required client capabilities: ${capability} (needed for ${request.method})`,
      { requiredCapabilities },
    );
  }
}

function requiredCapability(request: EmbeddedInputRequest): [string, string | undefined] | undefined {
  switch (request.method) {
    case 'elicitation/create':
      return ['elicitation', request.params?.['mode'] === 'url' ? 'url' : 'form'];
    case 'sampling/createMessage':
      return ['sampling', request.params?.['tools'] !== undefined ? 'tools' : undefined];
    case 'roots/list':
      return ['roots', undefined];
  }
}
