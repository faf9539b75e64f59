import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { type Measurement, percentiles, Samples } from './measurement.js';

export interface WsLoad {
  readonly kind: 'ws';
  /** Messages sent (requests awaited by id) when a socket opens, before it is measured. */
  readonly handshake: (id: number) => Array<Record<string, unknown>>;
  /** The request for JSON-RPC id `id`, serialized. */
  readonly call: (id: number) => string;
}

/**
 * `connections` sockets (subprotocol `mcp`), each doing its handshake, then a closed loop
 * of one request in flight per socket for `seconds`. Answers are matched by id.
 */
export async function runWs(
  url: string,
  load: WsLoad,
  connections: number,
  seconds: number,
): Promise<Measurement> {
  const wsUrl = url.replace(/^http/, 'ws');
  const samples = new Samples();
  let errors = 0;
  let running = true;
  const sockets = await Promise.all(
    Array.from({ length: connections }, (_, index) => openClient(wsUrl, load, index * 1_000_000)),
  );
  const done: Promise<void>[] = [];
  const stopAt = performance.now() + seconds * 1000;
  for (const [index, socket] of sockets.entries()) {
    done.push(
      new Promise<void>((resolve) => {
        let id = index * 1_000_000 + 1000;
        let sentAt = 0;
        const sendNext = () => {
          if (!running || performance.now() >= stopAt) return resolve();
          sentAt = performance.now();
          socket.send(load.call(++id));
        };
        socket.on('message', (data) => {
          const text = String(data);
          if (!text.includes(`"id":${id}`)) return; // a notification, or a late handshake answer
          samples.push(performance.now() - sentAt);
          if (!text.includes('"result"')) errors++;
          sendNext();
        });
        socket.on('close', () => {
          errors++;
          resolve();
        });
        sendNext();
      }),
    );
  }
  const started = performance.now();
  await Promise.all(done);
  const elapsed = (performance.now() - started) / 1000;
  running = false;
  for (const socket of sockets) socket.terminate();
  return { rps: samples.count / elapsed, ...percentiles(samples.view()), errors };
}

/** One socket, handshake done (each handshake request answered). */
export async function openClient(url: string, load: WsLoad, firstId: number): Promise<WebSocket> {
  const socket = new WebSocket(url, 'mcp', { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  for (const message of load.handshake(firstId)) {
    const id = message['id'];
    socket.send(JSON.stringify(message));
    if (id === undefined) continue;
    await new Promise<void>((resolve) => {
      const onMessage = (data: WebSocket.RawData) => {
        if (!String(data).includes(`"id":${JSON.stringify(id)}`)) return;
        socket.off('message', onMessage);
        resolve();
      };
      socket.on('message', onMessage);
    });
  }
  return socket;
}
