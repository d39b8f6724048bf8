import { sql, type Kysely } from 'kysely';
import {
  changed,
  openMigratedStore,
  writeTransaction,
  type StoreDatabase,
  type StoreTarget,
} from '../../register/database';
import { intakeMigrations } from '../../register/migrations';
import type { RateLimit } from '../../domain/service-config';

/** What a duplicate report leaves behind: counts and times, never the report itself. */
export interface DuplicateTotals {
  source: string;
  count: number;
  firstAt: string;
  lastAt: string;
}

/** `signal`: this caller sends `totals` now; `pending`: totals the breach has not heard wait for `nextSignalAt`. */
export interface SignalClaim {
  totals: DuplicateTotals;
  signal: boolean;
  pending: boolean;
  nextSignalAt: number;
}

export type Admission = { ok: true } | { ok: false; limit: 'source' | 'event'; retryAfterMs: number };

/** Rows past their expiry are pruned every this many writes (and on open), so the table stays small. */
const PRUNE_EVERY = 200;

interface IntakeTables {
  seen: { request_hash: string; expires_at: number };
  rate: { key: string; window_start: number; window_ms: number; count: number };
  intake_events: EventRow;
}

type Db = Kysely<IntakeTables>;

/**
 * The intake's memory, shared by every HTTP instance: a SQLite file (config intake.path, beside auth.db) or tables
 * in the PostgreSQL database (register/database.ts).
 * - `seen`: each accepted signed request (a hash of source, timestamp and signature) until its timestamp leaves the
 *   clock-skew window; a replay inside the window finds its row and is refused;
 * - `rate`: fixed-window counters per source and per event;
 * - `intake_events`: per event (breach id), whether its breach was started, and its duplicates as counts and times.
 * It never holds a request body, a summary or a reporter: only hashes, breach ids, source names and numbers.
 * Each check-and-write is one write transaction (locked per key), so two instances never both accept the same
 * request or both use the last place in a rate window.
 */
export class IntakeStore {
  private writes = 0;

  private constructor(
    private readonly store: StoreDatabase<IntakeTables>,
    private readonly now: () => number,
  ) {}

  private closed = false;

  /** Closed is closed: a query after close() fails here, not on a connection Kysely would quietly open again. */
  private get db(): Db {
    if (this.closed) throw new Error('the intake store is closed');
    return this.store.db;
  }

  /** Opens the store (a path is a SQLite file, private like auth.db) and applies its migrations. */
  static async open(target: StoreTarget | string, now: () => number = Date.now): Promise<IntakeStore> {
    const store = await openMigratedStore<IntakeTables>(target, 'intake', intakeMigrations);
    const intake = new IntakeStore(store, now);
    await intake.prune();
    return intake;
  }

  /**
   * Claims a signed request: true the first time, false for a replay. The row lives until `expiresAt` (the moment
   * its timestamp leaves the skew window, after which the signature check refuses it anyway).
   */
  async claim(requestHash: string, expiresAt: number): Promise<boolean> {
    await this.wrote();
    const result = await this.db
      .insertInto('seen')
      .values({ request_hash: requestHash, expires_at: expiresAt })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return changed(result) === 1;
  }

  /** Gives a claim back: the request was not acted on (refused, rate-limited, the workflow server down), so a retry may. */
  async release(requestHash: string): Promise<void> {
    await this.db.deleteFrom('seen').where('request_hash', '=', requestHash).execute();
  }

  /**
   * Counts one request against the source's and the event's limits, both or neither: a refused request does not
   * use up the allowance. Fixed windows: simple, shared through the database, and a burst at a window's edge is at
   * most twice the limit.
   */
  async admit(
    source: string,
    breachId: string,
    limits: { perSource: RateLimit; perEvent: RateLimit },
  ): Promise<Admission> {
    const now = this.now();
    const sourceKey = `source:${source}`;
    const eventKey = `event:${breachId}`;
    await this.wrote();
    return writeTransaction(this.store, [sourceKey, eventKey], async (trx): Promise<Admission> => {
      const check = async (key: string, limit: RateLimit) => {
        const row = await trx
          .selectFrom('rate')
          .select(['window_start', 'count'])
          .where('key', '=', key)
          .executeTakeFirst();
        const current = row && row.window_start + limit.window > now ? row : { window_start: now, count: 0 };
        return {
          key,
          start: current.window_start,
          count: current.count,
          full: current.count >= limit.max,
          retryAfterMs: current.window_start + limit.window - now,
          window: limit.window,
        };
      };
      const bySource = await check(sourceKey, limits.perSource);
      if (bySource.full) return { ok: false, limit: 'source', retryAfterMs: bySource.retryAfterMs };
      const byEvent = await check(eventKey, limits.perEvent);
      if (byEvent.full) return { ok: false, limit: 'event', retryAfterMs: byEvent.retryAfterMs };
      for (const c of [bySource, byEvent])
        await trx
          .insertInto('rate')
          .values({ key: c.key, window_start: c.start, window_ms: c.window, count: c.count + 1 })
          .onConflict((oc) =>
            oc.column('key').doUpdateSet((eb) => ({
              window_start: eb.ref('excluded.window_start'),
              window_ms: eb.ref('excluded.window_ms'),
              count: eb.ref('excluded.count'),
            })),
          )
          .execute();
      return { ok: true };
    });
  }

  /** The event's state: started (its breach exists), closed (its breach ended), or unknown to this store. */
  async event(breachId: string): Promise<{ started: boolean; closed: boolean } | undefined> {
    const row = await this.db
      .selectFrom('intake_events')
      .select(['started', 'closed'])
      .where('breach_id', '=', breachId)
      .executeTakeFirst();
    return row && { started: Number(row.started) === 1, closed: Number(row.closed) === 1 };
  }

  /** Only after signal-with-start succeeded: a report that never reached the workflow server must not count. */
  async markStarted(breachId: string, source: string): Promise<void> {
    await this.wrote();
    await this.db
      .insertInto('intake_events')
      .values({ breach_id: breachId, source, started: 1 } as EventRow)
      .onConflict((oc) => oc.column('breach_id').doUpdateSet({ started: 1 }))
      .execute();
  }

  async markClosed(breachId: string, source: string): Promise<void> {
    await this.db
      .insertInto('intake_events')
      .values({ breach_id: breachId, source, started: 1, closed: 1 } as EventRow)
      .onConflict((oc) => oc.column('breach_id').doUpdateSet({ closed: 1 }))
      .execute();
  }

  /**
   * Counts a duplicate report and, when the breach has not heard of the totals for `signalEveryMs`, claims the
   * right to tell it (at most one instance wins per interval). `signal` is then the totals to send.
   */
  async countDuplicate(breachId: string, signalEveryMs: number): Promise<SignalClaim> {
    const now = this.now();
    await this.wrote();
    return writeTransaction(this.store, [`event:${breachId}`], async (trx) => {
      await trx
        .updateTable('intake_events')
        .set((eb) => ({
          duplicates: eb('duplicates', '+', 1),
          first_duplicate_at: eb.fn.coalesce('first_duplicate_at', sql<number>`${now}`),
          last_duplicate_at: now,
        }))
        .where('breach_id', '=', breachId)
        .execute();
      return claimSignal(trx, breachId, signalEveryMs, now);
    });
  }

  /** A later try to send totals the breach has not heard yet (the trailing signal after a burst). */
  claimPendingSignal(breachId: string, signalEveryMs: number): Promise<SignalClaim> {
    const now = this.now();
    return writeTransaction(this.store, [`event:${breachId}`], (trx) => claimSignal(trx, breachId, signalEveryMs, now));
  }

  /** A signal that could not be delivered: the next claim may send the totals again at once. */
  async unclaimSignal(breachId: string, count: number): Promise<void> {
    await this.db
      .updateTable('intake_events')
      .set({ signalled_count: 0, signalled_at: null })
      .where('breach_id', '=', breachId)
      .where('signalled_count', '=', count)
      .execute();
  }

  async duplicates(breachId: string): Promise<DuplicateTotals | undefined> {
    const row = await rowOf(this.db, breachId);
    return row && row.first_duplicate_at !== null ? totalsOf(row) : undefined;
  }

  private async wrote(): Promise<void> {
    if (++this.writes % PRUNE_EVERY === 0) await this.prune();
  }

  /** Expired claims and rate windows go; event rows stay (small, and a closed breach must keep answering 409). */
  async prune(): Promise<void> {
    const now = this.now();
    await this.db.deleteFrom('seen').where('expires_at', '<=', now).execute();
    await this.db
      .deleteFrom('rate')
      .where((eb) => eb(eb('window_start', '+', eb.ref('window_ms')), '<=', now))
      .execute();
  }

  /** Rows of the replay cache, for tests that check pruning. */
  async seenCount(): Promise<number> {
    const row = await this.db
      .selectFrom('seen')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** A cheap read that fails when the database cannot be reached (readiness). */
  async check(): Promise<void> {
    await this.db.selectFrom('seen').select('request_hash').limit(1).execute();
  }

  close(): Promise<void> {
    this.closed = true;
    return this.store.close();
  }
}

function rowOf(db: Db, breachId: string): Promise<EventRow | undefined> {
  return db.selectFrom('intake_events').selectAll().where('breach_id', '=', breachId).executeTakeFirst();
}

async function claimSignal(db: Db, breachId: string, signalEveryMs: number, now: number): Promise<SignalClaim> {
  const row = await rowOf(db, breachId);
  if (!row || row.first_duplicate_at === null) throw new Error(`no duplicates counted for ${breachId}`);
  const nextSignalAt = (row.signalled_at ?? -Infinity) + signalEveryMs;
  const pending = row.duplicates > row.signalled_count;
  const signal = pending && now >= nextSignalAt;
  if (signal)
    await db
      .updateTable('intake_events')
      .set({ signalled_count: row.duplicates, signalled_at: now })
      .where('breach_id', '=', breachId)
      .execute();
  return {
    totals: totalsOf(row),
    signal,
    pending: pending && !signal,
    nextSignalAt: signal ? now + signalEveryMs : nextSignalAt,
  };
}

interface EventRow {
  breach_id: string;
  source: string;
  started: number;
  closed: number;
  duplicates: number;
  first_duplicate_at: number | null;
  last_duplicate_at: number | null;
  signalled_count: number;
  signalled_at: number | null;
}

function totalsOf(row: EventRow): DuplicateTotals {
  return {
    source: row.source,
    count: row.duplicates,
    firstAt: new Date(row.first_duplicate_at!).toISOString(),
    lastAt: new Date(row.last_duplicate_at!).toISOString(),
  };
}
