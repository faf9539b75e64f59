import type { RawRequest } from '../../example/support/raw-http.js';
import { type FuzzMessage, LEGACY, MODERN, MODERN_META } from './fuzz-messages.js';
import type { SeededRandom } from './seeded-random.js';

/**
 * Requests whose headers or framing are odd (the body, when there is one, is a valid call), each
 * with the statuses the binding specifies for it: the README's wire table and RFC 9110 for
 * `Accept` (media ranges, wildcards, q-values, case-insensitive types).
 */
export interface HttpCase {
  readonly label: string;
  readonly request: RawRequest;
  readonly allowed: ReadonlySet<number>;
  /** The answer's Content-Type must be one the request accepted (`json`, `sse`). */
  readonly accepts?: Acceptance;
  /** Sent on a connection of its own: the framing may leave it unusable. */
  readonly ownConnection?: boolean;
}

/** Where the cases point: a live 2025 session and a polling channel with a short poll timeout. */
export interface HttpFuzzTarget {
  readonly sessionId: string;
  readonly channelId: string;
}

export interface Acceptance {
  readonly json: boolean;
  readonly sse: boolean;
}

const BOTH = { json: true, sse: true };
const JSON_ONLY = { json: true, sse: false };
const SSE_ONLY = { json: false, sse: true };
const NEITHER = { json: false, sse: false };

/** `Accept` values and what RFC 9110 content negotiation makes of them for JSON and SSE. */
const ACCEPT_TABLE: ReadonlyArray<readonly [string, Acceptance]> = [
  ['application/json, text/event-stream', BOTH],
  ['application/json', JSON_ONLY],
  ['text/event-stream', SSE_ONLY],
  ['*/*', BOTH],
  ['application/*', JSON_ONLY],
  ['text/*', SSE_ONLY],
  ['APPLICATION/JSON, TEXT/EVENT-STREAM', BOTH],
  ['text/event-stream, application/json;q=0.5', BOTH],
  ['text/html, application/json;q=0.9', JSON_ONLY],
  ['text/plain; a=application/json', NEITHER],
  ['application/jsonx', NEITHER],
  ['image/*, text/event-streamx', NEITHER],
  ['application/json; q=0', NEITHER],
  ['text/event-stream;q=0', NEITHER],
  ['*/*;q=0', NEITHER],
  ['text/html', NEITHER],
  ['application/json-seq', NEITHER],
  ['application/json;q=0, text/event-stream', SSE_ONLY],
  ['text/event-stream;q=0, application/json', JSON_ONLY],
  ['application/*;q=0, text/*', SSE_ONLY],
];

const CONTENT_TYPES: ReadonlyArray<readonly [string | undefined, boolean]> = [
  ['application/json', true],
  ['application/json; charset=utf-8', true],
  ['APPLICATION/JSON', true],
  ['Application/Json;Charset=UTF-8', true],
  ['text/plain', false],
  ['application/jsonx', false],
  ['application/x-www-form-urlencoded', false],
  ['multipart/form-data; boundary=x', false],
  ['application/json-patch+json', false],
  ['', false],
  [undefined, false],
];

const set = (...statuses: number[]): ReadonlySet<number> => new Set(statuses);

/** A header value that can travel (SEP-2243: Base64 for what is not plain visible ASCII). */
export function headerSafe(value: string): string {
  return /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(value)
    ? value
    : `=?base64?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** Headers of a 2026 POST carrying `message` (as a client would derive them from the body). */
export function modernHeaders(message: Pick<FuzzMessage, 'method' | 'name'>): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': MODERN,
    'mcp-method': headerSafe(message.method ?? 'tools/call'),
    ...(message.name !== undefined && { 'mcp-name': headerSafe(message.name) }),
  };
}

export function legacyHeaders(sessionId: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-session-id': sessionId,
    'mcp-protocol-version': LEGACY,
  };
}

function searchCall(id: number, modern: boolean): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name: 'search_notes', arguments: { query: 'milk' }, ...(modern && { _meta: MODERN_META }) },
  });
}

function withHeader(
  headers: Record<string, string>,
  name: string,
  value: string | undefined,
): Record<string, string> {
  const copy = { ...headers };
  if (value === undefined) delete copy[name];
  else copy[name] = value;
  return copy;
}

/** Splits `text` into 1..5 chunks at random places. */
function chunksOf(text: string, random: SeededRandom): string[] {
  const cuts = [
    ...new Set([
      0,
      ...Array.from({ length: random.int(0, 4) }, () => random.int(0, text.length)),
      text.length,
    ]),
  ].toSorted((a, b) => a - b);
  return cuts.slice(1).map((end, index) => text.slice(cuts[index], end));
}

type CaseBuilder = (random: SeededRandom, target: HttpFuzzTarget, id: number) => HttpCase;

const POLLING = { 'mcp-transport': 'polling' };

const BUILDERS: readonly CaseBuilder[] = [
  // Accept on a 2026 POST and a 2025 session POST.
  (random, target, id) => {
    const [accept, acceptance] = random.pick(ACCEPT_TABLE);
    const modern = random.chance(0.5);
    const headers = modern
      ? modernHeaders({ method: 'tools/call', name: 'search_notes' })
      : legacyHeaders(target.sessionId);
    return {
      label: `${modern ? '2026' : '2025'} POST Accept: ${accept}`,
      request: { method: 'POST', headers: { ...headers, accept }, body: searchCall(id, modern) },
      allowed: acceptance.json || acceptance.sse ? set(200) : set(406),
      accepts: acceptance,
    };
  },
  // Accept on GET: the session stream (an unknown Last-Event-ID keeps it from opening) and a poll.
  (random, target) => {
    const [accept, acceptance] = random.pick(ACCEPT_TABLE);
    if (random.chance(0.5)) {
      return {
        label: `2025 GET Accept: ${accept}`,
        request: {
          headers: {
            ...legacyHeaders(target.sessionId),
            accept,
            'last-event-id': `nope-${random.int(0, 1e6)}`,
          },
        },
        allowed: acceptance.sse ? set(400) : set(406),
      };
    }
    return {
      label: `polling GET Accept: ${accept}`,
      request: {
        headers: { ...POLLING, 'mcp-channel-id': target.channelId, accept, 'last-event-id': 'x' },
      },
      allowed: acceptance.json ? set(400) : set(406),
    };
  },
  // Content-Type on both eras' POSTs and on polling sends.
  (random, target, id) => {
    const [type, json] = random.pick(CONTENT_TYPES);
    const where = random.pick(['2026', '2025', 'polling'] as const);
    const headers =
      where === '2026'
        ? modernHeaders({ method: 'tools/call', name: 'search_notes' })
        : where === '2025'
          ? legacyHeaders(target.sessionId)
          : { ...POLLING, 'mcp-channel-id': target.channelId, 'content-type': 'application/json' };
    return {
      label: `${where} POST Content-Type: ${String(type)}`,
      request: {
        method: 'POST',
        headers: withHeader(headers, 'content-type', type),
        body: searchCall(id, where !== '2025'),
      },
      allowed: json ? set(where === 'polling' ? 202 : 200) : set(415),
    };
  },
  // The 2026 standard headers disagreeing with the body, missing, or oddly encoded.
  (random, _target, id) => {
    const headers = modernHeaders({ method: 'tools/call', name: 'search_notes' });
    const [name, value, ok] = random.pick<readonly [string, string | undefined, boolean]>([
      ['mcp-method', undefined, false],
      ['mcp-method', 'tools/list', false],
      ['mcp-method', 'TOOLS/CALL', false],
      ['mcp-method', 'tools/call, tools/call', false],
      ['mcp-name', undefined, false],
      ['mcp-name', 'create_note', false],
      ['mcp-name', '=?base64?!!!?=', false],
      ['mcp-name', '=?base64?c2VhcmNoX25vdGVz?=', true],
      ['mcp-name', '=?base64?c2VhcmNoX25vdGVz', false],
      ['mcp-protocol-version', undefined, false],
      ['mcp-protocol-version', LEGACY, false],
      ['mcp-protocol-version', '2099-01-01', false],
      ['mcp-protocol-version', 'garbage', false],
    ]);
    return {
      label: `2026 POST ${name}: ${String(value)}`,
      request: { method: 'POST', headers: withHeader(headers, name, value), body: searchCall(id, true) },
      allowed: ok ? set(200) : set(400),
    };
  },
  // A session id on a 2026 request, a Last-Event-ID on a POST: neither changes what it is.
  (random, target, id) => {
    const [name, value] = random.pick([
      ['mcp-session-id', target.sessionId],
      ['mcp-session-id', `unknown-${random.int(0, 1e9)}`],
      ['last-event-id', '0'],
      ['mcp-transport', 'sse'],
    ] as const);
    return {
      label: `2026 POST with ${name}: ${value}`,
      request: {
        method: 'POST',
        headers: { ...modernHeaders({ method: 'tools/call', name: 'search_notes' }), [name]: value },
        body: searchCall(id, true),
      },
      allowed: name === 'mcp-transport' ? set(400) : set(200, 400, 404),
    };
  },
  // The session headers of a 2025 POST.
  (random, target, id) => {
    const [name, value, allowed] = random.pick<readonly [string, string | undefined, ReadonlySet<number>]>([
      ['mcp-session-id', undefined, set(400)],
      ['mcp-session-id', `unknown-${random.int(0, 1e9)}`, set(404)],
      ['mcp-session-id', random.text(random.int(1, 200), 'abcdef0123456789-_.~'), set(404)],
      ['mcp-protocol-version', 'garbage', set(400)],
      ['mcp-protocol-version', '2099-01-01', set(400)],
      ['mcp-protocol-version', MODERN, set(400)],
      ['mcp-protocol-version', undefined, set(200)],
      ['mcp-protocol-version', '2025-03-26', set(200)],
    ]);
    return {
      label: `2025 POST ${name}: ${String(value)}`,
      request: {
        method: 'POST',
        headers: withHeader(legacyHeaders(target.sessionId), name, value),
        body: searchCall(id, false),
      },
      allowed,
    };
  },
  // Chunked bodies, split anywhere; empty ones.
  (random, target, id) => {
    const modern = random.chance(0.5);
    const headers = modern
      ? modernHeaders({ method: 'tools/call', name: 'search_notes' })
      : legacyHeaders(target.sessionId);
    if (random.chance(0.3)) {
      return {
        label: `${modern ? '2026' : '2025'} POST empty chunked body`,
        request: { method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' }, chunks: [] },
        allowed: set(400),
      };
    }
    const body = searchCall(id, modern);
    return {
      label: `${modern ? '2026' : '2025'} POST chunked body`,
      request: {
        method: 'POST',
        headers: { ...headers, 'transfer-encoding': 'chunked' },
        chunks: chunksOf(body, random),
      },
      allowed: set(200),
    };
  },
  // An empty body with Content-Length: 0, and a declared length over the limit (refused unread).
  (random, target) => {
    const modern = random.chance(0.5);
    const headers = modern
      ? modernHeaders({ method: 'tools/call', name: 'search_notes' })
      : legacyHeaders(target.sessionId);
    if (random.chance(0.5)) {
      return {
        label: `${modern ? '2026' : '2025'} POST empty body`,
        request: { method: 'POST', headers, body: '' },
        allowed: set(400),
      };
    }
    return {
      label: `${modern ? '2026' : '2025'} POST Content-Length over the limit`,
      request: {
        method: 'POST',
        headers: { ...headers, 'content-length': String(5 * 1024 * 1024) },
        body: '{}',
      },
      allowed: set(413),
      ownConnection: true,
    };
  },
  // Methods the route does not define.
  (random) => {
    const method = random.pick(['PUT', 'PATCH', 'OPTIONS']);
    return {
      label: `${method} on the route`,
      request: { method, headers: { 'content-type': 'application/json' }, body: '{}' },
      allowed: set(405),
    };
  },
  // Opening polling channels with odd bodies and framings (each one opened is closed again).
  (random) => {
    const [label, request, allowed] = random.pick<readonly [string, RawRequest, ReadonlySet<number>]>([
      ['no body', { method: 'POST', headers: { ...POLLING, accept: 'application/json' } }, set(201)],
      [
        'Content-Length: 0',
        { method: 'POST', headers: { ...POLLING, accept: 'application/json', 'content-length': '0' } },
        set(201),
      ],
      [
        'empty chunked body',
        {
          method: 'POST',
          headers: { ...POLLING, accept: 'application/json', 'transfer-encoding': 'chunked' },
          chunks: [],
        },
        set(201),
      ],
      [
        'empty chunked JSON body',
        {
          method: 'POST',
          headers: {
            ...POLLING,
            accept: 'application/json',
            'content-type': 'application/json',
            'transfer-encoding': 'chunked',
          },
          chunks: [],
        },
        set(201),
      ],
      ...[
        '{}',
        '{"pollTimeoutMs":"x"}',
        '{"pollTimeoutMs":-1}',
        '{"pollTimeoutMs":1e308}',
        '{"pollTimeoutMs":1e400}',
        '{"x":[[[[]]]]}',
      ].map(
        (body) =>
          [
            `body ${body}`,
            {
              method: 'POST',
              headers: { ...POLLING, accept: 'application/json', 'content-type': 'application/json' },
              body,
            },
            set(201),
          ] as const,
      ),
      ...['[]', '1', '"x"', 'null', '{', '{"pollTimeoutMs":'].map(
        (body) =>
          [
            `body ${body}`,
            {
              method: 'POST',
              headers: { ...POLLING, accept: 'application/json', 'content-type': 'application/json' },
              body,
            },
            set(400),
          ] as const,
      ),
      [
        'body as text/plain',
        {
          method: 'POST',
          headers: { ...POLLING, accept: 'application/json', 'content-type': 'text/plain' },
          body: '{}',
        },
        set(415),
      ],
      [
        'Mcp-Transport: carrier-pigeon',
        { method: 'POST', headers: { 'mcp-transport': 'carrier-pigeon', accept: 'application/json' } },
        set(400),
      ],
    ]);
    return { label: `polling open, ${label}`, request, allowed };
  },
  // Polls and closes of channels that are not there, and cursors that name nothing.
  (random, target) => {
    const [label, request, allowed] = random.pick<readonly [string, RawRequest, ReadonlySet<number>]>([
      [
        'poll of an unknown channel',
        {
          headers: { ...POLLING, 'mcp-channel-id': `nope-${random.int(0, 1e9)}`, accept: 'application/json' },
        },
        set(404),
      ],
      ['poll without a channel', { headers: { ...POLLING, accept: 'application/json' } }, set(400)],
      ...['-1', '1.5', 'abc', '99999999999', '1e3', ' 0x1'].map(
        (cursor) =>
          [
            `poll from cursor ${cursor}`,
            {
              headers: {
                ...POLLING,
                'mcp-channel-id': target.channelId,
                accept: 'application/json',
                'last-event-id': cursor,
              },
            },
            set(400),
          ] as const,
      ),
      [
        'close of an unknown channel',
        { method: 'DELETE', headers: { ...POLLING, 'mcp-channel-id': `nope-${random.int(0, 1e9)}` } },
        set(404),
      ],
      [
        'send to an unknown channel',
        {
          method: 'POST',
          headers: {
            ...POLLING,
            'mcp-channel-id': `nope-${random.int(0, 1e9)}`,
            'content-type': 'application/json',
          },
          body: '{"jsonrpc":"2.0","method":"notifications/initialized"}',
        },
        set(404),
      ],
    ]);
    return { label, request, allowed };
  },
];

export function httpCase(random: SeededRandom, target: HttpFuzzTarget, id: number): HttpCase {
  return random.pick(BUILDERS)(random, target, id);
}
