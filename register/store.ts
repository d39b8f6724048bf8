/**
 * The breach register store. One class over every table of the register, and one file on purpose: each activity's
 * write is one transaction over several tables (breach row, events, emails, recipients), and the claims and leases
 * that keep several workers from doing a thing twice read best next to the rows they guard. The same statements run
 * on SQLite (a file) and PostgreSQL (shared by several workers and HTTP instances): register/database.ts.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { changed, openMigratedStore, writeTransaction, type StoreDatabase, type StoreTarget } from './database';
import { registerMigrations } from './migrations';
import {
  BREACH_COLUMNS,
  type BreachDossier,
  type BreachPatch,
  type BreachRecordRow,
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
import type {
  LastingDecision,
  LastingImprovement,
  LastingInterest,
  LastingMeasure,
  LastingNotification,
  LastingRecord,
} from '../domain/lasting-record';

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

/** The register's tables as Kysely sees them. */
export interface RegisterTables {
  /** Every column is there once migrated (the row type leaves later ones optional for older readers). */
  breaches: Required<BreachRecordRow>;
  breach_measures: LastingMeasure & { breach_id: string };
  breach_decisions: LastingDecision & { breach_id: string };
  breach_notifications: LastingNotification & { breach_id: string };
  breach_improvements: LastingImprovement & { breach_id: string };
  breach_interests: LastingInterest & { breach_id: string };
  events: EventRow;
  tickets: TicketRow;
  emails: EmailRow;
  email_attempts: EmailAttemptRow;
  email_failures: EmailFailureRow;
  recipients: RecipientRow;
  ended_runs: EndedRunRow;
  watched_runs: WatchedRunRow;
  register_purges: PurgedBreach;
}

/** What a purge leaves of a breach (migration 0003): its id, when it closed, when it went and under which retention. */
export interface PurgedBreach {
  breach_id: string;
  closed_at: string;
  purged_at: string;
  retention_years: number;
}

/**
 * Every table that holds a breach's data, by breach_id: a purge empties them all, the breach row last. A new
 * table with a breach_id column belongs here (test/register/retention.test.ts fails until it is).
 */
export const BREACH_DATA_TABLES = [
  'events',
  'tickets',
  'emails',
  'email_attempts',
  'email_failures',
  'recipients',
  'ended_runs',
  'watched_runs',
  'breach_measures',
  'breach_decisions',
  'breach_notifications',
  'breach_improvements',
  'breach_interests',
  'breaches',
] as const satisfies readonly (keyof RegisterTables)[];

/** How many timeline entries a breach has in the register, and when the latest was made (BreachRegister.changeMarks). */
export interface ChangeMark {
  count: number;
  last: string;
}

/** Breach ids per changeMarks query: well under SQLite's and PostgreSQL's limits on bound parameters. */
const CHANGE_MARK_CHUNK = 500;

/** SQLite allows 32,766 bound values per statement; a purge deletes in chunks far below that. */
const PURGE_CHUNK = 500;
/** People per UPDATE of markRecipients (9 bound values each) and tries per INSERT of recordEmailAttempts (7 each). */
const MARK_CHUNK = 500;
const ATTEMPT_CHUNK = 500;

/** What became of one person to inform (markRecipients). */
export interface RecipientMark {
  seq: number;
  status: RecipientStatus;
  message_id?: string | null;
  sent_at?: string | null;
  error?: string | null;
}

type Db = Kysely<RegisterTables>;

export class BreachRegister {
  private constructor(private readonly store: StoreDatabase<RegisterTables>) {}

  private closed = false;

  /** Closed is closed: a query after close() fails here, not on a connection Kysely would quietly open again. */
  private get db(): Db {
    if (this.closed) throw new Error('the register is closed');
    return this.store.db;
  }

  /**
   * Opens the register and brings its tables to this version's migrations. `readOnly` is for readers that must not
   * write (the HTTP service, which docker-compose gives the SQLite register's volume read-only): no migration, so it
   * opens a register the worker wrote also while no worker has it open. A SQLite file must exist then.
   */
  static async open(target: StoreTarget | string, options: { readOnly?: boolean } = {}): Promise<BreachRegister> {
    const where: StoreTarget =
      typeof target === 'string' ? { engine: 'sqlite', path: target, readOnly: options.readOnly === true } : target;
    return new BreachRegister(await openMigratedStore<RegisterTables>(where, 'register', registerMigrations));
  }

  /** sqlite or postgres: what the readiness check and `db status` report. */
  get engine(): 'sqlite' | 'postgres' {
    return this.store.engine;
  }

  /** A cheap read that fails when the database cannot be reached or read (readiness). */
  async check(): Promise<void> {
    await this.db.selectFrom('breaches').select('breach_id').limit(1).execute();
  }

  /** The breaches the register holds as not closed: the ones the watch checks every round. */
  openBreaches(): Promise<BreachRecordRow[]> {
    return this.db
      .selectFrom('breaches')
      .selectAll()
      .where('closed_at', 'is', null)
      .orderBy('opened_at')
      .orderBy('breach_id')
      .execute();
  }

  /**
   * Claims one ended run: true for exactly one caller, however many watches (in however many processes) found it,
   * because the insert and the breach row's update are one transaction and the run's key is unique. The breach
   * row keeps the first ended run until the breach runs again; the timeline gets an event.
   */
  claimEndedRun(run: EndedRun, noticedBy: string, now = new Date().toISOString()): Promise<boolean> {
    return writeTransaction(this.store, [run.breachId], async (trx) => {
      const inserted = changed(
        await trx
          .insertInto('ended_runs')
          .values({
            workflow_id: run.workflowId,
            run_id: run.runId,
            breach_id: run.breachId,
            playbook: run.playbook,
            status: run.status,
            cause: run.cause,
            ended_at: run.endedAt,
            noticed_at: now,
            noticed_by: noticedBy,
          } as EndedRunRow)
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst(),
      );
      if (inserted === 0) return false;
      await trx
        .updateTable('breaches')
        .set({
          ended_outside_at: now,
          ended_outside_status: run.status,
          ended_outside_run: run.workflowId,
          ended_outside_cause: run.cause,
          updated_at: now,
        })
        .where('breach_id', '=', run.breachId)
        .where('ended_outside_at', 'is', null)
        .execute();
      await insertEvent(trx, {
        key: `ended-outside:${run.workflowId}:${run.runId}`,
        breach_id: run.breachId,
        at: now,
        kind: 'ended-outside-lekdicht',
        actor: null,
        text: `Run ${run.workflowId} ended outside lekdicht: ${run.status} (${run.cause}); FG and deputies to be emailed`,
      });
      return true;
    });
  }

  /**
   * The breach runs again (an operator reset it): it is no longer shown as ended outside lekdicht. The ended runs
   * stay in their table and on the timeline.
   */
  clearEndedOutside(breachId: string, runningRun: string, now = new Date().toISOString()): Promise<boolean> {
    return writeTransaction(this.store, [breachId], async (trx) => {
      const cleared = changed(
        await trx
          .updateTable('breaches')
          .set({
            ended_outside_at: null,
            ended_outside_status: null,
            ended_outside_run: null,
            ended_outside_cause: null,
            updated_at: now,
          })
          .where('breach_id', '=', breachId)
          .where('ended_outside_at', 'is not', null)
          .executeTakeFirst(),
      );
      if (cleared > 0) {
        await insertEvent(trx, {
          key: `running-again:${breachId}:${runningRun}`,
          breach_id: breachId,
          at: now,
          kind: 'running-again',
          actor: null,
          text: `Breach runs again (run ${runningRun}); watched by lekdicht`,
        });
      }
      return cleared > 0;
    });
  }

  endedRuns(breachId?: string): Promise<EndedRunRow[]> {
    let query = this.db.selectFrom('ended_runs').selectAll();
    if (breachId !== undefined) query = query.where('breach_id', '=', breachId);
    return query.orderBy('noticed_at').orderBy('workflow_id').execute();
  }

  endedRun(workflowId: string, runId: string): Promise<EndedRunRow | undefined> {
    return this.db
      .selectFrom('ended_runs')
      .selectAll()
      .where('workflow_id', '=', workflowId)
      .where('run_id', '=', runId)
      .executeTakeFirst();
  }

  /** Ended runs whose FG email is not done and that no watch holds a lease on now. */
  endedRunsToNotify(now = new Date().toISOString()): Promise<EndedRunRow[]> {
    return this.db
      .selectFrom('ended_runs')
      .selectAll()
      .where('notified_at', 'is', null)
      .where((eb) => eb.or([eb('notify_lease_until', 'is', null), eb('notify_lease_until', '<', now)]))
      .orderBy('noticed_at')
      .execute();
  }

  /** Takes the right to email about one ended run until `until`: true for one watch at a time. */
  async leaseEndedRun(
    workflowId: string,
    runId: string,
    by: string,
    until: string,
    now = new Date().toISOString(),
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('ended_runs')
      .set((eb) => ({
        notify_lease_until: until,
        notify_lease_by: by,
        notify_attempts: eb('notify_attempts', '+', 1),
      }))
      .where('workflow_id', '=', workflowId)
      .where('run_id', '=', runId)
      .where('notified_at', 'is', null)
      .where((eb) => eb.or([eb('notify_lease_until', 'is', null), eb('notify_lease_until', '<', now)]))
      .executeTakeFirst();
    return changed(result) > 0;
  }

  /** The email is done (sent, or refused for good and recorded as an email failure): never tried again. */
  async endedRunNotified(
    workflowId: string,
    runId: string,
    by: string,
    error: string | null = null,
    at = new Date().toISOString(),
  ): Promise<void> {
    await this.db
      .updateTable('ended_runs')
      .set({ notified_at: at, notify_error: error, notify_lease_until: null })
      .where('workflow_id', '=', workflowId)
      .where('run_id', '=', runId)
      .where('notify_lease_by', '=', by)
      .execute();
  }

  /** The email failed for now: the lease is given back so the next round (of any watch) tries again. */
  async endedRunNotifyFailed(workflowId: string, runId: string, by: string, error: string): Promise<void> {
    await this.db
      .updateTable('ended_runs')
      .set({ notify_error: error, notify_lease_until: null })
      .where('workflow_id', '=', workflowId)
      .where('run_id', '=', runId)
      .where('notify_lease_by', '=', by)
      .where('notified_at', 'is', null)
      .execute();
  }

  watchedRun(workflowId: string): Promise<WatchedRunRow | undefined> {
    return this.db.selectFrom('watched_runs').selectAll().where('workflow_id', '=', workflowId).executeTakeFirst();
  }

  async rememberRun(run: Omit<WatchedRunRow, 'seen_at'>, at = new Date().toISOString()): Promise<void> {
    await this.db
      .insertInto('watched_runs')
      .values({ ...run, seen_at: at })
      .onConflict((oc) =>
        oc.column('workflow_id').doUpdateSet((eb) => ({
          breach_id: eb.ref('excluded.breach_id'),
          run_id: eb.ref('excluded.run_id'),
          status: eb.ref('excluded.status'),
          parent_run_id: eb.ref('excluded.parent_run_id'),
          seen_at: eb.ref('excluded.seen_at'),
        })),
      )
      .execute();
  }

  /** Inserts or updates the breach's row; only the given columns change. */
  async patchBreach(breachId: string, patch: BreachPatch, now = new Date().toISOString()): Promise<void> {
    await upsertBreach(this.db, breachId, patch, now);
  }

  /**
   * Idempotent by key: a retried activity never writes an event twice. With `replace` (a tally: one entry that
   * counts repeated occurrences) the row under that key is updated in place, so it always says the latest count.
   */
  async recordEvent(event: EventRow, options: { replace?: boolean } = {}): Promise<void> {
    await insertEvent(this.db, event, options);
  }

  /**
   * One activity's record in one transaction: the breach row's changes and the timeline entries, all or nothing, so
   * a retried activity finds either nothing or everything written.
   */
  async record(
    breachId: string,
    write: { breach?: BreachPatch; events?: readonly EventRow[]; replace?: boolean },
    now = new Date().toISOString(),
  ): Promise<void> {
    await writeTransaction(this.store, [breachId], async (trx) => {
      if (write.breach) await upsertBreach(trx, breachId, write.breach, now);
      if (write.breach?.lasting) await writeLasting(trx, breachId, write.breach.lasting);
      for (const event of write.events ?? []) await insertEvent(trx, event, { replace: write.replace === true });
    });
  }

  /**
   * A playbook's queued timeline (workflows/playbook-timeline.ts) in one transaction: each write's breach row change
   * and timeline entry, in the order they were noted, all or nothing. Idempotent like `record`: a retried batch
   * finds its entries by key (a tally's, `replace`, is set to the same text again) and sets the same columns again.
   */
  async recordAll(
    breachId: string,
    writes: readonly {
      breach?: BreachPatch | undefined;
      event?: EventRow | undefined;
      replace?: boolean;
      ticket?: TicketWrite | undefined;
    }[],
    now = new Date().toISOString(),
  ): Promise<void> {
    await writeTransaction(this.store, [breachId], async (trx) => {
      for (const write of writes) {
        if (write.breach) await upsertBreach(trx, breachId, write.breach, now);
        if (write.breach?.lasting) await writeLasting(trx, breachId, write.breach.lasting);
        if (write.event) await insertEvent(trx, write.event, { replace: write.replace === true });
        if (write.ticket && 'open' in write.ticket) await insertTicket(trx, write.ticket.open);
        if (write.ticket && 'close' in write.ticket)
          await closeTicketRow(
            trx,
            breachId,
            write.ticket.close.task_id,
            write.ticket.close.status,
            write.ticket.close.at,
          );
      }
    });
  }

  /** Everything the register keeps of one breach: its row, timeline and the lasting record's child rows. */
  async dossier(breachId: string): Promise<BreachDossier | undefined> {
    const breach = await this.db
      .selectFrom('breaches')
      .selectAll()
      .where('breach_id', '=', breachId)
      .executeTakeFirst();
    if (!breach) return undefined;
    const rows = <T extends keyof RegisterTables>(table: T, order: string) =>
      this.db
        .selectFrom(table as 'breach_measures')
        .selectAll()
        .where('breach_id', '=', breachId)
        .orderBy(order as 'measure')
        .execute()
        .then((found) => found.map(({ breach_id: _, ...row }) => row));
    return {
      breach,
      events: await this.events(breachId),
      measures: await rows('breach_measures', 'measure'),
      decisions: (await rows('breach_decisions', 'seq')) as unknown as LastingDecision[],
      notifications: (await rows('breach_notifications', 'seq')) as unknown as LastingNotification[],
      improvements: (await rows('breach_improvements', 'seq')) as unknown as LastingImprovement[],
      interests: (await rows('breach_interests', 'task_id')) as unknown as LastingInterest[],
    };
  }

  /** Breaches closed before `cutoff` (ISO instant), oldest first: what a purge with that cutoff removes. */
  purgeable(cutoff: string): Promise<{ breach_id: string; closed_at: string }[]> {
    return this.db
      .selectFrom('breaches')
      .select(['breach_id', 'closed_at'])
      .where('closed_at', 'is not', null)
      .where('closed_at', '<', cutoff)
      .orderBy('closed_at')
      .orderBy('breach_id')
      .execute() as Promise<{ breach_id: string; closed_at: string }[]>;
  }

  /**
   * Deletes every breach closed before `cutoff` with all its rows (BREACH_DATA_TABLES) and leaves a
   * register_purges row for each. Open breaches, and breaches whose run ended outside lekdicht without being
   * closed, are never purged: they have no closing date. One transaction per chunk: a crash leaves whole breaches.
   */
  async purgeClosedBefore(
    cutoff: string,
    retentionYears: number,
    now = new Date().toISOString(),
  ): Promise<PurgedBreach[]> {
    const purged: PurgedBreach[] = [];
    const candidates = await this.purgeable(cutoff);
    for (let i = 0; i < candidates.length; i += PURGE_CHUNK) {
      const ids = candidates.slice(i, i + PURGE_CHUNK).map((c) => c.breach_id);
      const chunk = await writeTransaction(this.store, ids, async (trx) => {
        // Read again inside the transaction: only what is still closed before the cutoff goes.
        const still = (await trx
          .selectFrom('breaches')
          .select(['breach_id', 'closed_at'])
          .where('breach_id', 'in', ids)
          .where('closed_at', 'is not', null)
          .where('closed_at', '<', cutoff)
          .execute()) as { breach_id: string; closed_at: string }[];
        if (still.length === 0) return [];
        const going = still.map((b) => b.breach_id);
        for (const table of BREACH_DATA_TABLES)
          await trx
            .deleteFrom(table as 'events')
            .where('breach_id', 'in', going)
            .execute();
        const rows = still.map((b) => ({ ...b, purged_at: now, retention_years: retentionYears }));
        await trx
          .insertInto('register_purges')
          .values(rows)
          .onConflict((oc) => oc.column('breach_id').doNothing())
          .execute();
        return rows;
      });
      purged.push(...chunk);
    }
    return purged;
  }

  /** The breaches purged under the retention setting, most recent first. */
  purges(): Promise<PurgedBreach[]> {
    return this.db
      .selectFrom('register_purges')
      .selectAll()
      .orderBy('purged_at', 'desc')
      .orderBy('breach_id')
      .execute();
  }

  async openTicket(ticket: TicketOpening): Promise<TicketRow> {
    await insertTicket(this.db, ticket);
    return (await this.ticket(ticket.breach_id, ticket.task_id))!;
  }

  async closeTicket(breachId: string, taskId: string, status: string, at = new Date().toISOString()): Promise<void> {
    await closeTicketRow(this.db, breachId, taskId, status, at);
  }

  async recordEmail(email: EmailRow): Promise<void> {
    await this.db
      .insertInto('emails')
      .values(email)
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  /**
   * Counts a try to send one email, before the SMTP server is contacted. Being a write, it also proves the
   * register writable first: a register locked by another process fails the activity (to be retried) before the
   * email goes out, not after, when the "sent" record could not be written and the retry would send it again.
   */
  async recordEmailAttempt(
    attempt: Omit<EmailAttemptRow, 'attempts' | 'first_at' | 'last_at'>,
    at = new Date().toISOString(),
  ): Promise<void> {
    await this.recordEmailAttempts([attempt], at);
  }

  /**
   * Counts one try for each of a group of emails, all or nothing, before any of them goes out (the letters to the
   * people affected: one statement per group instead of one per letter). The same Message-ID twice counts two tries.
   */
  async recordEmailAttempts(
    attempts: readonly Omit<EmailAttemptRow, 'attempts' | 'first_at' | 'last_at'>[],
    at = new Date().toISOString(),
  ): Promise<void> {
    // One row per Message-ID: PostgreSQL refuses a statement that updates one row twice.
    const rows = new Map<string, EmailAttemptRow>();
    for (const attempt of attempts) {
      const row = rows.get(attempt.message_id);
      if (row) row.attempts += 1;
      else rows.set(attempt.message_id, { ...attempt, attempts: 1, first_at: at, last_at: at });
    }
    await inChunks(this.db, [...rows.values()], ATTEMPT_CHUNK, (db, chunk) =>
      db
        .insertInto('email_attempts')
        .values(chunk)
        .onConflict((oc) =>
          oc.column('message_id').doUpdateSet((eb) => ({
            attempts: eb('email_attempts.attempts', '+', eb.ref('excluded.attempts')),
            last_at: eb.ref('excluded.last_at'),
          })),
        )
        .execute(),
    );
  }

  emailAttempts(breachId: string): Promise<EmailAttemptRow[]> {
    return this.db
      .selectFrom('email_attempts')
      .selectAll()
      .where('breach_id', '=', breachId)
      .orderBy('first_at')
      .orderBy('message_id')
      .execute();
  }

  async recordEmailFailure(failure: EmailFailureRow): Promise<void> {
    await this.db
      .insertInto('email_failures')
      .values(failure)
      .onConflict((oc) =>
        oc.column('message_id').doUpdateSet((eb) => ({
          code: eb.ref('excluded.code'),
          error: eb.ref('excluded.error'),
          failed_at: eb.ref('excluded.failed_at'),
        })),
      )
      .execute();
  }

  emailFailures(breachId?: string): Promise<EmailFailureRow[]> {
    let query = this.db.selectFrom('email_failures').selectAll();
    if (breachId !== undefined) query = query.where('breach_id', '=', breachId);
    return query.orderBy('failed_at').orderBy('message_id').execute();
  }

  /**
   * Emails refused for good on the breaches not closed: to responders (email_failures) and letters to the people
   * affected (recipients marked failed). Two counting queries, however many breaches are open (/metrics).
   */
  async failedEmailsOnOpenBreaches(): Promise<{ responders: number; dataSubjects: number }> {
    const open = this.db.selectFrom('breaches').select('breach_id').where('closed_at', 'is', null);
    const responders = await this.db
      .selectFrom('email_failures')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('breach_id', 'in', open)
      .executeTakeFirst();
    const dataSubjects = await this.db
      .selectFrom('recipients')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('status', '=', 'failed')
      .where('breach_id', 'in', open)
      .executeTakeFirst();
    return { responders: Number(responders?.n ?? 0), dataSubjects: Number(dataSubjects?.n ?? 0) };
  }

  /** The ticket of a task, if one was opened. */
  ticket(breachId: string, taskId: string): Promise<TicketRow | undefined> {
    return this.db
      .selectFrom('tickets')
      .selectAll()
      .where('breach_id', '=', breachId)
      .where('task_id', '=', taskId)
      .executeTakeFirst();
  }

  async hasEmail(messageId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('emails')
      .select('message_id')
      .where('message_id', '=', messageId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Adds the people to inform, in one transaction: all or nothing. Email addresses are compared without case;
   * an address already on the breach's list (or twice in the rows) is skipped and counted as a duplicate, as is
   * a second postal-only row with the same name and address. The breach's lock keeps two lists added at once from
   * numbering the same places.
   */
  addRecipients(breachId: string, rows: readonly NewRecipient[]): Promise<{ added: number; duplicates: number }> {
    return writeTransaction(this.store, [`recipients:${breachId}`], async (trx) => {
      let seq = Number(
        (
          await trx
            .selectFrom('recipients')
            .select((eb) => eb.fn.coalesce(eb.fn.max('seq'), sql<number>`0`).as('last'))
            .where('breach_id', '=', breachId)
            .executeTakeFirstOrThrow()
        ).last,
      );
      let added = 0;
      for (const row of rows) {
        const inserted = changed(
          await trx
            .insertInto('recipients')
            .values({
              breach_id: breachId,
              seq: seq + 1,
              name: row.name.trim(),
              email: row.email ? row.email.trim().toLowerCase() : null,
              address: row.address ? row.address.trim() : null,
              language: row.language ?? 'nl',
              status: 'pending',
            })
            .onConflict((oc) => oc.doNothing())
            .executeTakeFirst(),
        );
        if (inserted > 0) {
          seq += 1;
          added += 1;
        }
      }
      return { added, duplicates: rows.length - added };
    });
  }

  /** The next people still to be informed, in the order they were added. */
  pendingRecipients(breachId: string, limit: number): Promise<RecipientRow[]> {
    return this.db
      .selectFrom('recipients')
      .selectAll()
      .where('breach_id', '=', breachId)
      .where('status', '=', 'pending')
      .orderBy('seq')
      .limit(limit)
      .execute();
  }

  async markRecipient(
    breachId: string,
    seq: number,
    status: RecipientStatus,
    fields: { message_id?: string | null; sent_at?: string | null; error?: string | null } = {},
  ): Promise<void> {
    await this.markRecipients(breachId, [{ seq, status, ...fields }]);
  }

  /**
   * Writes what became of several people at once, all or nothing: one UPDATE per up to MARK_CHUNK people (one
   * transaction when there are more). Per person as markRecipient: the status and error as given, the Message-ID and
   * the sending time kept when not given. The same person twice: the later mark counts.
   */
  async markRecipients(breachId: string, marks: readonly RecipientMark[]): Promise<void> {
    const last = [...new Map(marks.map((mark) => [mark.seq, mark])).values()];
    await inChunks(this.db, last, MARK_CHUNK, (db, chunk) => {
      // CASE seq WHEN <seq> THEN <value> …: each person's own value, in one statement on both engines.
      const perPerson = (value: (mark: RecipientMark) => string | null) =>
        sql<string | null>`CASE seq ${sql.join(
          chunk.map((mark) => sql`WHEN ${mark.seq} THEN ${value(mark)}`),
          sql` `,
        )} END`;
      return db
        .updateTable('recipients')
        .set((eb) => ({
          status: perPerson((mark) => mark.status) as RawBuilder<RecipientStatus>,
          message_id: eb.fn.coalesce(
            perPerson((mark) => mark.message_id ?? null),
            eb.ref('message_id'),
          ),
          sent_at: eb.fn.coalesce(
            perPerson((mark) => mark.sent_at ?? null),
            eb.ref('sent_at'),
          ),
          error: perPerson((mark) => mark.error ?? null),
        }))
        .where('breach_id', '=', breachId)
        .where(
          'seq',
          'in',
          chunk.map((mark) => mark.seq),
        )
        .execute();
    });
  }

  async recipientCounts(breachId: string): Promise<RecipientCounts> {
    const rows = await this.db
      .selectFrom('recipients')
      .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .where('breach_id', '=', breachId)
      .groupBy('status')
      .execute();
    const n = (status: RecipientStatus) => Number(rows.find((r) => r.status === status)?.n ?? 0);
    return {
      total: rows.reduce((sum, r) => sum + Number(r.n), 0),
      pending: n('pending'),
      sent: n('sent'),
      failed: n('failed'),
      toPrint: n('to-print'),
    };
  }

  /** The breach's list, or the people with one status (e.g. 'to-print' for the letters to post). */
  recipients(breachId: string, status?: RecipientStatus): Promise<RecipientRow[]> {
    let query = this.db.selectFrom('recipients').selectAll().where('breach_id', '=', breachId);
    if (status !== undefined) query = query.where('status', '=', status);
    return query.orderBy('seq').execute();
  }

  breaches(): Promise<BreachRecordRow[]> {
    return this.db.selectFrom('breaches').selectAll().orderBy('opened_at').orderBy('breach_id').execute();
  }

  /**
   * For each breach that has timeline entries: how many, and the latest one's time. Every change a case view shows
   * is written to the timeline, so an unchanged mark means an unchanged case (client/http/case-cache.ts). Asked in
   * chunks, so a thousand open breaches are a few indexed queries (events_by_breach).
   */
  async changeMarks(breachIds: readonly string[]): Promise<Map<string, ChangeMark>> {
    const marks = new Map<string, ChangeMark>();
    for (let i = 0; i < breachIds.length; i += CHANGE_MARK_CHUNK) {
      const rows = await this.db
        .selectFrom('events')
        .select(({ fn }) => ['breach_id', fn.countAll<number | string | bigint>().as('n'), fn.max('at').as('last')])
        .where('breach_id', 'in', breachIds.slice(i, i + CHANGE_MARK_CHUNK))
        .groupBy('breach_id')
        .execute();
      for (const row of rows) marks.set(row.breach_id, { count: Number(row.n), last: row.last });
    }
    return marks;
  }

  breach(breachId: string): Promise<BreachRecordRow | undefined> {
    return this.db.selectFrom('breaches').selectAll().where('breach_id', '=', breachId).executeTakeFirst();
  }

  events(breachId?: string): Promise<EventRow[]> {
    if (breachId === undefined)
      return this.db.selectFrom('events').selectAll().orderBy('breach_id').orderBy('at').orderBy('key').execute();
    return this.db
      .selectFrom('events')
      .selectAll()
      .where('breach_id', '=', breachId)
      .orderBy('at')
      .orderBy('key')
      .execute();
  }

  tickets(breachId: string): Promise<TicketRow[]> {
    return this.db
      .selectFrom('tickets')
      .selectAll()
      .where('breach_id', '=', breachId)
      .orderBy('created_at')
      .orderBy('ref')
      .execute();
  }

  emails(breachId: string): Promise<EmailRow[]> {
    return this.db
      .selectFrom('emails')
      .selectAll()
      .where('breach_id', '=', breachId)
      .orderBy('sent_at')
      .orderBy('message_id')
      .execute();
  }

  close(): Promise<void> {
    this.closed = true;
    return this.store.close();
  }
}

async function upsertBreach(db: Db, breachId: string, patch: BreachPatch, now: string): Promise<void> {
  const values: Record<string, unknown> = {};
  for (const column of BREACH_COLUMNS) {
    const value = patch[column];
    if (value !== undefined) values[column] = column === 'notification_late' ? Number(value) : value;
  }
  await db
    .insertInto('breaches')
    .values({ breach_id: breachId, updated_at: now, ...values } as Required<BreachRecordRow>)
    .onConflict((oc) =>
      oc
        .column('breach_id')
        .doUpdateSet((eb) =>
          Object.fromEntries(
            ['updated_at', ...Object.keys(values)].map((column) => [
              column,
              eb.ref(`excluded.${column}` as 'excluded.updated_at'),
            ]),
          ),
        ),
    )
    .execute();
}

/** A ticket row to open; idempotent per (breach, task): a second opening keeps the first. */
export type TicketOpening = Omit<TicketRow, 'status' | 'closed_at' | 'created_at'> & { created_at?: string };

/**
 * A ticket of the register's own ticket system opened or closed in a timeline batch (recordAll): the workflow
 * knows its reference (`<breachId>/<taskId>`), so no activity of its own is needed.
 */
export type TicketWrite =
  { open: TicketOpening } | { close: { task_id: string; status: 'done' | 'cancelled'; at: string } };

async function insertTicket(db: Db, ticket: TicketOpening): Promise<void> {
  await db
    .insertInto('tickets')
    .values({
      ref: ticket.ref,
      breach_id: ticket.breach_id,
      task_id: ticket.task_id,
      role: ticket.role,
      title: ticket.title,
      due: ticket.due,
      status: 'open',
      created_at: ticket.created_at ?? new Date().toISOString(),
      closed_at: null,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Closes the ticket if it is still open (a retried close, or a second one, changes nothing). */
async function closeTicketRow(db: Db, breachId: string, taskId: string, status: string, at: string): Promise<void> {
  await db
    .updateTable('tickets')
    .set({ status, closed_at: at })
    .where('breach_id', '=', breachId)
    .where('task_id', '=', taskId)
    .where('status', '=', 'open')
    .execute();
}

/** The lasting record: the row's columns set, and each child table's rows for the breach replaced as a whole. */
async function writeLasting(db: Db, breachId: string, lasting: LastingRecord): Promise<void> {
  await db.updateTable('breaches').set(lasting.row).where('breach_id', '=', breachId).execute();
  const children = [
    ['breach_measures', lasting.measures],
    ['breach_decisions', lasting.decisions],
    ['breach_notifications', lasting.notifications],
    ['breach_improvements', lasting.improvements],
    ['breach_interests', lasting.interests],
  ] as const;
  for (const [table, rows] of children) {
    await db.deleteFrom(table).where('breach_id', '=', breachId).execute();
    if (rows.length > 0)
      await db
        .insertInto(table as 'breach_measures')
        .values(rows.map((row) => ({ ...row, breach_id: breachId })) as (LastingMeasure & { breach_id: string })[])
        .execute();
  }
}

async function insertEvent(db: Db, event: EventRow, options: { replace?: boolean } = {}): Promise<void> {
  await db
    .insertInto('events')
    .values(event)
    .onConflict((oc) =>
      options.replace
        ? oc.columns(['breach_id', 'key']).doUpdateSet((eb) => ({
            kind: eb.ref('excluded.kind'),
            actor: eb.ref('excluded.actor'),
            text: eb.ref('excluded.text'),
          }))
        : oc.doNothing(),
    )
    .execute();
}

/**
 * One statement per chunk of rows; more than one chunk in one transaction, so the rows are written all or nothing.
 * No lock keys (writeTransaction): these writes do not read first.
 */
async function inChunks<T>(
  db: Db,
  rows: readonly T[],
  size: number,
  write: (db: Db, chunk: readonly T[]) => Promise<unknown>,
): Promise<void> {
  if (rows.length === 0) return;
  if (rows.length <= size) {
    await write(db, rows);
    return;
  }
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += size) await write(trx, rows.slice(i, i + size));
  });
}
