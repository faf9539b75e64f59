import { McpWireError } from '../errors/wire-errors.js';
import { isPlainObject } from '../protocol/request-envelope.js';
import type { RequestCall } from '../protocol/request-call.js';
import { TASKS_EXTENSION_ID } from './task.types.js';

/**
 * Whether the request declared the tasks extension in its per-request capabilities (spec,
 * "Capability Negotiation": the declaration is per request; earlier ones do not count). Only
 * 2026-era requests have per-request capabilities: 2025-era sessions never get tasks (see the
 * README on the 2025-11-25 experimental tasks).
 */
export function declaresTasks(call: RequestCall): boolean {
  if (call.era !== 'modern') return false;
  const extensions = (call.envelope?.clientCapabilities as Record<string, unknown> | undefined)?.[
    'extensions'
  ];
  return isPlainObject(extensions) && isPlainObject(extensions[TASKS_EXTENSION_ID]);
}

/** -32021 naming the extension, as the spec's example (`data.requiredCapabilities`). */
export function missingTasksCapability(what: string): McpWireError {
  return new McpWireError(
    'missing-client-capability',
    `Missing required client capability: ${what} needs the ${TASKS_EXTENSION_ID} extension`,
    { requiredCapabilities: { extensions: { [TASKS_EXTENSION_ID]: {} } } },
  );
}
