import { legacyHeaders, searchNotesText } from '../../example/support/mcp-messages.js';
import type { RawRequest } from '../../example/support/raw-http.js';

export { legacyHeaders };
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

/** One concern's cases, every row of its table (incidental values drawn from `random`). */
type CaseFamily = (random: SeededRandom, target: HttpFuzzTarget, nextId: () => number) => HttpCase[];

const POLLING = { 'mcp-transport': 'polling' };
const ERAS = ['2026', '2025'] as const;

function postHeaders(era: '2026' | '2025', target: HttpFuzzTarget): Record<string, string> {
  return era === '2026'
    ? modernHeaders({ method: 'tools/call', name: 'search_notes' })
    : legacyHeaders(target.sessionId);
}

function postBody(era: '2026' | '2025', id: number): string {
  return searchNotesText(id, era === '2026' ? MODERN_META : undefined);
}

/** A polling open request with `headers` (over the polling ones) and a body or chunks. */
function pollingOpen(label: string, allowed: ReadonlySet<number>, request: RawRequest): HttpCase {
  return {
    label: `polling open, ${label}`,
    request: {
      method: 'POST',
      ...request,
      headers: { ...POLLING, accept: 'application/json', ...request.headers },
    },
    allowed,
  };
}

const JSON_TYPE = { 'content-type': 'application/json' };

const FAMILIES: readonly CaseFamily[] = [
  // Accept on both eras' POSTs.
  (_random, target, nextId) =>
    ERAS.flatMap((era) =>
      ACCEPT_TABLE.map(([accept, acceptance]) => ({
        label: `${era} POST Accept: ${accept}`,
        request: {
          method: 'POST',
          headers: { ...postHeaders(era, target), accept },
          body: postBody(era, nextId()),
        },
        allowed: acceptance.json || acceptance.sse ? set(200) : set(406),
        accepts: acceptance,
      })),
    ),
  // Accept on GET: the session stream (an unknown Last-Event-ID keeps it from opening) and a poll.
  (random, target) =>
    ACCEPT_TABLE.flatMap(([accept, acceptance]) => [
      {
        label: `2025 GET Accept: ${accept}`,
        request: {
          headers: {
            ...legacyHeaders(target.sessionId),
            accept,
            'last-event-id': `nope-${random.int(0, 1e6)}`,
          },
        },
        allowed: acceptance.sse ? set(400) : set(406),
      },
      {
        label: `polling GET Accept: ${accept}`,
        request: {
          headers: { ...POLLING, 'mcp-channel-id': target.channelId, accept, 'last-event-id': 'x' },
        },
        allowed: acceptance.json ? set(400) : set(406),
      },
    ]),
  // Content-Type on both eras' POSTs and on polling sends.
  (_random, target, nextId) =>
    CONTENT_TYPES.flatMap(([type, json]) =>
      (['2026', '2025', 'polling'] as const).map((where) => ({
        label: `${where} POST Content-Type: ${String(type)}`,
        request: {
          method: 'POST',
          headers: withHeader(
            where === 'polling'
              ? { ...POLLING, 'mcp-channel-id': target.channelId, ...JSON_TYPE }
              : postHeaders(where, target),
            'content-type',
            type,
          ),
          body: postBody(where === '2025' ? '2025' : '2026', nextId()),
        },
        allowed: json ? set(where === 'polling' ? 202 : 200) : set(415),
      })),
    ),
  // The 2026 standard headers disagreeing with the body, missing, or oddly encoded.
  (_random, target, nextId) =>
    (
      [
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
      ] as const
    ).map(([name, value, ok]) => ({
      label: `2026 POST ${name}: ${String(value)}`,
      request: {
        method: 'POST',
        headers: withHeader(postHeaders('2026', target), name, value),
        body: postBody('2026', nextId()),
      },
      allowed: ok ? set(200) : set(400),
    })),
  // A session id on a 2026 request, a Last-Event-ID on a POST: neither changes what it is.
  (random, target, nextId) =>
    [
      ['mcp-session-id', target.sessionId],
      ['mcp-session-id', `unknown-${random.int(0, 1e9)}`],
      ['last-event-id', '0'],
      ['mcp-transport', 'sse'],
    ].map(([name, value]) => ({
      label: `2026 POST with ${name}: ${value}`,
      request: {
        method: 'POST',
        headers: { ...postHeaders('2026', target), [name!]: value! },
        body: postBody('2026', nextId()),
      },
      allowed: name === 'mcp-transport' ? set(400) : set(200, 400, 404),
    })),
  // The session headers of a 2025 POST.
  (random, target, nextId) =>
    (
      [
        ['mcp-session-id', undefined, set(400)],
        ['mcp-session-id', `unknown-${random.int(0, 1e9)}`, set(404)],
        ['mcp-session-id', random.text(random.int(1, 200), 'abcdef0123456789-_.~'), set(404)],
        ['mcp-protocol-version', 'garbage', set(400)],
        ['mcp-protocol-version', '2099-01-01', set(400)],
        ['mcp-protocol-version', MODERN, set(400)],
        ['mcp-protocol-version', undefined, set(200)],
        ['mcp-protocol-version', '2025-03-26', set(200)],
      ] as const
    ).map(([name, value, allowed]) => ({
      label: `2025 POST ${name}: ${String(value)}`,
      request: {
        method: 'POST',
        headers: withHeader(postHeaders('2025', target), name, value),
        body: postBody('2025', nextId()),
      },
      allowed,
    })),
  // Chunked bodies split anywhere, empty ones, Content-Length: 0, a declared length over the limit.
  (random, target, nextId) =>
    ERAS.flatMap((era) => {
      const headers = postHeaders(era, target);
      const chunked = { ...headers, 'transfer-encoding': 'chunked' };
      return [
        {
          label: `${era} POST chunked body`,
          request: { method: 'POST', headers: chunked, chunks: chunksOf(postBody(era, nextId()), random) },
          allowed: set(200),
        },
        {
          label: `${era} POST empty chunked body`,
          request: { method: 'POST', headers: chunked, chunks: [] },
          allowed: set(400),
        },
        {
          label: `${era} POST empty body`,
          request: { method: 'POST', headers, body: '' },
          allowed: set(400),
        },
        {
          label: `${era} POST Content-Length over the limit`,
          request: {
            method: 'POST',
            headers: { ...headers, 'content-length': String(5 * 1024 * 1024) },
            body: '{}',
          },
          allowed: set(413),
          ownConnection: true,
        },
      ];
    }),
  // Methods the route does not define.
  () =>
    ['PUT', 'PATCH', 'OPTIONS'].map((method) => ({
      label: `${method} on the route`,
      request: { method, headers: JSON_TYPE, body: '{}' },
      allowed: set(405),
    })),
  // Opening polling channels with odd bodies and framings (each one opened is closed again).
  () => [
    pollingOpen('no body', set(201), {}),
    pollingOpen('Content-Length: 0', set(201), { headers: { 'content-length': '0' } }),
    pollingOpen('empty chunked body', set(201), { headers: { 'transfer-encoding': 'chunked' }, chunks: [] }),
    pollingOpen('empty chunked JSON body', set(201), {
      headers: { ...JSON_TYPE, 'transfer-encoding': 'chunked' },
      chunks: [],
    }),
    ...[
      '{}',
      '{"pollTimeoutMs":"x"}',
      '{"pollTimeoutMs":-1}',
      '{"pollTimeoutMs":1e308}',
      '{"pollTimeoutMs":1e400}',
      '{"x":[[[[]]]]}',
    ].map((body) => pollingOpen(`body ${body}`, set(201), { headers: JSON_TYPE, body })),
    ...['[]', '1', '"x"', 'null', '{', '{"pollTimeoutMs":'].map((body) =>
      pollingOpen(`body ${body}`, set(400), { headers: JSON_TYPE, body }),
    ),
    pollingOpen('body as text/plain', set(415), { headers: { 'content-type': 'text/plain' }, body: '{}' }),
    {
      label: 'Mcp-Transport: carrier-pigeon',
      request: { method: 'POST', headers: { 'mcp-transport': 'carrier-pigeon', accept: 'application/json' } },
      allowed: set(400),
    },
  ],
  // Polls, sends and closes of channels that are not there, and cursors that name nothing.
  (random, target) => [
    {
      label: 'poll of an unknown channel',
      request: {
        headers: { ...POLLING, 'mcp-channel-id': `nope-${random.int(0, 1e9)}`, accept: 'application/json' },
      },
      allowed: set(404),
    },
    {
      label: 'poll without a channel',
      request: { headers: { ...POLLING, accept: 'application/json' } },
      allowed: set(400),
    },
    ...['-1', '1.5', 'abc', '99999999999', '1e3', ' 0x1'].map((cursor) => ({
      label: `poll from cursor ${cursor}`,
      request: {
        headers: {
          ...POLLING,
          'mcp-channel-id': target.channelId,
          accept: 'application/json',
          'last-event-id': cursor,
        },
      },
      allowed: set(400),
    })),
    {
      label: 'close of an unknown channel',
      request: { method: 'DELETE', headers: { ...POLLING, 'mcp-channel-id': `nope-${random.int(0, 1e9)}` } },
      allowed: set(404),
    },
    {
      label: 'send to an unknown channel',
      request: {
        method: 'POST',
        headers: { ...POLLING, 'mcp-channel-id': `nope-${random.int(0, 1e9)}`, ...JSON_TYPE },
        body: '{"jsonrpc":"2.0","method":"notifications/initialized"}',
      },
      allowed: set(404),
    },
  ],
];

/**
 * Every row of every table once (so each specified status is asserted on every run), then
 * `extra` rows drawn at random, with fresh incidental values (ids, chunk splits, unknown ids).
 */
export function httpCases(
  random: SeededRandom,
  target: HttpFuzzTarget,
  nextId: () => number,
  extra: number,
): HttpCase[] {
  const all = FAMILIES.flatMap((family) => family(random, target, nextId));
  const drawn = Array.from({ length: extra }, () =>
    random.pick(random.pick(FAMILIES)(random, target, nextId)),
  );
  return [...all, ...drawn];
}
