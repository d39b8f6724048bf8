import { log, sleep } from '@temporalio/workflow';
import { isPatched, onBaseline } from './patches';

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
/**
 * Runs on the baseline (patches.ts) send it again at least this often: the decision or "settled" reaches its
 * playbook soon after the receiving run has room again, not minutes later (as report-again-soon for reports).
 */
export const SIGNAL_AGAIN_ON_BASELINE_AT_MOST_MS = 30_000;

/** Sends with `send` until Temporal takes it; "not found" (the receiver has ended) is thrown, as before. */
export async function signalUntilTaken(send: () => Promise<void>): Promise<void> {
  const most = onBaseline() ? SIGNAL_AGAIN_ON_BASELINE_AT_MOST_MS : SIGNAL_AGAIN_AT_MOST_MS;
  for (let wait = SIGNAL_AGAIN_AFTER_MS; ; wait = Math.min(wait * 2, most)) {
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
