import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { HttpException } from '@nestjs/common';
import { isObservable, lastValueFrom } from 'rxjs';
import { httpExceptionMessage } from '../../errors/failure-mapping.js';
import { refusal, type UpgradeRefusal } from './upgrade-refusal.js';

/**
 * Runs the route's guards against an upgrade, in order, as Nest runs controller guards: the
 * first that returns false refuses with 403; one that throws an `HttpException` refuses with
 * that exception's status and message (a 401 stays a 401). Other errors propagate.
 */
export async function runUpgradeGuards(
  guards: readonly CanActivate[],
  context: ExecutionContext,
): Promise<UpgradeRefusal | undefined> {
  for (const guard of guards) {
    let allowed: boolean;
    try {
      const result = guard.canActivate(context);
      allowed = isObservable(result) ? await lastValueFrom(result) : await result;
    } catch (error) {
      if (error instanceof HttpException) {
        return { status: error.getStatus(), message: httpExceptionMessage(error), reason: 'guard' };
      }
      throw error;
    }
    if (!allowed) return refusal('forbidden', 'Forbidden resource', 'guard');
  }
  return undefined;
}
