import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { checkOwed, isResponse, type Received, type WireMessage } from './answer-checks.js';
import { INITIALIZED_TEXT, initializeText } from '../../example/support/mcp-messages.js';
import { type Era, type FuzzMessage, MODERN_META } from './fuzz-messages.js';

/** The example app's stdio entry (`src/main-stdio.ts`). */
const EXAMPLE_STDIO_MAIN = fileURLToPath(new URL('../../../src/main-stdio.js', import.meta.url));

/** A connection that carries one JSON-RPC message per frame or line: WebSocket, stdio. */
export interface MessagePeer {
  readonly era: Era;
  /** Sends one message; `input` says what it is owed (a peer over HTTP checks its status). */
  send(text: string, input?: FuzzMessage): void;
  /** Every message received goes here, with its text. */
  onMessage: (message: WireMessage, text: string) => void;
  /** Why the peer can no longer be used (closed, exited), once it cannot. */
  readonly gone: string | undefined;
  close(): Promise<void>;
}

function dispatch(peer: MessagePeer, text: string): void {
  let message: WireMessage;
  try {
    message = JSON.parse(text) as WireMessage;
  } catch {
    message = { error: { code: `unparseable: ${text.slice(0, 100)}` } };
  }
  peer.onMessage(message, text);
}

export class WebSocketPeer implements MessagePeer {
  onMessage: MessagePeer['onMessage'] = () => undefined;
  gone: string | undefined;
  /** Close codes seen (a fuzz socket must not be closed at all). */
  closeCode: number | undefined;

  private constructor(
    readonly socket: WebSocket,
    readonly era: Era,
  ) {
    socket.on('message', (data, isBinary) =>
      isBinary ? (this.gone = 'a binary frame from the server') : dispatch(this, String(data)),
    );
    socket.on('close', (code) => {
      this.closeCode = code;
      this.gone ??= `closed ${code}`;
    });
    socket.on('error', (error) => (this.gone ??= `error ${error.message}`));
  }

  static async open(url: string, era: Era): Promise<WebSocketPeer> {
    const socket = new WebSocket(url, 'mcp');
    await new Promise<void>((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const peer = new WebSocketPeer(socket, era);
    await begin(peer);
    return peer;
  }

  send(text: string): void {
    this.socket.send(text);
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    const closed = new Promise((resolve) => this.socket.once('close', resolve));
    this.socket.close(1000);
    await closed;
  }
}

/** The example app over stdio, in a process of its own. */
export class StdioPeer implements MessagePeer {
  onMessage: MessagePeer['onMessage'] = () => undefined;
  gone: string | undefined;
  stderr = '';
  private partial = '';

  private constructor(
    readonly child: ChildProcessWithoutNullStreams,
    readonly era: Era,
  ) {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (this.partial + chunk).split('\n');
      this.partial = lines.pop()!;
      for (const line of lines) if (line.trim() !== '') dispatch(this, line);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (this.stderr = (this.stderr + chunk).slice(-5000)));
    child.on('exit', (code, signal) => (this.gone ??= `exited ${code ?? signal}`));
    child.stdin.on('error', () => undefined);
  }

  static async spawn(era: Era): Promise<StdioPeer> {
    const peer = new StdioPeer(spawn(process.execPath, [EXAMPLE_STDIO_MAIN], { stdio: 'pipe' }), era);
    await begin(peer);
    return peer;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  send(text: string): void {
    this.child.stdin.write(`${text}\n`);
  }

  async close(): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

let sentinels = 0;
/** Once the sentinel is answered, how long an owed answer may still take. */
const OWED_AFTER_SENTINEL_MS = 1_000;

/** A request every peer answers, in its era: its answer marks the end of a case. */
export function sentinelRequest(era: Era): { id: string; text: string } {
  const id = `sentinel-${++sentinels}`;
  const text = JSON.stringify(
    era === 'modern'
      ? { jsonrpc: '2.0', id, method: 'tools/list', params: { _meta: MODERN_META } }
      : { jsonrpc: '2.0', id, method: 'ping' },
  );
  return { id, text };
}

/** The first exchange: 2025 peers initialize; 2026 peers make one stateless request. */
export async function begin(peer: MessagePeer): Promise<void> {
  if (peer.era === 'legacy') {
    await exchange(peer, initializeText('init', 'fuzz'), (message) => message.id === 'init', 15_000);
    peer.send(INITIALIZED_TEXT);
  }
  const sentinel = sentinelRequest(peer.era);
  await exchange(peer, sentinel.text, (message) => message.id === sentinel.id, 15_000);
}

function exchange(
  peer: MessagePeer,
  text: string,
  done: (message: WireMessage) => boolean,
  boundMs: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer to ${text}: ${peer.gone ?? ''}`)), boundMs);
    peer.onMessage = (message) => {
      if (!done(message)) return;
      clearTimeout(timer);
      resolve();
    };
    peer.send(text);
  });
}

/**
 * Sends each input, then a sentinel request, and waits for the sentinel's answer (and for the
 * input's own answer when it is owed one) within `boundMs`: an input that makes the peer hang,
 * close or exit shows, as does any answer that is not the one owed.
 */
export async function runSequential(
  peer: MessagePeer,
  inputs: readonly FuzzMessage[],
  boundMs: number,
): Promise<string[]> {
  const failures: string[] = [];
  for (const input of inputs) {
    if (peer.gone !== undefined) {
      failures.push(`[${input.label}] the peer was already gone: ${peer.gone}`);
      break;
    }
    const received: Received = { responses: [], notifications: [] };
    const sentinel = sentinelRequest(peer.era);
    const owesAnswer = input.owed.kind !== 'silence';
    let sentinelAnswered = false;
    await new Promise<void>((resolve) => {
      let timer = setTimeout(finish, boundMs);
      function finish(): void {
        clearTimeout(timer);
        resolve();
      }
      peer.onMessage = (message, text) => {
        if (message.id === sentinel.id && isResponse(message)) {
          sentinelAnswered = true;
          // Messages are handled in order, so what the input is owed comes soon after at most.
          clearTimeout(timer);
          timer = setTimeout(finish, OWED_AFTER_SENTINEL_MS);
        } else if (isResponse(message) || message.error !== undefined) {
          received.responses.push({ message, text });
        } else {
          received.notifications.push(message);
        }
        if (sentinelAnswered && (!owesAnswer || received.responses.length > 0)) finish();
      };
      peer.send(input.text, input);
      peer.send(sentinel.text);
    });
    const problems = sentinelAnswered
      ? checkOwed(input, received)
      : [`no answer within ${boundMs} ms: ${peer.gone ?? 'hang'}`];
    for (const problem of problems)
      failures.push(`[${input.label}] ${problem}; sent ${input.text.slice(0, 200)}`);
  }
  return failures;
}
