import { QueryNotRegisteredError } from '@temporalio/client';
import type { Language } from '../../domain/language';

/**
 * A query that reaches a breach before its first workflow task has run finds no handler yet: the SDK answers with
 * QueryNotRegisteredError, whose message the failure converter encodes (codec/failure-converter.cjs), so the
 * caller would read only "Encoded failure". It says what happened instead, without anything of the breach.
 */
export class BreachStartingError extends Error {
  override readonly name = 'BreachStartingError';
  static readonly TEXT: Record<Language, string> = {
    nl: 'het datalek wordt nog gestart; probeer het over een paar seconden opnieuw',
    en: 'the breach is still starting; try again in a few seconds',
  };

  constructor(readonly breachId: string) {
    super(`${breachId}: ${BreachStartingError.TEXT.nl} (${BreachStartingError.TEXT.en})`);
  }

  text(lang: Language): string {
    return `${this.breachId}: ${BreachStartingError.TEXT[lang]}`;
  }
}

/** A first workflow task normally runs within a second; a worker that is down is a different matter. */
const ATTEMPTS = 15;
const PAUSE_MS = 200;

/**
 * Runs a query, asking again for a few seconds while the workflow has not registered its handlers yet (just
 * started); then a BreachStartingError. Other errors pass unchanged.
 */
export async function queryWhileStarting<T>(
  breachId: string,
  query: () => Promise<T>,
  options: { attempts?: number; pauseMs?: number } = {},
): Promise<T> {
  const attempts = options.attempts ?? ATTEMPTS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await query();
    } catch (err) {
      if (!(err instanceof QueryNotRegisteredError)) throw err;
      if (attempt >= attempts) throw new BreachStartingError(breachId);
      await new Promise((resolve) => setTimeout(resolve, options.pauseMs ?? PAUSE_MS));
    }
  }
}
