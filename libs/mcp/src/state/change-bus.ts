import type { ServerEvent, ServerEventBus } from '@modelcontextprotocol/server';

/**
 * A change bus shared by several instances (see `nest-mcp/redis`): `publish` reaches every
 * instance's listeners, `publishLocal` this instance's only. The SDK's in-memory bus is the
 * single-instance case, where both are the same.
 */
export interface McpChangeBus extends ServerEventBus {
  /** Delivers `event` to the listeners of this instance only. */
  publishLocal(event: ServerEvent): void;
}

/** `bus.publishLocal(event)` when the bus has it; a bus of one instance is local anyway. */
export function publishLocally(bus: ServerEventBus, event: ServerEvent): void {
  const shared = bus as Partial<McpChangeBus>;
  if (typeof shared.publishLocal === 'function') shared.publishLocal(event);
  else bus.publish(event);
}
