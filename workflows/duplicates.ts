import type { DuplicateReports } from '../domain/case';
import { breachSignalSchema, type BreachSignal } from '../domain/signal';
import { isPatched } from './patches';

/**
 * Duplicates are counted, not kept: per source, the reports that reached the breach by signal (CLI, web form,
 * reports racing the first one) and the totals the HTTP intake's store counted. Decided once per run, at the first
 * duplicate: histories recorded before kept every duplicate's report and noted each (`count` says false for them).
 */
export class Duplicates {
  private readonly counted: Map<string, DuplicateReports>;
  private readonly intakeTotals: Map<string, DuplicateReports>;
  /** Bumped at every change: the tally in the timeline follows it. */
  changed: number;
  /** A carried-on run counts: its first run decided so (resumable runs are newer than duplicates-compacted). */
  private compact: boolean | undefined;

  constructor(carried?: { counted: DuplicateReports[]; intakeTotals: DuplicateReports[]; duplicatesChanged: number }) {
    this.counted = new Map((carried?.counted ?? []).map((d) => [d.source, d]));
    this.intakeTotals = new Map((carried?.intakeTotals ?? []).map((d) => [d.source, d]));
    this.changed = carried?.duplicatesChanged ?? 0;
    this.compact = carried ? true : undefined;
  }

  /** Counts a report that came after the first; false in runs that keep every report (before the patch). */
  count(signal: BreachSignal): boolean {
    if (!(this.compact ??= isPatched('duplicates-compacted'))) return false;
    const at = new Date().toISOString();
    const known = this.counted.get(signal.source);
    this.counted.set(signal.source, {
      source: signal.source,
      count: (known?.count ?? 0) + 1,
      firstAt: known?.firstAt ?? at,
      lastAt: at,
    });
    this.changed++;
    return true;
  }

  /** The intake's totals for a source. Totals, not increments: an old or repeated signal cannot lower or double one. */
  addTotals(totals: DuplicateReports): void {
    if (!isDuplicateTotals(totals)) return;
    const known = this.intakeTotals.get(totals.source);
    const count = Math.max(known?.count ?? 0, totals.count);
    const firstAt = known && known.firstAt < totals.firstAt ? known.firstAt : totals.firstAt;
    const lastAt = known && known.lastAt > totals.lastAt ? known.lastAt : totals.lastAt;
    if (known && known.count === count && known.firstAt === firstAt && known.lastAt === lastAt) return;
    this.intakeTotals.set(totals.source, { source: totals.source, count, firstAt, lastAt });
    this.changed++;
  }

  /** Per source: the intake's totals and the signals counted here, added up. */
  list(): DuplicateReports[] {
    const bySource = new Map<string, DuplicateReports>();
    for (const d of [...this.intakeTotals.values(), ...this.counted.values()]) {
      const known = bySource.get(d.source);
      bySource.set(
        d.source,
        known
          ? {
              source: d.source,
              count: known.count + d.count,
              firstAt: known.firstAt < d.firstAt ? known.firstAt : d.firstAt,
              lastAt: known.lastAt > d.lastAt ? known.lastAt : d.lastAt,
            }
          : { ...d },
      );
    }
    return [...bySource.values()].sort((a, b) => a.source.localeCompare(b.source));
  }

  /** "3 duplicate reports: 2 from dlp (first …, last …); 1 from siem (…)": the tally's text, counts first. */
  describe(): string {
    const duplicates = this.list();
    const total = duplicates.reduce((sum, d) => sum + d.count, 0);
    const parts = duplicates.map((d) => `${d.count} from ${d.source} (first ${d.firstAt}, last ${d.lastAt})`);
    return `${total} duplicate report${total === 1 ? '' : 's'}: ${parts.join('; ')}`;
  }

  /** The same for the reader's language (domain/timeline-text.ts): the total, per source its count, and the span. */
  params(): { total: number; bySource: string; firstAt: string; lastAt: string } {
    const duplicates = this.list();
    return {
      total: duplicates.reduce((sum, d) => sum + d.count, 0),
      bySource: duplicates.map((d) => `${d.source}: ${d.count}`).join(', '),
      firstAt: duplicates.reduce((first, d) => (first === '' || d.firstAt < first ? d.firstAt : first), ''),
      lastAt: duplicates.reduce((last, d) => (d.lastAt > last ? d.lastAt : last), ''),
    };
  }

  /** What the next run carries (BreachCarry). */
  carry(): { counted: DuplicateReports[]; intakeTotals: DuplicateReports[]; duplicatesChanged: number } {
    return {
      counted: [...this.counted.values()],
      intakeTotals: [...this.intakeTotals.values()],
      duplicatesChanged: this.changed,
    };
  }
}

/** The intake's totals as sent; anything else (a hand-made signal) is ignored rather than trusted. */
function isDuplicateTotals(value: unknown): value is DuplicateReports {
  const v = value as Partial<DuplicateReports> | null;
  const instant = (t: unknown) => typeof t === 'string' && t.length <= 40 && !Number.isNaN(Date.parse(t));
  return (
    typeof v === 'object' &&
    v !== null &&
    breachSignalSchema.shape.source.safeParse(v.source).success &&
    Number.isSafeInteger(v.count) &&
    (v.count ?? 0) > 0 &&
    instant(v.firstAt) &&
    instant(v.lastAt)
  );
}
