import Database from 'better-sqlite3';
import { openPrivateDatabase } from '../../register/private-files';
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

/** Rows past their expiry are pruned every this many writes (and on open), so the file stays small. */
const PRUNE_EVERY = 200;

/**
 * The intake's memory, in a SQLite file shared by every HTTP instance (config intake.path, beside auth.db):
 * - `seen`: each accepted signed request (a hash of source, timestamp and signature) until its timestamp leaves the
 *   clock-skew window; a replay inside the window finds its row and is refused;
 * - `rate`: fixed-window counters per source and per event;
 * - `events`: per event (breach id), whether its breach was started, and its duplicates as counts and times.
 * It never holds a request body, a summary or a reporter: only hashes, breach ids, source names and numbers.
 * Each check-and-write is one immediate transaction, so two instances never both accept the same request.
 */
export class IntakeStore {
  private readonly db: Database.Database;
  private writes = 0;

  constructor(
    path: string,
    private readonly now: () => number = Date.now,
  ) {
    // Replay hashes and event counts are no personal data, but the file sits beside auth.db: private like it.
    this.db = openPrivateDatabase(path);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS seen (request_hash TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS seen_by_expiry ON seen (expires_at);
      CREATE TABLE IF NOT EXISTS rate (key TEXT PRIMARY KEY, window_start INTEGER NOT NULL, window_ms INTEGER NOT NULL, count INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS events (
        breach_id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        started INTEGER NOT NULL DEFAULT 0,
        closed INTEGER NOT NULL DEFAULT 0,
        duplicates INTEGER NOT NULL DEFAULT 0,
        first_duplicate_at INTEGER,
        last_duplicate_at INTEGER,
        signalled_count INTEGER NOT NULL DEFAULT 0,
        signalled_at INTEGER
      );
    `);
    this.prune();
  }

  /**
   * Claims a signed request: true the first time, false for a replay. The row lives until `expiresAt` (the moment
   * its timestamp leaves the skew window, after which the signature check refuses it anyway).
   */
  claim(requestHash: string, expiresAt: number): boolean {
    this.wrote();
    return (
      this.db.prepare('INSERT OR IGNORE INTO seen (request_hash, expires_at) VALUES (?, ?)').run(requestHash, expiresAt)
        .changes === 1
    );
  }

  /** Gives a claim back: the request was not acted on (refused, rate-limited, the workflow server down), so a retry may. */
  release(requestHash: string): void {
    this.db.prepare('DELETE FROM seen WHERE request_hash = ?').run(requestHash);
  }

  /**
   * Counts one request against the source's and the event's limits, both or neither: a refused request does not
   * use up the allowance. Fixed windows: simple, shared through the file, and a burst at a window's edge is at
   * most twice the limit.
   */
  admit(source: string, breachId: string, limits: { perSource: RateLimit; perEvent: RateLimit }): Admission {
    const now = this.now();
    const get = this.db.prepare('SELECT window_start, window_ms, count FROM rate WHERE key = ?');
    const put = this.db.prepare(
      'INSERT INTO rate (key, window_start, window_ms, count) VALUES (?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET window_start = excluded.window_start, window_ms = excluded.window_ms, count = excluded.count',
    );
    const check = (key: string, limit: RateLimit) => {
      const row = get.get(key) as { window_start: number; window_ms: number; count: number } | undefined;
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
    this.wrote();
    return this.db
      .transaction((): Admission => {
        const bySource = check(`source:${source}`, limits.perSource);
        if (bySource.full) return { ok: false, limit: 'source', retryAfterMs: bySource.retryAfterMs };
        const byEvent = check(`event:${breachId}`, limits.perEvent);
        if (byEvent.full) return { ok: false, limit: 'event', retryAfterMs: byEvent.retryAfterMs };
        for (const c of [bySource, byEvent]) put.run(c.key, c.start, c.window, c.count + 1);
        return { ok: true };
      })
      .immediate();
  }

  /** The event's state: started (its breach exists), closed (its breach ended), or unknown to this store. */
  event(breachId: string): { started: boolean; closed: boolean } | undefined {
    const row = this.db.prepare('SELECT started, closed FROM events WHERE breach_id = ?').get(breachId) as
      { started: number; closed: number } | undefined;
    return row && { started: row.started === 1, closed: row.closed === 1 };
  }

  /** Only after signal-with-start succeeded: a report that never reached the workflow server must not count. */
  markStarted(breachId: string, source: string): void {
    this.wrote();
    this.db
      .prepare(
        'INSERT INTO events (breach_id, source, started) VALUES (?, ?, 1) ON CONFLICT(breach_id) DO UPDATE SET started = 1',
      )
      .run(breachId, source);
  }

  markClosed(breachId: string, source: string): void {
    this.db
      .prepare(
        'INSERT INTO events (breach_id, source, started, closed) VALUES (?, ?, 1, 1) ON CONFLICT(breach_id) DO UPDATE SET closed = 1',
      )
      .run(breachId, source);
  }

  /**
   * Counts a duplicate report and, when the breach has not heard of the totals for `signalEveryMs`, claims the
   * right to tell it (at most one instance wins per interval). `signal` is then the totals to send.
   */
  countDuplicate(breachId: string, signalEveryMs: number): SignalClaim {
    const now = this.now();
    this.wrote();
    return this.db
      .transaction(() => {
        this.db
          .prepare(
            'UPDATE events SET duplicates = duplicates + 1, first_duplicate_at = COALESCE(first_duplicate_at, ?), last_duplicate_at = ? WHERE breach_id = ?',
          )
          .run(now, now, breachId);
        return this.claimSignal(breachId, signalEveryMs, now);
      })
      .immediate();
  }

  /** A later try to send totals the breach has not heard yet (the trailing signal after a burst). */
  claimPendingSignal(breachId: string, signalEveryMs: number): SignalClaim {
    const now = this.now();
    return this.db.transaction(() => this.claimSignal(breachId, signalEveryMs, now)).immediate();
  }

  /** A signal that could not be delivered: the next claim may send the totals again at once. */
  unclaimSignal(breachId: string, count: number): void {
    this.db
      .prepare('UPDATE events SET signalled_count = 0, signalled_at = NULL WHERE breach_id = ? AND signalled_count = ?')
      .run(breachId, count);
  }

  duplicates(breachId: string): DuplicateTotals | undefined {
    const row = this.row(breachId);
    return row && row.first_duplicate_at !== null ? totalsOf(row) : undefined;
  }

  private row(breachId: string): EventRow | undefined {
    return this.db.prepare('SELECT * FROM events WHERE breach_id = ?').get(breachId) as EventRow | undefined;
  }

  private claimSignal(breachId: string, signalEveryMs: number, now: number): SignalClaim {
    const row = this.row(breachId);
    if (!row || row.first_duplicate_at === null) throw new Error(`no duplicates counted for ${breachId}`);
    const nextSignalAt = (row.signalled_at ?? -Infinity) + signalEveryMs;
    const pending = row.duplicates > row.signalled_count;
    const signal = pending && now >= nextSignalAt;
    if (signal)
      this.db
        .prepare('UPDATE events SET signalled_count = ?, signalled_at = ? WHERE breach_id = ?')
        .run(row.duplicates, now, breachId);
    return {
      totals: totalsOf(row),
      signal,
      pending: pending && !signal,
      nextSignalAt: signal ? now + signalEveryMs : nextSignalAt,
    };
  }

  private wrote(): void {
    if (++this.writes % PRUNE_EVERY === 0) this.prune();
  }

  /** Expired claims and rate windows go; event rows stay (small, and a closed breach must keep answering 409). */
  prune(): void {
    const now = this.now();
    this.db.prepare('DELETE FROM seen WHERE expires_at <= ?').run(now);
    this.db.prepare('DELETE FROM rate WHERE window_start + window_ms <= ?').run(now);
  }

  /** Rows of the replay cache, for tests that check pruning. */
  seenCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM seen').get() as { n: number }).n;
  }

  close(): void {
    this.db.close();
  }
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
