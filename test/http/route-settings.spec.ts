import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type INestApplication, VersioningType } from '@nestjs/common';
import { answerTo, connectPeer, type TransportKind } from '../cross-transport/support/wire-peers.js';
import { TEST_PLATFORM } from '../support/test-platform.js';
import { startHttp } from './support/http-harness.js';

/**
 * Where the MCP endpoint lands under Nest's route settings (issue 11), for every transport on
 * the route, WebSocket included, on this run's platform.
 */

interface Setting {
  readonly name: string;
  readonly route?: string;
  readonly configure?: (app: INestApplication) => void;
  /** The path every transport must answer on. */
  readonly path: string;
  /** A path that must not answer MCP. */
  readonly notAt: string;
}

const SETTINGS: Setting[] = [
  {
    name: 'setGlobalPrefix',
    configure: (app) => app.setGlobalPrefix('api'),
    path: '/api/mcp',
    notAt: '/mcp',
  },
  {
    name: 'setGlobalPrefix with the route excluded',
    configure: (app) => app.setGlobalPrefix('api', { exclude: ['mcp'] }),
    path: '/mcp',
    notAt: '/api/mcp',
  },
  {
    name: 'URI versioning with a default version',
    configure: (app) => app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' }),
    path: '/v1/mcp',
    notAt: '/mcp',
  },
  {
    name: 'global prefix and URI versioning',
    configure: (app) => {
      app.setGlobalPrefix('api');
      app.enableVersioning({ type: VersioningType.URI, defaultVersion: '2' });
    },
    path: '/api/v2/mcp',
    notAt: '/api/mcp',
  },
  { name: 'a route without a leading slash', route: 'agents/mcp', path: '/agents/mcp', notAt: '/mcp' },
  { name: 'a route with a trailing slash', route: '/tools/mcp/', path: '/tools/mcp', notAt: '/mcp' },
];

const TRANSPORTS: TransportKind[] = ['streamable-http', 'websocket', 'polling'];

describe(`route settings on ${TEST_PLATFORM}`, () => {
  for (const setting of SETTINGS) {
    it(`${setting.name}: every transport on ${setting.path}`, async () => {
      // Each case sets its own route settings (the run's MCP_TEST_PREFIX does not apply).
      const server = await startHttp({}, setting.route, setting.configure ?? (() => {}));
      try {
        const url = `${server.origin}${setting.path}`;
        for (const transport of TRANSPORTS) {
          for (const era of ['2026', '2025'] as const) {
            const peer = await connectPeer(transport, era, url);
            try {
              await peer.request('call', 'tools/call', { name: 'echo', arguments: { text: transport } });
              const answer = await peer.waitFor(answerTo('call'));
              assert.equal(answer['result']?.['content']?.[0]?.['text'], transport, `${transport} ${era}`);
            } finally {
              await peer.close();
            }
          }
        }
        const elsewhere = await fetch(`${server.origin}${setting.notAt}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: '{}',
        });
        assert.equal(elsewhere.status, 404, `nothing MCP at ${setting.notAt}`);
        await elsewhere.text();
      } finally {
        await server.close();
      }
    });
  }
});
