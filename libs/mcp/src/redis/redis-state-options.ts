import type { McpModuleOptions } from '../mcp.options.js';
import { redisState, type RedisStateOptions } from './redis-state.js';

export interface RedisStateModuleOptions extends RedisStateOptions {
  /**
   * The `requestState` signing keys every instance shares, newest first (see
   * `McpRequestStateOptions.keys`): at least one, each at least 32 bytes. Empty strings are
   * ignored, so `process.env.KEY?.split(',')` with the variable unset fails start-up with
   * a message saying what to set.
   */
  requestStateKeys: ReadonlyArray<string | undefined>;
}

/**
 * The module options that put an MCP server on Redis, in one call:
 *
 * ```ts
 * McpModule.forRoot({
 *   serverInfo: { name: 'notes', version: '1.0.0' },
 *   ...redisStateOptions({ url: process.env.REDIS_URL, requestStateKeys: [process.env.MCP_REQUEST_STATE_KEY] }),
 * })
 * ```
 *
 * (in `forRootAsync`, spread it into the factory's result).
 */
export function redisStateOptions(
  options: RedisStateModuleOptions,
): Required<Pick<McpModuleOptions, 'state' | 'requestState'>> {
  const { requestStateKeys, ...redis } = options;
  return {
    state: redisState(redis),
    requestState: { keys: requestStateKeys.filter((key): key is string => key !== undefined && key !== '') },
  };
}
