import type { McpModuleOptions } from 'nest-mcp';
import { redisStateOptions } from 'nest-mcp/redis';

/**
 * Several instances behind one load balancer: with `REDIS_URL` set, the module's state is on
 * Redis and `requestState` is signed with `MCP_REQUEST_STATE_KEY` (comma-separated, newest
 * first, to rotate), under the keys `MCP_REDIS_PREFIX` (default `nest-mcp:notes:`), an
 * instance counting as gone `MCP_INSTANCE_TTL_MS` after its last sign of life. Without
 * it, one instance with in-memory state, signing with `MCP_REQUEST_STATE_KEY` if it is set.
 */
export function sharedStateOptions(env = process.env): Pick<McpModuleOptions, 'state' | 'requestState'> {
  const keys = (env['MCP_REQUEST_STATE_KEY'] ?? '').split(',').filter((key) => key !== '');
  const url = env['REDIS_URL'];
  if (url === undefined || url === '') return keys.length > 0 ? { requestState: { keys } } : {};
  return redisStateOptions({
    url,
    keyPrefix: env['MCP_REDIS_PREFIX'] ?? 'nest-mcp:notes:',
    requestStateKeys: keys,
    ...(env['MCP_INSTANCE_TTL_MS'] !== undefined && {
      instanceTtlMs: Number(env['MCP_INSTANCE_TTL_MS']),
    }),
  });
}
