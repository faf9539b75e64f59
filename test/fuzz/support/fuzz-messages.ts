import { LEGACY, modernMeta } from '../../example/support/mcp-messages.js';
import type { SeededRandom } from './seeded-random.js';

/**
 * Malformed and mutated JSON-RPC messages for every transport, each with what the spec says
 * the server owes it, derived from the bytes actually sent (so a mutation that happens to
 * leave a message valid is judged as valid).
 */

export type Era = 'modern' | 'legacy';
export type RequestId = string | number;

/** What JSON-RPC 2.0 and MCP make the server owe one input. */
export type Owed =
  /** Not JSON: an error -32700 with id null. */
  | { readonly kind: 'parse-error' }
  /** Not a valid request: an error -32600, with the id when it is a valid one, else null. */
  | { readonly kind: 'invalid'; readonly id: RequestId | null }
  /** A notification or a response: no answer (an error with id null is tolerated). */
  | { readonly kind: 'silence' }
  /** A request: a result or an error carrying exactly this id. */
  | { readonly kind: 'answer'; readonly id: RequestId }
  /** An integer id beyond 2^53: refused (-32600, id null) or echoed exactly (`rawId`). */
  | { readonly kind: 'unsafe-id'; readonly rawId: string };

export interface FuzzMessage {
  /** The mutations applied, for failure messages. */
  readonly label: string;
  /** One JSON text (never a raw line break, so stdio can carry it as one line). */
  readonly text: string;
  readonly owed: Owed;
  /** `Mcp-Method` and `Mcp-Name` for a 2026 POST, from the body as sent (when readable). */
  readonly method?: string;
  readonly name?: string;
  /** The progress token the request carried, when it has a valid type (string or integer). */
  readonly progressToken?: RequestId;
}

export { LEGACY, MODERN } from '../../example/support/mcp-messages.js';

export const MODERN_META = modernMeta('fuzz') as Record<string, Json>;

/** The error codes the spec and the README's wire table define (-32603 is never owed to bad input). */
export const SPECIFIED_ERROR_CODES: ReadonlySet<number> = new Set([
  -32700, -32600, -32601, -32602, -32001, -32010, -32011, -32012, -32020, -32021, -32022,
]);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Message = { [key: string]: Json };

/** Valid requests (and a notification and a response) to mutate, per era. */
function templates(era: Era, id: RequestId): Message[] {
  const meta: Record<string, Json> = era === 'modern' ? { _meta: structuredClone(MODERN_META) } : {};
  const request = (method: string, params: Record<string, Json> = {}): Message => ({
    jsonrpc: '2.0',
    id,
    method,
    params: { ...params, ...meta },
  });
  const list: Message[] = [
    request('tools/call', { name: 'search_notes', arguments: { query: 'milk' } }),
    request('tools/call', { name: 'summarize_notes', arguments: {} }),
    request('tools/list'),
    request('resources/read', { uri: 'notes://notes/1' }),
    request('prompts/get', { name: 'review_note', arguments: { noteId: '1' } }),
    request('completion/complete', {
      ref: { type: 'ref/prompt', name: 'review_note' },
      argument: { name: 'noteId', value: '1' },
    }),
    { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'never-sent', ...meta } },
  ];
  if (era === 'legacy') {
    list.push(
      request('ping'),
      { jsonrpc: '2.0', id: `server-${String(id)}`, result: {} },
      {
        jsonrpc: '2.0',
        id,
        method: 'initialize',
        params: {
          protocolVersion: LEGACY,
          capabilities: { roots: {} },
          clientInfo: { name: 'fuzz', version: '1' },
        },
      },
    );
  }
  return list;
}

const VALID_IDS: readonly RequestId[] = [
  0,
  1,
  -1,
  42,
  2 ** 31,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
];
const VALID_STRING_IDS = ['', 'a', 'id with spaces', 'ünïcødé-✓', '1', 'x'.repeat(300)];
/** Ids JSON can carry that MCP does not allow (string or integer only). */
const INVALID_IDS: readonly Json[] = [1.5, -2.25, 0.1, null, true, false, {}, [], [1], { a: 1 }];
/** Integers beyond 2^53, as raw JSON text: a parser rounds them, so they cannot be echoed from a number. */
const UNSAFE_IDS = ['9007199254740993', '-9007199254740993', '1e21', '123456789012345678901234567890'];
const INVALID_TOKENS: readonly Json[] = [{}, [], true, false, 1.5, null, { a: 1 }, -0.5];
const VALID_TOKENS: readonly RequestId[] = ['tok', 'progress-✓', 7, -3, 0, Number.MAX_SAFE_INTEGER];
const ODD_STRINGS = [
  '',
  ' ',
  'x'.repeat(5000),
  '\u0000',
  'ünïcødé ✓',
  '\ud800',
  '../../../etc/passwd',
  '%ZZ%E9',
];
const ODD_VALUES: readonly Json[] = [
  null,
  true,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  '',
  'x',
  [],
  [null],
  {},
  { a: { b: [] } },
];
const JSONISH = '{}[]",:0123456789abcdefnulltrue\\ -.eE+';

/** A value from a pool, copied: later mutations must not reach the pool (or make cycles). */
function fresh(random: SeededRandom, pool: readonly Json[]): Json {
  return structuredClone(random.pick(pool));
}

/** Raw JSON text put where a marker string stands, for values `JSON.stringify` cannot write. */
interface RawSlots {
  readonly raws: string[];
}

function raw(slots: RawSlots, text: string): string {
  slots.raws.push(text);
  return `@@RAW${slots.raws.length - 1}@@`;
}

function render(value: Json, slots: RawSlots): string {
  let text = JSON.stringify(value);
  slots.raws.forEach((rawText, index) => {
    text = text.replace(`"@@RAW${index}@@"`, rawText);
  });
  return text;
}

function paramsOf(message: Message): Record<string, Json> | undefined {
  const params = message['params'];
  return params !== null && typeof params === 'object' && !Array.isArray(params) ? params : undefined;
}

function metaOf(message: Message): Record<string, Json> | undefined {
  const meta = paramsOf(message)?.['_meta'];
  return meta !== null && meta !== undefined && typeof meta === 'object' && !Array.isArray(meta)
    ? meta
    : undefined;
}

/** Deeply nested arrays, as text (a parser copes; a recursive stringify may not). */
function nested(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

type Mutator = (message: Message, random: SeededRandom, slots: RawSlots, era: Era) => string;

/** Mutations of the parsed message; each returns its label. */
const VALUE_MUTATORS: readonly Mutator[] = [
  (message, random) => {
    const id = random.chance(0.5) ? random.pick(VALID_IDS) : random.pick(VALID_STRING_IDS);
    message['id'] = id;
    return `id=${JSON.stringify(id).slice(0, 20)}`;
  },
  (message, random) => {
    const id = fresh(random, INVALID_IDS);
    message['id'] = id;
    return `id=${JSON.stringify(id)}`;
  },
  (message, random, slots) => {
    const id = random.pick(UNSAFE_IDS);
    message['id'] = raw(slots, id);
    return `id=${id}`;
  },
  (message) => {
    delete message['id'];
    return 'id deleted';
  },
  (message, random) => {
    const method = random.pick<Json>([
      1,
      null,
      {},
      [],
      true,
      'tools/nope',
      '',
      'x'.repeat(2000),
      'rpc.discover',
    ]);
    message['method'] = method;
    return `method=${JSON.stringify(method).slice(0, 20)}`;
  },
  (message) => {
    delete message['method'];
    return 'method deleted';
  },
  (message, random) => {
    const version = random.pick<Json | undefined>(['1.0', 2, 2.0, null, '2.0 ', undefined]);
    if (version === undefined) delete message['jsonrpc'];
    else message['jsonrpc'] = version;
    return `jsonrpc=${JSON.stringify(version)}`;
  },
  (message, random) => {
    const params = random.pick<Json | undefined>([[], ['a'], 'x', 1, null, true, undefined]);
    if (params === undefined) delete message['params'];
    else message['params'] = params;
    return `params=${JSON.stringify(params)}`;
  },
  (message, random) => {
    const params = paramsOf(message);
    if (params === undefined) return 'params absent';
    const meta = random.pick<Json | undefined>([[], 'x', 1, null, {}, undefined]);
    if (meta === undefined) delete params['_meta'];
    else params['_meta'] = meta;
    return `_meta=${JSON.stringify(meta)}`;
  },
  (message, random) => {
    const meta = metaOf(message);
    if (meta === undefined) return '_meta absent';
    const key = random.pick([
      'io.modelcontextprotocol/protocolVersion',
      'io.modelcontextprotocol/clientCapabilities',
      'io.modelcontextprotocol/clientInfo',
      'io.modelcontextprotocol/logLevel',
    ]);
    const value = random.pick<Json | undefined>([
      123,
      null,
      '',
      '2099-01-01',
      LEGACY,
      'x',
      [],
      undefined,
      'loud',
    ]);
    if (value === undefined) delete meta[key];
    else meta[key] = value;
    return `${key.split('/')[1]}=${JSON.stringify(value)}`;
  },
  (message, random) => {
    const params = paramsOf(message);
    if (params === undefined) return 'params absent';
    const meta = metaOf(message) ?? (params['_meta'] = {});
    const token = random.chance(0.6) ? fresh(random, INVALID_TOKENS) : random.pick(VALID_TOKENS);
    (meta as Record<string, Json>)['progressToken'] = token;
    return `progressToken=${JSON.stringify(token)}`;
  },
  (message, random, slots) => {
    const params = paramsOf(message);
    if (params === undefined) return 'params absent';
    const choice = random.int(0, 6);
    switch (choice) {
      case 0:
        params['arguments'] = raw(slots, nested(random.int(100, 200_000)));
        return 'arguments deeply nested';
      case 1:
        params['arguments'] = {
          query: raw(slots, random.pick(['1e400', '-1e400', '1e-400', '123456789012345678901234567890'])),
        };
        return 'arguments huge number';
      case 2:
        params['arguments'] = { query: random.pick(ODD_STRINGS) };
        return 'arguments odd string';
      case 3:
        params['arguments'] = fresh(random, ODD_VALUES);
        return 'arguments wrong type';
      case 4:
        params['arguments'] = raw(
          slots,
          '{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},"query":"milk"}',
        );
        return 'arguments prototype keys';
      case 5:
        params['arguments'] = { query: 'milk', [random.text(8, 'abcdef')]: fresh(random, ODD_VALUES) };
        return 'arguments extra property';
      default:
        params['arguments'] = { query: raw(slots, nested(random.int(10, 5_000))) };
        return 'argument deeply nested';
    }
  },
  (message, random) => {
    const params = paramsOf(message);
    if (params === undefined) return 'params absent';
    const key = 'uri' in params ? 'uri' : 'name';
    const value = random.chance(0.5)
      ? fresh(random, ODD_VALUES)
      : random.pick([...ODD_STRINGS, 'notes://notes/%31', 'notes://notes/%ZZ', 'nope']);
    params[key] = value;
    return `${key}=${JSON.stringify(value).slice(0, 30)}`;
  },
  (message, random, slots) => {
    // Any value anywhere in the message: odd, or deeply nested.
    const paths: Array<{ holder: Record<string, Json> | Json[]; key: string | number }> = [];
    const walk = (value: Json): void => {
      if (value === null || typeof value !== 'object') return;
      for (const [key, child] of Object.entries(value)) {
        paths.push({ holder: value, key: Array.isArray(value) ? Number(key) : key });
        walk(child);
      }
    };
    walk(message);
    const { holder, key } = random.pick(paths);
    const replacement = random.chance(0.3)
      ? raw(slots, nested(random.int(100, 100_000)))
      : fresh(random, ODD_VALUES);
    (holder as Record<string, Json>)[key] = replacement;
    return `${String(key)}=${String(replacement).slice(0, 20)}`;
  },
  (message, random) => {
    const key = random.pick(['result', 'error', 'extra', 'id ']);
    message[key] = fresh(random, ODD_VALUES);
    return `extra top-level ${key}`;
  },
];

/** Mutations of the text itself. */
const TEXT_MUTATORS: ReadonlyArray<(text: string, random: SeededRandom) => [string, string]> = [
  (text, random) => {
    const at = random.int(0, Math.max(0, text.length - 1));
    return [text.slice(0, at), `truncated at ${at}`];
  },
  (text, random) => {
    const at = random.int(0, text.length - 1);
    return [text.slice(0, at) + text.slice(at + 1), `char ${at} deleted`];
  },
  (text, random) => {
    const at = random.int(0, text.length);
    return [text.slice(0, at) + random.text(1, JSONISH) + text.slice(at), `char inserted at ${at}`];
  },
  (text, random) => {
    const at = random.int(0, text.length - 1);
    return [text.slice(0, at) + random.text(1, JSONISH) + text.slice(at + 1), `char ${at} replaced`];
  },
  (text, random) => [text + random.pick([',', '}', ']', ' x', '{}', '\t']), 'garbage appended'],
  (text) => [`\ufeff${text}`, 'byte order mark'],
  (_text, random) => {
    const literal = random.pick([
      '',
      ' ',
      'NaN',
      'undefined',
      "{'a':1}",
      '{"a":1,}',
      '/* c */{}',
      '{',
      '"unterminated',
    ]);
    return [literal, `not JSON ${JSON.stringify(literal)}`];
  },
  (text, random) => {
    const literal = random.pick([
      '42',
      '"s"',
      'null',
      'true',
      '[]',
      `[${text}]`,
      `[${text},${text}]`,
      '[1,2]',
      '{}',
    ]);
    return [literal, `not an object ${literal.slice(0, 20)}`];
  },
  (_text, random) => {
    const depth = random.int(1_000, 300_000);
    return [
      random.chance(0.5) ? nested(depth) : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
      `nesting ${depth}`,
    ];
  },
];

/** One mutated message for `era`: one to three mutations of a valid template. */
export function fuzzMessage(random: SeededRandom, era: Era, nextId: () => number): FuzzMessage {
  const id = nextId();
  const message = structuredClone(random.pick(templates(era, id)));
  const slots: RawSlots = { raws: [] };
  const labels: string[] = [];
  const count = random.int(1, 3);
  for (let step = 0; step < count; step++) {
    if (random.chance(0.8)) labels.push(random.pick(VALUE_MUTATORS)(message, random, slots, era));
  }
  let text = render(message, slots);
  if (labels.length === 0 || random.chance(0.25)) {
    const [mutated, label] = random.pick(TEXT_MUTATORS)(text, random);
    text = mutated;
    labels.push(label);
  }
  // One line whatever the mutation: a raw line break would be two stdio messages.
  text = text.replace(/[\r\n]/g, ' ');
  return described(text, labels.join(', '));
}

/** An untouched template with a fresh id, to interleave with the mutants (a normal call must work). */
export function validMessage(random: SeededRandom, era: Era, nextId: () => number): FuzzMessage {
  const message = random.pick(templates(era, nextId()).slice(0, 6));
  return described(JSON.stringify(message), 'valid');
}

/** The message with what it is owed, read back from its text. */
export function described(text: string, label: string): FuzzMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { label, text, owed: { kind: 'parse-error' } };
  }
  const owed = owedOf(value, text);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { label, text, owed };
  const message = value as Record<string, unknown>;
  const params = message['params'] as Record<string, unknown> | undefined;
  const isObject = params !== null && typeof params === 'object' && !Array.isArray(params);
  const nameField = message['method'] === 'resources/read' ? 'uri' : 'name';
  const name = isObject ? params[nameField] : undefined;
  const meta = isObject ? (params['_meta'] as Record<string, unknown> | undefined) : undefined;
  const token = meta !== null && typeof meta === 'object' ? meta['progressToken'] : undefined;
  return {
    label,
    text,
    owed,
    ...(typeof message['method'] === 'string' && { method: message['method'] }),
    ...(typeof name === 'string' && { name }),
    ...(isValidId(token) && { progressToken: token }),
  };
}

/** MCP ids (and progress tokens) are strings or integers; beyond 2^53 they cannot be echoed from a number. */
export function isValidId(value: unknown): value is RequestId {
  return typeof value === 'string' || (typeof value === 'number' && Number.isSafeInteger(value));
}

function owedOf(value: unknown, text: string): Owed {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { kind: 'invalid', id: null };
  const message = value as Record<string, unknown>;
  const id = message['id'];
  const readableId = isValidId(id) ? id : null;
  if (message['jsonrpc'] !== '2.0') return { kind: 'invalid', id: readableId };
  if (typeof message['method'] !== 'string') {
    const isResponse = 'result' in message || 'error' in message;
    return isResponse && readableId !== null ? { kind: 'silence' } : { kind: 'invalid', id: readableId };
  }
  const params = message['params'];
  if (params !== undefined && (params === null || typeof params !== 'object' || Array.isArray(params))) {
    return { kind: 'invalid', id: readableId };
  }
  if (!('id' in message)) return { kind: 'silence' };
  if (readableId !== null) return { kind: 'answer', id: readableId };
  if (typeof id === 'number' && Number.isInteger(id))
    return { kind: 'unsafe-id', rawId: rawIdOf(text) ?? String(id) };
  return { kind: 'invalid', id: null };
}

/** The id's digits as sent (the first `"id":` of the text). */
export function rawIdOf(text: string): string | undefined {
  return /"id"\s*:\s*(-?[0-9][0-9.eE+-]*)/.exec(text)?.[1];
}
