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
export async function writeAfterSend(write: () => Promise<void>, limitMs = WRITE_AFTER_SEND_LIMIT_MS): Promise<void> {
  const until = Date.now() + limitMs;
  for (;;) {
    try {
      await write();
      return;
    } catch (err) {
      if (!isBusy(err) || Date.now() >= until) throw err;
      heartbeat();
      await sleep(250);
    }
  }
}

/**
 * A register that is there but cannot take the write just now: SQLite held by another connection longer than the
 * busy timeout; PostgreSQL unreachable for a moment (restart, failover: connection errors, SQLSTATE class 08,
 * 57P01-03 shutdown) or a lock conflict (40001, 40P01, 55P03).
 */
function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  if (typeof code !== 'string') return false;
  return (
    code.startsWith('SQLITE_BUSY') ||
    code.startsWith('SQLITE_LOCKED') ||
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03', '40001', '40P01', '55P03'].includes(
      code,
    ) ||
    code.startsWith('08')
  );
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
