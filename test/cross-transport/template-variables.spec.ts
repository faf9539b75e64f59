import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  describeOnEachKind,
  type EdgeApp,
  POLLING_2025,
  rejectionOf,
  startEdgeApp,
  STDIO_2025,
  STREAMABLE_HTTP_2025,
  STREAMABLE_HTTP_2026,
  type TransportKind,
  WEBSOCKET_2026,
} from './support/edge-app.js';

/**
 * The template-decoding report, over each transport kind and both eras: the read
 * path is protocol-level (`protocol/template-variables.spec.ts` checks every operator), so
 * this proves only that no transport decodes, re-encodes or normalises the URI on the way.
 */
const KINDS: readonly TransportKind[] = [
  STREAMABLE_HTTP_2026,
  STREAMABLE_HTTP_2025,
  WEBSOCKET_2026,
  POLLING_2025,
  STDIO_2025,
];

function variablesOf(result: { contents: Array<{ text?: string }> }): unknown {
  return JSON.parse(result.contents[0]!.text!).variables;
}

describe('resource template variables on every transport', () => {
  let server: EdgeApp;
  before(async () => {
    server = await startEdgeApp();
  });
  after(() => server.close());

  describeOnEachKind(
    KINDS,
    () => server.url,
    (client) => {
      it('hands the handler the decoded value (a b/cé, 100%)', async () => {
        const uri = 'test://template/a%20b%2Fc%C3%A9/data';
        const read = await client().readResource({ uri });
        assert.deepEqual(JSON.parse((read.contents[0] as { text: string }).text), {
          uri,
          variables: { id: 'a b/cé' },
        });
        const percent = await client().readResource({ uri: 'test://template/100%25/data' });
        assert.deepEqual(variablesOf(percent as never), { id: '100%' });
      });

      it('answers -32602 with data.uri for %ZZ and for %E9 (not UTF-8)', async () => {
        for (const uri of ['test://template/%ZZ/data', 'test://template/%E9/data']) {
          const error = await rejectionOf(client().readResource({ uri }));
          assert.equal(error.code, -32602, uri);
          assert.deepEqual(error.data, { uri });
          assert.match(error.message, /the value of \{id\} is not percent-encoded UTF-8/);
        }
      });

      it('completes with plain values that round-trip through a read', async () => {
        const { completion } = await client().complete({
          ref: { type: 'ref/resource', uri: 'test://template/{id}/data' },
          argument: { name: 'id', value: 'a' },
        });
        assert.deepEqual(completion.values, ['a b/cé']);
        const read = await client().readResource({
          uri: `test://template/${encodeURIComponent(completion.values[0]!)}/data`,
        });
        assert.deepEqual(variablesOf(read as never), { id: 'a b/cé' });
      });
    },
  );
});
