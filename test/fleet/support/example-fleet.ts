import { ExampleProcess } from '../../example/support/example-process.js';
import { NginxBalancer } from './nginx-balancer.js';

/** A key every instance of a test fleet signs `requestState` with (48 bytes). */
export const FLEET_REQUEST_STATE_KEY = 'fleet-test-key-0123456789abcdef0123456789abcdef';
export const EDITOR_TOKEN = 'fleet-editor-token';

/**
 * Instances of the example app (`dist/src/main.js`, one process each) sharing one Redis under
 * one key prefix, behind a round-robin nginx.
 */
export class ExampleFleet {
  private constructor(
    readonly instances: ExampleProcess[],
    readonly balancer: NginxBalancer,
    readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return this.balancer.url;
  }

  static async start(
    redisUrl: string,
    keyPrefix: string,
    size = 3,
    extraEnv: Record<string, string> = {},
  ): Promise<ExampleFleet> {
    const env = {
      ...extraEnv,
      REDIS_URL: redisUrl,
      MCP_REDIS_PREFIX: keyPrefix,
      MCP_REQUEST_STATE_KEY: FLEET_REQUEST_STATE_KEY,
      NOTES_EDITOR_TOKEN: EDITOR_TOKEN,
    };
    const instances: ExampleProcess[] = [];
    try {
      for (let index = 0; index < size; index++) instances.push(await ExampleProcess.start(env));
      const balancer = await NginxBalancer.start(instances.map((instance) => instance.port));
      return new ExampleFleet(instances, balancer, env);
    } catch (error) {
      for (const instance of instances) instance.kill();
      throw error;
    }
  }

  /** Every instance's count of served `tools/call` requests (from its `/metrics`). */
  async toolCallCounts(): Promise<number[]> {
    return Promise.all(
      this.instances.map(async (instance) => {
        const text = await (await fetch(`http://127.0.0.1:${instance.port}/metrics`)).text();
        return text
          .split('\n')
          .filter(
            (line) =>
              line.startsWith('mcp_request_duration_seconds_count{') && line.includes('method="tools/call"'),
          )
          .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
      }),
    );
  }

  async stop(): Promise<void> {
    await this.balancer.stop();
    for (const instance of this.instances) instance.kill();
    await Promise.all(this.instances.map((instance) => instance.exited));
  }
}
