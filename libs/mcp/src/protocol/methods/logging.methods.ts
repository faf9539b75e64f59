import type { Result } from '@modelcontextprotocol/server';
import { McpWireError } from '../../errors/wire-errors.js';
import { isLoggingLevel } from '../logging-levels.js';
import type { RequestCall } from '../request-call.js';

/** 2025 era: the session's threshold for `notifications/message`. */
export function setLogLevel(call: RequestCall): Result {
  const level = call.params['level'];
  if (!isLoggingLevel(level)) {
    throw new McpWireError(
      'invalid-params',
      "Invalid params: logging/setLevel requires a logging level 'level'",
    );
  }
  call.connection.setLogLevel(level);
  return {};
}
