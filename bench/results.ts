/** The numbers a scenario reports, and how the table shows them. */

/** One line of the table: a measure of lekdicht beside the same measure of the baseline, in one run. */
export interface ResultRow {
  scenario: string;
  what: string;
  unit: string;
  /** Median over the repetitions. */
  lekdicht: number;
  baseline: number | null;
  /** lekdicht / baseline. */
  ratio: number | null;
  /** The issue's goal for this line, in words; '' when it has none. */
  goal: string;
  met: boolean | null;
  /** Every repetition's value, for the JSON. */
  samples: { lekdicht: number[]; baseline: number[] };
  /** Counts that say what was measured (breaches, letters, events …). */
  detail?: Record<string, number | string>;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface RowSpec {
  scenario: string;
  what: string;
  unit: string;
  lekdicht: number[];
  baseline?: number[];
  goal?: string;
  /** Decides `met` from the row's medians and ratio; absent: no goal. */
  check?: (row: { lekdicht: number; baseline: number | null; ratio: number | null }) => boolean;
  detail?: Record<string, number | string>;
}

export function row(spec: RowSpec): ResultRow {
  const lekdicht = median(spec.lekdicht);
  const baseline = spec.baseline ? median(spec.baseline) : null;
  const ratio = baseline === null || baseline === 0 ? null : lekdicht / baseline;
  return {
    scenario: spec.scenario,
    what: spec.what,
    unit: spec.unit,
    lekdicht,
    baseline,
    ratio,
    goal: spec.goal ?? '',
    met: spec.check ? spec.check({ lekdicht, baseline, ratio }) : null,
    samples: { lekdicht: spec.lekdicht, baseline: spec.baseline ?? [] },
    ...(spec.detail ? { detail: spec.detail } : {}),
  };
}

function num(value: number | null, unit = ''): string {
  if (value === null || Number.isNaN(value)) return '—';
  const abs = Math.abs(value);
  const text =
    Number.isInteger(value) || abs >= 100 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : value.toFixed(2);
  return unit ? `${text} ${unit}` : text;
}

/** The table as Markdown: what | lekdicht | baseline | ratio | goal | met? */
export function table(rows: readonly ResultRow[]): string {
  const lines = [
    '| what | lekdicht | baseline | ratio | goal | met? |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.scenario}: ${r.what} | ${num(r.lekdicht, r.unit)} | ${num(r.baseline, r.unit)} | ${r.ratio === null ? '—' : `${num(r.ratio)}×`} | ${r.goal || '—'} | ${r.met === null ? '—' : r.met ? 'yes' : 'no'} |`,
    ),
  ];
  return lines.join('\n');
}
