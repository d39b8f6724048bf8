import { log, sleep } from '@temporalio/workflow';
import { isPatched } from './patches';

/**
 * A signal from one of a breach's workflows to another that Temporal refuses while the receiving run is full of
 * signals (history.maximumSignalsPerExecution, reached by a flood from anyone on the frontend) is sent again, first
 * after SIGNAL_AGAIN_AFTER_MS, then twice as long each time up to SIGNAL_AGAIN_AT_MOST_MS: a full run moves on
 * (resumable.ts), and the next one takes signals. Uncaught, the refusal would have failed the sending workflow.
 * Runs recorded before this never sent a signal again (reached only after a refusal).
 */
export const SIGNAL_AGAIN_PATCH = 'signal-again';
export const SIGNAL_AGAIN_AFTER_MS = 5_000;
export const SIGNAL_AGAIN_AT_MOST_MS = 5 * 60_000;

/** Sends with `send` until Temporal takes it; "not found" (the receiver has ended) is thrown, as before. */
export async function signalUntilTaken(send: () => Promise<void>): Promise<void> {
  for (let wait = SIGNAL_AGAIN_AFTER_MS; ; wait = Math.min(wait * 2, SIGNAL_AGAIN_AT_MOST_MS)) {
    try {
      await send();
      return;
    } catch (err) {
      if (/not found/i.test(String(err)) || !isPatched(SIGNAL_AGAIN_PATCH)) throw err;
      log.warn('Signal refused; sent again later', { error: String(err), againInMs: wait });
      await sleep(wait);
    }
  }
}
