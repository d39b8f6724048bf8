import type { CaseView } from '../../domain/case';
import type { ChangeMark } from '../../register/store';

/** After this service first sees a breach's new change mark, how long its case view is asked again at every read. */
export const SETTLE_MS = 30_000;
/** However quiet a breach, its cached view is asked again after this long. */
export const MAX_AGE_MS = 10 * 60_000;
/** Case views kept: more than the open breaches of any organisation, little memory (a view is ~10–30 KB). */
export const MAX_ENTRIES = 5_000;
/** Case-view queries in flight at once when many must be asked (the first dashboard after a start). */
export const QUERIES_IN_FLIGHT = 16;
/** How long all the case-view queries of one page may take together; what is not answered by then is shown without. */
export const PAGE_BUDGET_MS = 5_000;
/**
 * A breach whose workflow did not answer within a page's budget (no worker polls its task queue, or they are
 * overloaded) is not asked again for this long while its change mark stays the same: one page waits for it, the
 * next ones do not. Each time it again does not answer, twice as long, up to MAX_AGE_MS (a long outage costs the
 * pages nothing). A new mark means a worker moved it, so it is asked at once.
 */
export const UNANSWERED_RETRY_MS = 30_000;

interface Entry {
  view: CaseView;
  mark: ChangeMark | undefined;
  queriedAt: number;
}

/** A breach whose workflow did not answer in time, with the mark it had then. */
interface Unanswered {
  mark: ChangeMark | undefined;
  until: number;
  /** How many times in a row it did not answer (with this mark). */
  times: number;
  reason: unknown;
}

/** A breach's change mark as this service last saw it, and since when (its own clock). */
interface Seen {
  mark: ChangeMark;
  since: number;
}

const sameMark = (a: ChangeMark | undefined, b: ChangeMark | undefined) =>
  a !== undefined && b !== undefined && a.count === b.count && a.last === b.last;
/** Unchanged, counting "no entry yet" as a mark of its own (a breach before its first note that did not answer). */
const sameOrNoMark = (a: ChangeMark | undefined, b: ChangeMark | undefined) =>
  (a === undefined && b === undefined) || sameMark(a, b);

export interface CaseViewCacheOptions {
  settleMs?: number;
  maxAgeMs?: number;
  maxEntries?: number;
  inFlight?: number;
  unansweredRetryMs?: number;
  now?: () => number;
}

/**
 * The case views behind the dashboard and "my tasks", without a query to every open breach on every page load.
 *
 * Every change a case view shows (a task opened, done or overdue; a deadline set, met or missed; the facts, the
 * assessment, the phase) is a timeline entry in the register, written by the playbook that made it. So a view stays
 * good while its breach's change mark (count and latest time of its entries, one grouped query for all breaches)
 * is the one it had when the view was asked. Two windows are closed by time, not by the mark:
 * - a child playbook writes its entry before the breach workflow has its report, so a view asked in between would
 *   keep the old state under the new mark: a breach is asked again at every read until SETTLE_MS after this service
 *   first saw its current mark (its own clock: neither the workflow's time of the entry nor a slow register write
 *   can shorten the window);
 * - anything else a view might show without an entry is bounded by MAX_AGE_MS.
 * The breach page and every action still ask the workflow itself (Responder.caseFor).
 */
export class CaseViewCache {
  private readonly entries = new Map<string, Entry>();
  private readonly seen = new Map<string, Seen>();
  private readonly unanswered = new Map<string, Unanswered>();
  private readonly settleMs: number;
  private readonly maxAgeMs: number;
  private readonly maxEntries: number;
  private readonly inFlight: number;
  private readonly unansweredRetryMs: number;
  private readonly now: () => number;

  constructor(options: CaseViewCacheOptions = {}) {
    this.settleMs = options.settleMs ?? SETTLE_MS;
    this.maxAgeMs = options.maxAgeMs ?? MAX_AGE_MS;
    this.maxEntries = options.maxEntries ?? MAX_ENTRIES;
    this.inFlight = options.inFlight ?? QUERIES_IN_FLIGHT;
    this.unansweredRetryMs = options.unansweredRetryMs ?? UNANSWERED_RETRY_MS;
    this.now = options.now ?? Date.now;
  }

  /**
   * The views of `ids`, in their order: from the cache where the mark says nothing changed, else by `query` (at
   * most `inFlight` at once, all within one budget: `query` gets the moment it must have answered by). A failed
   * query is a rejected result and forgets what was cached for that breach; a query not started before the budget
   * ran out, or a breach whose workflow lately did not answer in time (UNANSWERED_RETRY_MS), is rejected without
   * asking. So a page takes at most about its budget, however many workflows have no worker to answer.
   */
  async views(
    ids: readonly string[],
    marks: ReadonlyMap<string, ChangeMark>,
    query: (breachId: string, deadline: number) => Promise<CaseView>,
    budgetMs = PAGE_BUDGET_MS,
  ): Promise<PromiseSettledResult<CaseView>[]> {
    const results = new Array<PromiseSettledResult<CaseView>>(ids.length);
    const asked: number[] = [];
    const now = this.now();
    const deadline = now + budgetMs;
    for (const id of ids) {
      const mark = marks.get(id);
      if (!mark) this.seen.delete(id);
      else if (!sameMark(this.seen.get(id)?.mark, mark)) this.remember(this.seen, id, { mark, since: now });
    }
    ids.forEach((id, i) => {
      const entry = this.entries.get(id);
      const unanswered = this.unanswered.get(id);
      if (entry && this.stillGood(id, entry, marks.get(id))) results[i] = { status: 'fulfilled', value: entry.view };
      else if (unanswered && now < unanswered.until && sameOrNoMark(unanswered.mark, marks.get(id)))
        results[i] = { status: 'rejected', reason: unanswered.reason };
      else asked.push(i);
    });
    let next = 0;
    const lane = async () => {
      while (next < asked.length) {
        const i = asked[next++]!;
        const id = ids[i]!;
        if (this.now() >= deadline) {
          results[i] = { status: 'rejected', reason: new Error(`${id}: not asked, the page's ${budgetMs} ms ran out`) };
          continue;
        }
        // The mark as it was before the query: a change after it shows as a new mark at the next read.
        const mark = marks.get(id);
        const queriedAt = this.now();
        try {
          const view = await query(id, deadline);
          this.unanswered.delete(id);
          this.remember(this.entries, id, { view, mark, queriedAt });
          results[i] = { status: 'fulfilled', value: view };
        } catch (reason) {
          this.entries.delete(id);
          // Failed only at the deadline: not answered in time, rather than refused.
          if (this.now() >= deadline) {
            const before = this.unanswered.get(id);
            const times = before && sameOrNoMark(before.mark, mark) ? before.times + 1 : 1;
            const wait = Math.min(this.unansweredRetryMs * 2 ** (times - 1), this.maxAgeMs);
            this.remember(this.unanswered, id, { mark, until: this.now() + wait, times, reason });
          }
          results[i] = { status: 'rejected', reason };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.inFlight, asked.length) }, lane));
    return results;
  }

  private stillGood(id: string, entry: Entry, mark: ChangeMark | undefined): boolean {
    if (this.now() - entry.queriedAt > this.maxAgeMs) return false;
    // No entry in the register yet (a breach before its first note): nothing says whether it changed.
    if (!sameMark(mark, entry.mark)) return false;
    const seen = this.seen.get(id);
    return seen !== undefined && sameMark(seen.mark, mark) && entry.queriedAt - seen.since >= this.settleMs;
  }

  private remember<T>(map: Map<string, T>, id: string, value: T): void {
    map.delete(id);
    map.set(id, value);
    // The oldest go first (a Map keeps insertion order).
    while (map.size > this.maxEntries) map.delete(map.keys().next().value!);
  }
}
