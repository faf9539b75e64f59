import type { Readable, Writable } from 'node:stream';
import type { RequestId } from '@modelcontextprotocol/server';
import { errorResponse, parseJsonRpc } from '../../protocol/json-rpc-messages.js';
import { McpWireError } from '../../errors/wire-errors.js';
import type { McpConnection } from '../../protocol/mcp-connection.interface.js';
import { SessionEraTracker } from '../../observability/session-era-tracker.js';
import { NO_METER, type TransportMeter } from '../../observability/transport-meter.js';
import type { JSONRPCMessage, McpTransport } from '../transport.interface.js';
import { NdjsonLineReader } from './ndjson-line-reader.js';

const FLUSH_TIMEOUT_MS = 2000;

/**
 * MCP over a byte stream pair with newline-delimited JSON (the stdio transport of the spec):
 * one JSON-RPC message per line in each direction, nothing else on the output.
 *
 * Text framing errors are answered here, because only this transport sees text: invalid JSON
 * gets -32700 and an over-long line gets a payload-too-large error, both with id null, and
 * the stream stays usable. Everything that parses goes to `onmessage`, JSON-RPC or not (the
 * protocol layer answers non-JSON-RPC values).
 */
export class StdioTransport implements McpTransport {
  onmessage?: McpTransport['onmessage'];
  onclose?: () => void;
  onerror?: (error: Error) => void;

  /** Settles when the input ends (EOF, error or destroy): the peer will send nothing more. */
  readonly inputEnded: Promise<void>;

  private readonly reader: NdjsonLineReader;
  private signalInputEnded!: () => void;
  private started = false;
  private closed = false;
  /** Sends waiting for the output to drain; input is paused while there are any. */
  private drainWaiters: Array<() => void> = [];

  private connection: McpConnection | undefined;
  private readonly session: SessionEraTracker;

  constructor(
    private readonly input: Readable,
    private readonly output: Writable,
    maxMessageBytes: number,
    private readonly meter: TransportMeter = NO_METER,
  ) {
    this.session = new SessionEraTracker(meter);
    this.inputEnded = new Promise((resolve) => (this.signalInputEnded = resolve));
    this.reader = new NdjsonLineReader(
      maxMessageBytes,
      (line) => this.onLine(line),
      (lineBytes) =>
        this.sendError(
          new McpWireError(
            'payload-too-large',
            `Message of ${lineBytes} bytes exceeds the limit of ${maxMessageBytes} bytes`,
          ),
        ),
    );
  }

  async start(): Promise<void> {
    if (this.started) throw new Error('StdioTransport already started');
    this.started = true;
    this.input.on('data', this.onData);
    this.input.once('end', this.onInputEnd);
    this.input.once('close', this.onInputEnd);
    this.input.on('error', this.onInputError);
    this.output.on('error', this.onOutputError);
    this.output.on('drain', this.onDrain);
  }

  /**
   * Writes one message line. Resolves once the output accepted it; when the output's buffer
   * is full, only after it drained, and reading input is paused meanwhile so a peer that
   * does not read our answers cannot make us queue them without bound.
   */
  send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) return Promise.reject(new Error('StdioTransport is closed'));
    this.meter.messageOut();
    if (this.output.write(`${JSON.stringify(message)}\n`)) return Promise.resolve();
    this.input.pause();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /**
   * The protocol connection this transport feeds, read to learn the session's era. Lines can
   * arrive as soon as `start()` listens, before the connection is bound, hence the check here.
   */
  bindConnection(connection: McpConnection): void {
    this.connection = connection;
    this.session.observe(connection);
  }

  /** Stops reading, waits for what was written to be flushed, then reports the close. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.detachInput();
    await this.flushOutput();
    this.output.off('drain', this.onDrain);
    this.releaseDrainWaiters();
    this.signalInputEnded();
    this.session.end();
    this.onclose?.();
  }

  private readonly onData = (chunk: Buffer | string): void => {
    this.reader.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  };

  private onLine(line: string): void {
    if (this.closed) return;
    this.meter.messageIn();
    const parsed = parseJsonRpc(line);
    if (!parsed.ok) {
      this.sendError(parsed.error);
      return;
    }
    try {
      this.onmessage?.(parsed.value as JSONRPCMessage);
    } catch (error) {
      this.onerror?.(error instanceof Error ? error : new Error(String(error)));
    }
    this.session.observe(this.connection);
  }

  private sendError(error: McpWireError, id: RequestId | null = null): void {
    if (this.closed) return;
    void this.send(errorResponse(id, error)).catch(() => undefined);
  }

  private readonly onInputEnd = (): void => {
    this.reader.end();
    this.detachInput();
    this.signalInputEnded();
  };

  // The error listeners stay attached after close: a late EPIPE must not become an
  // uncaught exception that kills the process.
  private readonly onInputError = (error: Error): void => {
    if (this.closed) return;
    this.onerror?.(error);
    this.onInputEnd();
  };

  /** EPIPE and the like: nobody can hear us any more, so the connection is over. */
  private readonly onOutputError = (error: Error): void => {
    if (this.closed) return;
    this.onerror?.(error);
    this.closed = true;
    this.detachInput();
    this.releaseDrainWaiters();
    this.signalInputEnded();
    this.session.end();
    this.onclose?.();
  };

  private readonly onDrain = (): void => {
    this.releaseDrainWaiters();
    if (!this.closed && !this.input.readableEnded) this.input.resume();
  };

  private releaseDrainWaiters(): void {
    for (const resolve of this.drainWaiters.splice(0)) resolve();
  }

  private detachInput(): void {
    this.input.off('data', this.onData);
    this.input.off('end', this.onInputEnd);
    this.input.off('close', this.onInputEnd);
    // Without a 'data' listener a paused stdin no longer keeps the process alive.
    this.input.pause();
  }

  /** Bounded: a peer that stopped reading must not keep us from shutting down. */
  private flushOutput(): Promise<void> {
    if (this.output.destroyed || this.output.writableEnded) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, FLUSH_TIMEOUT_MS);
      timer.unref();
      this.output.write('', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
