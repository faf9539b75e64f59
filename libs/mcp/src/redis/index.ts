/**
 * `nest-mcp/redis`: state shared by several instances of one MCP server through Redis. Needs
 * the optional peer dependency `ioredis`; the core entry never imports it.
 */
export { redisState, type RedisStateOptions } from './redis-state.js';
export { redisStateOptions, type RedisStateModuleOptions } from './redis-state-options.js';
export { RedisChangeBus } from './redis-change-bus.js';
export { RedisFleetChangeLog, type RedisFleetKeys } from './redis-fleet-change-log.js';
export { RedisTaskStore, type RedisTaskKeys } from './redis-task.store.js';
export { RedisSessionStore } from './redis-session-store.js';
export { RedisEventStore, type RedisEventStoreOptions } from './redis-event-store.js';
export { RedisInstanceRouter } from './redis-instance-router.js';
export { RedisChannelStore } from './redis-channel-store.js';
