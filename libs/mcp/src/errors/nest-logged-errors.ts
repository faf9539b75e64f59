import { IntrinsicException } from '@nestjs/common';

/**
 * Nest's exception layer behind `ExternalContextCreator` logs, with its stack, every error
 * that is not an `IntrinsicException` and that no user filter handled. Errors leaving a
 * pipeline-wrapped handler are remembered here, so the wire mapping does not log them a
 * second time; errors of handlers called directly (runtime registrations) are not in the
 * set and are logged by the wire mapping.
 */
const loggedByNest = new WeakSet<object>();

export function rememberLoggedByNest(error: unknown): void {
  if (error instanceof Error && !(error instanceof IntrinsicException)) loggedByNest.add(error);
}

export function wasLoggedByNest(error: unknown): boolean {
  return typeof error === 'object' && error !== null && loggedByNest.has(error);
}
