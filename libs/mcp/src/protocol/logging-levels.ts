import type { LoggingLevel } from '@modelcontextprotocol/server';

/** Syslog severities in ascending order, as the spec lists them. */
const SEVERITY: Readonly<Record<LoggingLevel, number>> = {
  debug: 0,
  info: 1,
  notice: 2,
  warning: 3,
  error: 4,
  critical: 5,
  alert: 6,
  emergency: 7,
};

export function isLoggingLevel(value: unknown): value is LoggingLevel {
  return typeof value === 'string' && Object.hasOwn(SEVERITY, value);
}

/** Whether a message at `level` passes the client's `threshold`. */
export function passesLogLevel(level: LoggingLevel, threshold: LoggingLevel): boolean {
  return SEVERITY[level] >= SEVERITY[threshold];
}
