import { Context } from '@temporalio/activity';
import { setTimeout as sleep } from 'node:timers/promises';

/** How long a "sent" record is retried after the email went out: far beyond any lock another process holds. */
const WRITE_AFTER_SEND_LIMIT_MS = 120_000;

/**
 * Writes what an email's acceptance by the SMTP server means (sent, refused) to the register, retrying here
 * while the register is locked or busy. Once the server has the email, failing the activity would make its retry
 * send it again; so the write is retried in place (heartbeating, so the activity is not taken for dead), and
 * only a worker that dies in this window can cause a repeat — identical, with the same Message-ID.
 */
export async function writeAfterSend(write: () => void, limitMs = WRITE_AFTER_SEND_LIMIT_MS): Promise<void> {
  const until = Date.now() + limitMs;
  for (;;) {
    try {
      write();
      return;
    } catch (err) {
      if (!isBusy(err) || Date.now() >= until) throw err;
      heartbeat();
      await sleep(250);
    }
  }
}

/** better-sqlite3's error for a database another connection holds longer than the busy timeout. */
function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** The running activity's context; undefined outside an activity (a script, a unit test). */
export function currentActivity(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

function heartbeat(): void {
  currentActivity()?.heartbeat();
}
