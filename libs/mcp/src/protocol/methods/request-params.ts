import { McpWireError } from '../../errors/wire-errors.js';
import { isPlainObject } from '../request-envelope.js';

/** Light hand checks of the params a method needs; failures are -32602 naming the field. */

export function requireString(params: Record<string, unknown>, key: string, method: string): string {
  const value = params[key];
  if (typeof value !== 'string') {
    throw new McpWireError('invalid-params', `Invalid params: ${method} requires a string '${key}'`);
  }
  return value;
}

export function optionalObject(
  params: Record<string, unknown>,
  key: string,
  method: string,
): Record<string, unknown> | undefined {
  const value = params[key];
  if (value !== undefined && !isPlainObject(value)) {
    throw new McpWireError('invalid-params', `Invalid params: ${method} '${key}' must be an object`);
  }
  return value;
}

export function requireObject(
  params: Record<string, unknown>,
  key: string,
  method: string,
): Record<string, unknown> {
  const value = params[key];
  if (!isPlainObject(value)) {
    throw new McpWireError('invalid-params', `Invalid params: ${method} requires an object '${key}'`);
  }
  return value;
}
