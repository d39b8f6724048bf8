import type { ResultRow } from './results';
import type { BenchTarget } from './stack';

/** What every scenario is given: where to run, how big, how often. */
export interface ScenarioOptions {
  target: BenchTarget;
  /** Scale of the sizes: 1 = the (300 breaches, 10,000 letters …), 0.05 = a twentieth. */
  size: number;
  /** Repetitions; each one runs lekdicht's work and the baseline's, in alternating order. Medians are reported. */
  reps: number;
  /** Exact counts instead of the scaled ones (the smoke test's tiny runs), by the scenario's own names. */
  counts?: Record<string, number>;
  log: (line: string) => void;
}

export type Scenario = (options: ScenarioOptions) => Promise<ResultRow[]>;

/** The scenario's count `name`: the exact one if given, else `full` scaled by size (at least `min`). */
export function countOf(options: ScenarioOptions, name: string, full: number, min = 1): number {
  return options.counts?.[name] ?? Math.max(min, Math.round(full * options.size));
}

/** lekdicht first in even repetitions, the baseline first in odd ones: neither always gets the warmer server. */
export async function interleaved(
  rep: number,
  lekdicht: () => Promise<void>,
  baseline: () => Promise<void>,
): Promise<void> {
  if (rep % 2 === 0) {
    await lekdicht();
    await baseline();
  } else {
    await baseline();
    await lekdicht();
  }
}
