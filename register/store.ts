/**
 * The breach register store. One class over every table of the register, and one file (~450 lines) on purpose:
 * each activity's write is one transaction over several tables (breach row, events, emails, recipients), and the
 * claims and leases that keep several workers from doing a thing twice read best next to the rows they guard.
 */
import Database from 'better-sqlite3';
import { openPrivateDatabase } from './private-files';
import { SCHEMA } from './schema';
import {
  BREACH_COLUMNS,
  ENDED_OUTSIDE_COLUMNS,
  type BreachPatch,
  type BreachRow,
  type EmailAttemptRow,
  type EmailFailureRow,
  type EmailRow,
  type EndedRunRow,
  type EventRow,
  type NewRecipient,
  type RecipientCounts,
  type RecipientRow,
  type RecipientStatus,
  type TicketRow,
  type WatchedRunRow,
} from '../domain/register';

/** What a watch found: one run that ended outside lekdicht. */
export interface EndedRun {
  breachId: string;
  workflowId: string;
  runId: string;
  playbook: string;
  status: string;
  cause: string;
  endedAt: string | null;
}

export class BreachRegister {
  private readonly db: Database.Database;

  /**
   * `readOnly` is for readers that must not write (the HTTP service, which docker-compose gives the register's
   * volume read-only): no schema, no migration, no journal-mode change, so it opens a register the worker wrote
   * also while no worker has it open. The file must exist then.
   */
  constructor(
    readonly path: string,
    options: { readOnly?: boolean } = {},
  ) {
    if (options.readOnly) {
      this.db = new Database(path, { readonly: true, fileMustExist: true });
      this.db.pragma('busy_timeout = 5000');
      return;
    }
    // Breach data: owner-only (0600), WAL so the CLI can export while the worker writes.
    this.db = openPrivateDatabase(path);
    this.db.exec(SCHEMA);
    this.migrate();
  }

  /** Registers outlive releases: add the columns a newer lekdicht writes to an older file. */
  private migrate(): void {
    const present = new Set(
      (this.db.prepare('PRAGMA table_info(breaches)').all() as { name: string }[]).map((c) => c.name),
    );
    for (const column of [...BREACH_COLUMNS, ...ENDED_OUTSIDE_COLUMNS]) {
      if (!present.has(column))
        this.db.exec(
          `ALTER TABLE breaches ADD COLUMN ${column} ${column === 'notification_late' ? 'INTEGER NOT NULL DEFAULT 0' : 'TEXT'}`,
        );
    }
  }

  /** The breaches the register holds as not closed: the ones the watch checks every round. */
  openBreaches(): BreachRow[] {
    return this.db
      .prepare('SELECT * FROM breaches WHERE closed_at IS NULL ORDER BY opened_at, breach_id')
      .all() as BreachRow[];
  }

  /**
   * Claims one ended run: true for exactly one caller, however many watches (in however many processes) found it,
   * because the insert and the breach row's update are one transaction and the run's key is unique. The breach
   * row keeps the first ended run until the breach runs again; the timeline gets an event.
   */
  claimEndedRun(run: EndedRun, noticedBy: string, now = new Date().toISOString()): boolean {
    return this.db.transaction(() => {
      const inserted = this.db
        .prepare(
          `INSERT INTO ended_runs (workflow_id, run_id, breach_id, playbook, status, cause, ended_at, noticed_at, noticed_by)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        )
        .run(
          run.workflowId,
          run.runId,
          run.breachId,
          run.playbook,
          run.status,
          run.cause,
          run.endedAt,
          now,
          noticedBy,
        ).changes;
      if (inserted === 0) return false;
      this.db
        .prepare(
          `UPDATE breaches SET ended_outside_at = ?, ended_outside_status = ?, ended_outside_run = ?, ended_outside_cause = ?, updated_at = ?
           WHERE breach_id = ? AND ended_outside_at IS NULL`,
        )
        .run(now, run.status, run.workflowId, run.cause, now, run.breachId);
      this.recordEvent({
        key: `ended-outside:${run.workflowId}:${run.runId}`,
        breach_id: run.breachId,
        at: now,
        kind: 'ended-outside-lekdicht',
        actor: null,
        text: `Run ${run.workflowId} ended outside lekdicht: ${run.status} (${run.cause}); FG and deputies to be emailed`,
      });
      return true;
    })();
  }

  /**
   * The breach runs again (an operator reset it): it is no longer shown as ended outside lekdicht. The ended runs
   * stay in their table and on the timeline.
   */
  clearEndedOutside(breachId: string, runningRun: string, now = new Date().toISOString()): boolean {
    return this.db.transaction(() => {
      const changed = this.db
        .prepare(
          'UPDATE breaches SET ended_outside_at = NULL, ended_outside_status = NULL, ended_outside_run = NULL, ended_outside_cause = NULL, updated_at = ? WHERE breach_id = ? AND ended_outside_at IS NOT NULL',
        )
        .run(now, breachId).changes;
      if (changed > 0) {
        this.recordEvent({
          key: `running-again:${breachId}:${runningRun}`,
          breach_id: breachId,
          at: now,
          kind: 'running-again',
          actor: null,
          text: `Breach runs again (run ${runningRun}); watched by lekdicht`,
        });
      }
      return changed > 0;
    })();
  }

  endedRuns(breachId?: string): EndedRunRow[] {
    return (
      breachId === undefined
        ? this.db.prepare('SELECT * FROM ended_runs ORDER BY noticed_at, workflow_id').all()
        : this.db.prepare('SELECT * FROM ended_runs WHERE breach_id = ? ORDER BY noticed_at, workflow_id').all(breachId)
    ) as EndedRunRow[];
  }

  endedRun(workflowId: string, runId: string): EndedRunRow | undefined {
    return this.db.prepare('SELECT * FROM ended_runs WHERE workflow_id = ? AND run_id = ?').get(workflowId, runId) as
      EndedRunRow | undefined;
  }

  /** Ended runs whose FG email is not done and that no watch holds a lease on now. */
  endedRunsToNotify(now = new Date().toISOString()): EndedRunRow[] {
    return this.db
      .prepare(
        'SELECT * FROM ended_runs WHERE notified_at IS NULL AND (notify_lease_until IS NULL OR notify_lease_until < ?) ORDER BY noticed_at',
      )
      .all(now) as EndedRunRow[];
  }

  /** Takes the right to email about one ended run until `until`: true for one watch at a time. */
  leaseEndedRun(workflowId: string, runId: string, by: string, until: string, now = new Date().toISOString()): boolean {
    return (
      this.db
        .prepare(
          `UPDATE ended_runs SET notify_lease_until = ?, notify_lease_by = ?, notify_attempts = notify_attempts + 1
           WHERE workflow_id = ? AND run_id = ? AND notified_at IS NULL AND (notify_lease_until IS NULL OR notify_lease_until < ?)`,
        )
        .run(until, by, workflowId, runId, now).changes > 0
    );
  }

  /** The email is done (sent, or refused for good and recorded as an email failure): never tried again. */
  endedRunNotified(
    workflowId: string,
    runId: string,
    by: string,
    error: string | null = null,
    at = new Date().toISOString(),
  ): void {
    this.db
      .prepare(
        'UPDATE ended_runs SET notified_at = ?, notify_error = ?, notify_lease_until = NULL WHERE workflow_id = ? AND run_id = ? AND notify_lease_by = ?',
      )
      .run(at, error, workflowId, runId, by);
  }

  /** The email failed for now: the lease is given back so the next round (of any watch) tries again. */
  endedRunNotifyFailed(workflowId: string, runId: string, by: string, error: string): void {
    this.db
      .prepare(
        'UPDATE ended_runs SET notify_error = ?, notify_lease_until = NULL WHERE workflow_id = ? AND run_id = ? AND notify_lease_by = ? AND notified_at IS NULL',
      )
      .run(error, workflowId, runId, by);
  }

  watchedRun(workflowId: string): WatchedRunRow | undefined {
    return this.db.prepare('SELECT * FROM watched_runs WHERE workflow_id = ?').get(workflowId) as
      WatchedRunRow | undefined;
  }

  rememberRun(run: Omit<WatchedRunRow, 'seen_at'>, at = new Date().toISOString()): void {
    this.db
      .prepare(
        `INSERT INTO watched_runs (workflow_id, breach_id, run_id, status, parent_run_id, seen_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (workflow_id) DO UPDATE SET breach_id = excluded.breach_id, run_id = excluded.run_id, status = excluded.status,
           parent_run_id = excluded.parent_run_id, seen_at = excluded.seen_at`,
      )
      .run(run.workflow_id, run.breach_id, run.run_id, run.status, run.parent_run_id, at);
  }

  /** Inserts or updates the breach's row; only the given columns change. */
  patchBreach(breachId: string, patch: BreachPatch, now = new Date().toISOString()): void {
    const columns = BREACH_COLUMNS.filter((c) => patch[c] !== undefined);
    const values = columns.map((c) => (c === 'notification_late' ? Number(patch[c]) : patch[c]));
    const insertCols = ['breach_id', 'updated_at', ...columns];
    const updates = ['updated_at = excluded.updated_at', ...columns.map((c) => `${c} = excluded.${c}`)];
    this.db
      .prepare(
        `INSERT INTO breaches (${insertCols.join(', ')}) VALUES (${insertCols.map(() => '?').join(', ')})
         ON CONFLICT (breach_id) DO UPDATE SET ${updates.join(', ')}`,
      )
      .run(breachId, now, ...values);
  }

  /**
   * Idempotent by key: a retried activity never writes an event twice. With `replace` (a tally: one entry that
   * counts repeated occurrences) the row under that key is updated in place, so it always says the latest count.
   */
  recordEvent(event: EventRow, options: { replace?: boolean } = {}): void {
    this.db
      .prepare(
        options.replace
          ? `INSERT INTO events (key, breach_id, at, kind, actor, text) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (breach_id, key) DO UPDATE SET kind = excluded.kind, actor = excluded.actor, text = excluded.text`
          : 'INSERT OR IGNORE INTO events (key, breach_id, at, kind, actor, text) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(event.key, event.breach_id, event.at, event.kind, event.actor, event.text);
  }

  openTicket(ticket: Omit<TicketRow, 'status' | 'closed_at' | 'created_at'> & { created_at?: string }): TicketRow {
    this.db
      .prepare(
        `INSERT OR IGNORE INTO tickets (ref, breach_id, task_id, role, title, due, status, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 'open', ?)`,
      )
      .run(
        ticket.ref,
        ticket.breach_id,
        ticket.task_id,
        ticket.role,
        ticket.title,
        ticket.due,
        ticket.created_at ?? new Date().toISOString(),
      );
    return this.db
      .prepare('SELECT * FROM tickets WHERE breach_id = ? AND task_id = ?')
      .get(ticket.breach_id, ticket.task_id) as TicketRow;
  }

  closeTicket(breachId: string, taskId: string, status: string, at = new Date().toISOString()): void {
    this.db
      .prepare("UPDATE tickets SET status = ?, closed_at = ? WHERE breach_id = ? AND task_id = ? AND status = 'open'")
      .run(status, at, breachId, taskId);
  }

  recordEmail(email: EmailRow): void {
    this.db
      .prepare(
        'INSERT OR IGNORE INTO emails (message_id, breach_id, purpose, recipient, subject, sent_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(email.message_id, email.breach_id, email.purpose, email.recipient, email.subject, email.sent_at);
  }

  /**
   * Counts a try to send one email, before the SMTP server is contacted. Being a write, it also proves the
   * register writable first: a register locked by another process fails the activity (to be retried) before the
   * email goes out, not after, when the "sent" record could not be written and the retry would send it again.
   */
  recordEmailAttempt(
    attempt: Omit<EmailAttemptRow, 'attempts' | 'first_at' | 'last_at'>,
    at = new Date().toISOString(),
  ): void {
    this.db
      .prepare(
        `INSERT INTO email_attempts (message_id, breach_id, purpose, recipient, attempts, first_at, last_at) VALUES (?, ?, ?, ?, 1, ?, ?)
         ON CONFLICT (message_id) DO UPDATE SET attempts = attempts + 1, last_at = excluded.last_at`,
      )
      .run(attempt.message_id, attempt.breach_id, attempt.purpose, attempt.recipient, at, at);
  }

  emailAttempts(breachId: string): EmailAttemptRow[] {
    return this.db
      .prepare('SELECT * FROM email_attempts WHERE breach_id = ? ORDER BY first_at, message_id')
      .all(breachId) as EmailAttemptRow[];
  }

  recordEmailFailure(failure: EmailFailureRow): void {
    this.db
      .prepare(
        `INSERT INTO email_failures (message_id, breach_id, purpose, recipient, code, error, failed_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (message_id) DO UPDATE SET code = excluded.code, error = excluded.error, failed_at = excluded.failed_at`,
      )
      .run(
        failure.message_id,
        failure.breach_id,
        failure.purpose,
        failure.recipient,
        failure.code,
        failure.error,
        failure.failed_at,
      );
  }

  emailFailures(breachId: string): EmailFailureRow[] {
    return this.db
      .prepare('SELECT * FROM email_failures WHERE breach_id = ? ORDER BY failed_at, message_id')
      .all(breachId) as EmailFailureRow[];
  }

  /** The ticket of a task, if one was opened. */
  ticket(breachId: string, taskId: string): TicketRow | undefined {
    return this.db.prepare('SELECT * FROM tickets WHERE breach_id = ? AND task_id = ?').get(breachId, taskId) as
      TicketRow | undefined;
  }

  hasEmail(messageId: string): boolean {
    return this.db.prepare('SELECT 1 FROM emails WHERE message_id = ?').get(messageId) !== undefined;
  }

  /**
   * Adds the people to inform, in one transaction: all or nothing. Email addresses are compared without case;
   * an address already on the breach's list (or twice in the rows) is skipped and counted as a duplicate, as is
   * a second postal-only row with the same name and address.
   */
  addRecipients(breachId: string, rows: readonly NewRecipient[]): { added: number; duplicates: number } {
    const insert = this.db.prepare(
      `INSERT INTO recipients (breach_id, seq, name, email, address, language, status) VALUES (?, ?, ?, ?, ?, ?, 'pending')
       ON CONFLICT DO NOTHING`,
    );
    return this.db.transaction(() => {
      let seq = (
        this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS last FROM recipients WHERE breach_id = ?').get(breachId) as {
          last: number;
        }
      ).last;
      let added = 0;
      for (const row of rows) {
        const email = row.email ? row.email.trim().toLowerCase() : null;
        const address = row.address ? row.address.trim() : null;
        if (insert.run(breachId, seq + 1, row.name.trim(), email, address, row.language ?? 'nl').changes > 0) {
          seq += 1;
          added += 1;
        }
      }
      return { added, duplicates: rows.length - added };
    })();
  }

  /** The next people still to be informed, in the order they were added. */
  pendingRecipients(breachId: string, limit: number): RecipientRow[] {
    return this.db
      .prepare("SELECT * FROM recipients WHERE breach_id = ? AND status = 'pending' ORDER BY seq LIMIT ?")
      .all(breachId, limit) as RecipientRow[];
  }

  markRecipient(
    breachId: string,
    seq: number,
    status: RecipientStatus,
    fields: { message_id?: string | null; sent_at?: string | null; error?: string | null } = {},
  ): void {
    this.db
      .prepare(
        'UPDATE recipients SET status = ?, message_id = COALESCE(?, message_id), sent_at = COALESCE(?, sent_at), error = ? WHERE breach_id = ? AND seq = ?',
      )
      .run(status, fields.message_id ?? null, fields.sent_at ?? null, fields.error ?? null, breachId, seq);
  }

  recipientCounts(breachId: string): RecipientCounts {
    const rows = this.db
      .prepare('SELECT status, COUNT(*) AS n FROM recipients WHERE breach_id = ? GROUP BY status')
      .all(breachId) as { status: RecipientStatus; n: number }[];
    const n = (status: RecipientStatus) => rows.find((r) => r.status === status)?.n ?? 0;
    return {
      total: rows.reduce((sum, r) => sum + r.n, 0),
      pending: n('pending'),
      sent: n('sent'),
      failed: n('failed'),
      toPrint: n('to-print'),
    };
  }

  /** The breach's list, or the people with one status (e.g. 'to-print' for the letters to post). */
  recipients(breachId: string, status?: RecipientStatus): RecipientRow[] {
    return (
      status === undefined
        ? this.db.prepare('SELECT * FROM recipients WHERE breach_id = ? ORDER BY seq').all(breachId)
        : this.db
            .prepare('SELECT * FROM recipients WHERE breach_id = ? AND status = ? ORDER BY seq')
            .all(breachId, status)
    ) as RecipientRow[];
  }

  breaches(): BreachRow[] {
    return this.db.prepare('SELECT * FROM breaches ORDER BY opened_at, breach_id').all() as BreachRow[];
  }

  breach(breachId: string): BreachRow | undefined {
    return this.db.prepare('SELECT * FROM breaches WHERE breach_id = ?').get(breachId) as BreachRow | undefined;
  }

  events(breachId?: string): EventRow[] {
    return (
      breachId === undefined
        ? this.db.prepare('SELECT * FROM events ORDER BY breach_id, at, key').all()
        : this.db.prepare('SELECT * FROM events WHERE breach_id = ? ORDER BY at, key').all(breachId)
    ) as EventRow[];
  }

  tickets(breachId: string): TicketRow[] {
    return this.db
      .prepare('SELECT * FROM tickets WHERE breach_id = ? ORDER BY created_at, ref')
      .all(breachId) as TicketRow[];
  }

  emails(breachId: string): EmailRow[] {
    return this.db
      .prepare('SELECT * FROM emails WHERE breach_id = ? ORDER BY sent_at, message_id')
      .all(breachId) as EmailRow[];
  }

  close(): void {
    this.db.close();
  }
}
