import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { UriTemplate } from '@modelcontextprotocol/server';
import { buildResourceTemplateEntry, type McpResourceArgs } from 'nest-mcp';
import { TEMPLATE_DATA, templateEcho } from '../cross-transport/support/template-echo.js';
import { modernMeta, type ProtocolHarness, RawPeer, startProtocol } from './support/protocol-harness.js';

/**
 * RFC 6570 template variables reach handlers decoded exactly once, after matching, by the
 * rules of their expression's operator; a value that does not decode is -32602. This is the
 * protocol-level check of every operator; `cross-transport/template-variables.spec.ts` runs
 * the headline cases over each transport.
 */

const ID_COMPLETIONS = ['a b/cé', '100%', '%25', 'x,y', 'plain'];

function echoTemplate(uriTemplate: string, name: string) {
  return buildResourceTemplateEntry(
    {
      uriTemplate,
      name,
      ...(uriTemplate === TEMPLATE_DATA && {
        completions: { id: (value: string) => ID_COMPLETIONS.filter((id) => id.startsWith(value)) },
      }),
    },
    (args: McpResourceArgs) => templateEcho(args),
  );
}

const TEMPLATES = [
  TEMPLATE_DATA,
  'test://files/{+path}',
  'test://page{#section}',
  'test://file{.ext}',
  'test://root{/segment}',
  'test://tags/{tags*}',
  'test://search/{id}{?q,lang}',
];

/** A URI and the variables its handler must see. */
const DECODED: ReadonlyArray<readonly [string, Record<string, string | string[]>]> = [
  ['test://template/a%20b%2Fc%C3%A9/data', { id: 'a b/cé' }],
  ['test://template/100%25/data', { id: '100%' }],
  // Decoded once: a double-encoded value keeps one level.
  ['test://template/%2525/data', { id: '%25' }],
  ['test://template/plain/data', { id: 'plain' }],
  ['test://template/%e2%82%ac/data', { id: '€' }],
  // Reserved expansion: raw reserved characters are structure and pass; an encoded one was
  // in the value already and stays encoded; everything else decodes.
  ['test://files/docs/a%20b.md', { path: 'docs/a b.md' }],
  ['test://files/a%2Fb/c%3F', { path: 'a%2Fb/c%3F' }],
  ['test://files/caf%C3%A9%41', { path: 'caféA' }],
  ['test://page#s%C3%A9ction%2F', { section: 'séction%2F' }],
  ['test://file.t%C3%A9x', { ext: 'téx' }],
  ['test://root/a%2Fb', { segment: 'a/b' }],
  // Exploded lists split at raw commas before decoding: %2C stays inside its item.
  ['test://tags/x,y%2Cz,%C3%A9', { tags: ['x', 'y,z', 'é'] }],
  // Query values: RFC 6570 encodes a space as %20, so `+` is a plus.
  ['test://search/7?q=a%20b%2B+c&lang=fr%2DCA', { id: '7', q: 'a b++c', lang: 'fr-CA' }],
];

/** URIs that match a template but whose value does not decode: -32602 with `data.uri`. */
const MALFORMED = [
  'test://template/%ZZ/data',
  'test://template/%E9/data',
  'test://template/50%/data',
  'test://template/%C3/data',
  'test://template/%ED%A0%80/data',
  'test://files/ok/%E9',
  'test://tags/x,%FF',
  'test://search/1?q=%G1&lang=en',
];

describe('resource template variables (RFC 6570 decoding)', () => {
  let harness: ProtocolHarness;
  const peers: Record<'modern' | 'legacy', RawPeer> = {} as never;
  let nextId = 1;

  before(async () => {
    harness = await startProtocol();
    harness.catalog.templates = TEMPLATES.map((template, index) => echoTemplate(template, `t${index}`));
    peers.modern = await RawPeer.connect(harness.service);
    peers.legacy = await RawPeer.connect(harness.service);
    await peers.legacy.request(0, 'initialize', {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'raw', version: '1' },
    });
  });
  after(async () => {
    await peers.modern.close();
    await peers.legacy.close();
    await harness.close();
  });

  function request(era: 'modern' | 'legacy', method: string, params: Record<string, unknown>) {
    return peers[era].request(
      nextId++,
      method,
      era === 'modern' ? { ...params, _meta: modernMeta() } : params,
    );
  }

  for (const era of ['modern', 'legacy'] as const) {
    it(`hands handlers every variable decoded once, by its operator (${era})`, async () => {
      for (const [uri, variables] of DECODED) {
        const answer = await request(era, 'resources/read', { uri });
        assert.equal(answer['error'], undefined, `${uri}: ${JSON.stringify(answer['error'])}`);
        const seen = JSON.parse(answer['result'].contents[0].text);
        assert.deepEqual(seen, { uri, variables }, uri);
      }
    });

    it(`answers -32602 with data.uri for values that are not percent-encoded UTF-8 (${era})`, async () => {
      for (const uri of MALFORMED) {
        const answer = await request(era, 'resources/read', { uri });
        assert.equal(answer['error']?.code, -32602, `${uri}: ${JSON.stringify(answer)}`);
        assert.deepEqual(answer['error'].data, { uri });
        assert.match(
          answer['error'].message,
          /^Invalid arguments for resource .*: the value of \{[+#./?&]?\w+\} is not percent-encoded UTF-8$/,
        );
      }
    });
  }

  it('never lets a simple {var} span a raw "/" of the URI (an encoded %2F is data)', async () => {
    const answer = await request('modern', 'resources/read', { uri: 'test://template/a/b/data' });
    assert.equal(answer['error']?.code, -32602);
    assert.match(answer['error'].message, /^Resource not found/);
    assert.deepEqual(answer['error'].data, { uri: 'test://template/a/b/data' });
  });

  it('gives completers the typed value as it is, and their values round-trip through a read', async () => {
    const completed = await request('modern', 'completion/complete', {
      ref: { type: 'ref/resource', uri: TEMPLATE_DATA },
      argument: { name: 'id', value: '%' },
    });
    // Completion values are plain strings, not URI text: `%` is not decoded (and not an error).
    assert.deepEqual(completed['result'].completion.values, ['%25']);
    const all = await request('modern', 'completion/complete', {
      ref: { type: 'ref/resource', uri: TEMPLATE_DATA },
      argument: { name: 'id', value: '' },
    });
    const template = new UriTemplate(TEMPLATE_DATA);
    for (const id of all['result'].completion.values as string[]) {
      const uri = template.expand({ id });
      const answer = await request('modern', 'resources/read', { uri });
      assert.deepEqual(JSON.parse(answer['result'].contents[0].text).variables, { id }, uri);
    }
  });
});
