import type { Client } from '@modelcontextprotocol/client';

/**
 * A connected server, whichever way it was reached: the fallback client for a URL, the stdio
 * session for `--stdio`. Commands speak to it through the SDK client.
 */
export interface CliSession {
  /** Printed before the output: `transport: <name>`. */
  readonly transportName: string | undefined;
  readonly client: Client;
  close(): Promise<void>;
}
