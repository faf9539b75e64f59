import { Agent } from 'node:http';
import { rawRequest } from '../../example/support/raw-http.js';
import { checkHttp, type WireMessage } from './answer-checks.js';
import type { Era, FuzzMessage, Owed } from './fuzz-messages.js';
import type { MessagePeer } from './message-peers.js';

const POLLING = { 'mcp-transport': 'polling' };
/** Polls return at least this often, so the poll loop notices a stop. */
const POLL_TIMEOUT_MS = 1_000;

/** The statuses a send may get, by what its message is owed (README polling table). */
const SEND_STATUSES: Readonly<Record<Owed['kind'], ReadonlySet<number>>> = {
  'parse-error': new Set([400]),
  invalid: new Set([400]),
  silence: new Set([202, 400]),
  answer: new Set([202]),
  'unsafe-id': new Set([202, 400]),
};

/**
 * One polling channel as a message peer: sends are POSTs made one after another (so answers
 * keep their order), a poll is always parked, and every event's message goes to `onMessage`.
 * An error a send is answered with directly (400 + -32700/-32600, 503 + -32011) counts as that
 * message's answer; a send status the polling table does not allow is recorded in `problems`.
 */
export class PollingPeer implements MessagePeer {
  onMessage: MessagePeer['onMessage'] = () => undefined;
  gone: string | undefined;
  readonly problems: string[] = [];
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 4 });
  private queue: Promise<void> = Promise.resolve();
  private cursor = 0;
  private stopped = false;
  private polling: Promise<void> = Promise.resolve();

  private constructor(
    private readonly url: string,
    readonly channelId: string,
    readonly era: Era,
  ) {}

  static async open(url: string, era: Era): Promise<PollingPeer> {
    const opened = await rawRequest(url, {
      method: 'POST',
      headers: { ...POLLING, accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ pollTimeoutMs: POLL_TIMEOUT_MS }),
    });
    if (opened.kind !== 'response' || opened.status !== 201) {
      throw new Error(`polling channel not opened: ${JSON.stringify(opened)}`);
    }
    const peer = new PollingPeer(url, opened.body.channelId as string, era);
    peer.polling = peer.pollLoop();
    return peer;
  }

  send(text: string, input?: FuzzMessage): void {
    this.queue = this.queue.then(() => this.post(text, input));
  }

  private async post(text: string, input: FuzzMessage | undefined): Promise<void> {
    const outcome = await rawRequest(this.url, {
      method: 'POST',
      agent: this.agent,
      headers: { ...POLLING, 'mcp-channel-id': this.channelId, 'content-type': 'application/json' },
      body: text,
    });
    const allowed = input === undefined ? new Set([202]) : SEND_STATUSES[input.owed.kind];
    for (const problem of checkHttp(outcome, allowed)) {
      this.problems.push(`[${input?.label ?? 'sentinel'}] send: ${problem}; sent ${text.slice(0, 200)}`);
    }
    if (outcome.kind === 'response' && outcome.status !== 202 && outcome.body !== undefined) {
      this.onMessage(outcome.body as WireMessage, outcome.text);
    }
  }

  private async pollLoop(): Promise<void> {
    while (!this.stopped) {
      const outcome = await rawRequest(this.url, {
        agent: this.agent,
        timeoutMs: POLL_TIMEOUT_MS + 10_000,
        headers: {
          ...POLLING,
          'mcp-channel-id': this.channelId,
          accept: 'application/json',
          'last-event-id': String(this.cursor),
        },
      });
      if (outcome.kind !== 'response' || outcome.status !== 200) {
        this.gone = `poll answered ${outcome.kind === 'response' ? `${outcome.status} ${outcome.text}` : outcome.kind}`;
        return;
      }
      for (const event of outcome.body.events as Array<{ id: number; message: WireMessage }>) {
        this.cursor = event.id;
        const id = event.message.id;
        // The batch's own text keeps the digits of an id no number can hold (checked exactly).
        const unsafe = typeof id === 'number' && !Number.isSafeInteger(id);
        this.onMessage(event.message, unsafe ? outcome.text : JSON.stringify(event.message));
      }
      if (outcome.body.closed === true) {
        this.gone = 'channel closed';
        return;
      }
    }
  }

  async close(): Promise<void> {
    this.stopped = true;
    await this.queue;
    await rawRequest(this.url, {
      method: 'DELETE',
      headers: { ...POLLING, 'mcp-channel-id': this.channelId },
    });
    await this.polling;
    this.agent.destroy();
  }
}
