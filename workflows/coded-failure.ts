import { ApplicationFailure } from '@temporalio/workflow';
import type { Refused } from '../domain/errors';

/**
 * What an update validator throws for a refusal: with a code, an ApplicationFailure whose `type` is the code and
 * whose details are its parameters, so the client gets both back (client/shared/breaches.ts) and a page can
 * translate it; without one, a plain Error with the message, as before. Validators leave nothing in the history.
 */
export function refusedUpdate(refused: Refused): Error {
  return refused.code
    ? ApplicationFailure.create({
        message: refused.message,
        type: refused.code,
        details: [refused.params ?? {}],
        nonRetryable: true,
      })
    : new Error(refused.message);
}
