/**
 * The HTTP status a server refused a connection attempt or request with, when the error says:
 * the SDK's `SdkHttpError` (`status`), our polling and WebSocket client transports (`status`,
 * set from the response or from `ws`'s "Unexpected server response: 401"), looked for on the
 * error and its `cause`. Lets callers tell "the server said no" (401, 403, 4xx) from "the
 * server could not be reached".
 */
export function refusalStatusOf(error: unknown): number | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 3; depth++) {
    const status = (current as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status <= 599) return status;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** An error carrying the HTTP status the server answered with (see `refusalStatusOf`). */
export function withStatus(error: Error, status: number | undefined): Error {
  if (status !== undefined) Object.defineProperty(error, 'status', { value: status, enumerable: true });
  return error;
}
