import { MODERN, modernHeaders, parseSse } from '../../http/support/http-harness.js';

/** A 2026-07-28 client that can answer elicitation. */
const CLIENT_META = {
  'io.modelcontextprotocol/protocolVersion': MODERN,
  'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } },
  'io.modelcontextprotocol/clientInfo': { name: 'fleet-test', version: '0.0.1' },
};

let nextId = 1;

/** One stateless 2026 request; resolves with the JSON-RPC answer (JSON or the SSE stream's last message). */
export async function modernRequest(
  url: string,
  method: string,
  params: Record<string, unknown> = {},
  options: { name?: string; headers?: Record<string, string> } = {},
): Promise<any> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { ...modernHeaders(method, options.name), ...options.headers },
    body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params: { ...params, _meta: CLIENT_META } }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
    return parseSse(text)
      .map((event) => event.data)
      .findLast((message) => message !== undefined && 'id' in message);
  }
  return JSON.parse(text);
}

/** `tools/call` in the 2026 era (`requestState` / `inputResponses` for a retried round). */
export function callTool(
  url: string,
  name: string,
  args: Record<string, unknown> = {},
  extra: {
    requestState?: string;
    inputResponses?: Record<string, unknown>;
    headers?: Record<string, string>;
  } = {},
): Promise<any> {
  const { headers, ...round } = extra;
  return modernRequest(url, 'tools/call', { name, arguments: args, ...round }, { name, headers });
}

/** The names `tools/list` answers with. */
export async function toolNames(url: string): Promise<string[]> {
  const answer = await modernRequest(url, 'tools/list');
  return (answer.result.tools as Array<{ name: string }>).map((tool) => tool.name);
}

/**
 * An open `subscriptions/listen` (2026 era) over HTTP: the SSE stream is read as it comes,
 * its notifications collected. `close` aborts it.
 */
export class OpenListen {
  readonly notifications: any[] = [];
  private readonly controller = new AbortController();
  private waiters: Array<() => void> = [];
  private buffer = '';

  private constructor() {}

  static async open(
    url: string,
    filter: Record<string, unknown> = { toolsListChanged: true },
  ): Promise<OpenListen> {
    const listen = new OpenListen();
    const response = await fetch(url, {
      method: 'POST',
      headers: modernHeaders('subscriptions/listen'),
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: `listen-${nextId++}`,
        method: 'subscriptions/listen',
        params: { notifications: filter, _meta: CLIENT_META },
      }),
      signal: listen.controller.signal,
    });
    if (response.status !== 200)
      throw new Error(`listen answered ${response.status}: ${await response.text()}`);
    void listen.read(response.body!);
    await listen.waitFor((message) => message.method === 'notifications/subscriptions/acknowledged', 5_000);
    return listen;
  }

  /** Notifications of `method` received so far. */
  count(method: string): number {
    return this.notifications.filter((message) => message.method === method).length;
  }

  /** Resolves with the first message matching `test` (already received or to come), or rejects after `timeoutMs`. */
  async waitFor(test: (message: any) => boolean, timeoutMs: number): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.notifications.find(test);
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`no such notification within ${timeoutMs} ms: ${JSON.stringify(this.notifications)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.controller.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of body) {
        this.buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = this.buffer.indexOf('\n\n')) >= 0) {
          const block = this.buffer.slice(0, end + 2);
          this.buffer = this.buffer.slice(end + 2);
          for (const event of parseSse(block))
            if (event.data !== undefined) this.notifications.push(event.data);
          for (const waiter of this.waiters.splice(0)) waiter();
        }
      }
    } catch {
      // Aborted by `close`, or the server went away: what was received stays.
    }
  }
}
