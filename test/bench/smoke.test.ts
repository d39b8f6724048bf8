import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { ResultRow } from '../../bench/results';
import { SCENARIOS, SCENARIO_NAMES, type ScenarioName } from '../../bench/scenarios';
import { bundleBaseline, type BenchTarget } from '../../bench/stack';
import { installRuntime } from '../support/harness';

/** Tiny runs: every scenario's code path, no timing (speed is measured only by `npm run bench`). */
const TINY: Record<ScenarioName, Record<string, number>> = {
  pages: { open: 3, closed: 5, loads: 2, settleMs: 0 },
  intake: { breaches: 3 },
  update: { updates: 2 },
  memory: { breaches: 3 },
  history: {},
  letters: { letters: 20 },
  'letters-kill': { letters: 20 },
};

/**
 * Each scenario of bench/ run once at a tiny size against the test run's server, all at once (each on its own task
 * queues): a scenario that stops working, or that counts wrong, fails here and not only on the lead's quiet machine.
 */
describe('the bench scenarios at a tiny size', () => {
  const results = new Map<ScenarioName, ResultRow[] | Error>();

  beforeAll(async () => {
    installRuntime();
    const target: BenchTarget = {
      address: inject('temporalAddress'),
      namespace: inject('temporalNamespace'),
      workflowBundlePath: inject('workflowBundlePath'),
      baselineBundlePath: await bundleBaseline(mkdtempSync(join(tmpdir(), 'lekdicht-bench-smoke-'))),
      codecKeys: inject('codecKeys'),
      actSigningKey: inject('actSigningKey'),
    };
    await Promise.all(
      SCENARIO_NAMES.map(async (name) => {
        try {
          results.set(name, await SCENARIOS[name]({ target, size: 1, reps: 1, counts: TINY[name], log: () => {} }));
        } catch (err) {
          results.set(name, err as Error);
        }
      }),
    );
  }, 300_000);

  const rowsOf = (name: ScenarioName): ResultRow[] => {
    const result = results.get(name);
    if (result instanceof Error) throw result;
    expect(result).toBeDefined();
    return result!;
  };
  const positive = (value: number | null) => value !== null && Number.isFinite(value) && value > 0;
  /** Every row with a baseline has both numbers and their ratio, finite and above 0. */
  const sane = (rows: ResultRow[]) => {
    for (const r of rows.filter((r) => r.baseline !== null)) {
      expect([r.what, positive(r.lekdicht), positive(r.baseline), positive(r.ratio)]).toEqual([
        r.what,
        true,
        true,
        true,
      ]);
    }
  };

  it('covers every scenario of npm run bench', () => {
    expect(Object.keys(TINY).sort()).toEqual([...SCENARIO_NAMES].sort());
  });

  it('intake: a rate for the 3 breaches and for the baseline', () => {
    const rows = rowsOf('intake');
    expect(rows.map((r) => r.detail?.breaches)).toEqual([3]);
    sane(rows);
  });

  it('update: p50 and p99, sequential and 10 in flight, beside the baseline', () => {
    const rows = rowsOf('update');
    expect(rows.map((r) => r.what)).toEqual([
      'completing a task by update, sequential, p50',
      'completing a task by update, sequential, p99',
      'completing a task by update, 10 in flight, p50',
      'completing a task by update, 10 in flight, p99',
    ]);
    sane(rows);
  });

  it('memory: each worker process has its own resident memory, and the time until all wait', () => {
    const rows = rowsOf('memory');
    expect(rows).toHaveLength(3);
    // A real Node process with the SDK's runtime: tens of MiB at least, on both sides.
    expect(rows[0]!.lekdicht).toBeGreaterThan(50);
    expect(rows[0]!.baseline).toBeGreaterThan(50);
    sane([rows[0]!, rows[2]!]);
  });

  it('letters: every one of the 20 people got one letter, on both sides', () => {
    const rows = rowsOf('letters');
    expect(rows.map((r) => r.detail?.letters)).toEqual([20]);
    expect(Number(rows[0]!.detail?.bytesLekdicht)).toBeGreaterThan(1_000);
    sane(rows);
  });

  it('letters-kill: the worker killed mid-run, and still no one twice and no one missing', () => {
    const [duplicates, missing] = rowsOf('letters-kill');
    expect([duplicates!.lekdicht, missing!.lekdicht]).toEqual([0, 0]);
    // The sink stops answering at exactly half: the kill came with 10 letters delivered and 10 to go.
    expect(duplicates!.detail?.killedAt).toBe(10);
    expect(duplicates!.detail?.accepted).toBe(20);
  });

  it('history: the events and bytes of every run of a whole lifecycle', () => {
    const [events, size] = rowsOf('history');
    expect(events!.detail).toMatchObject({ tasks: 20 });
    expect(Number(events!.detail?.runs)).toBeGreaterThanOrEqual(6);
    expect(events!.lekdicht).toBeGreaterThan(20);
    expect(size!.lekdicht).toBeGreaterThan(0);
  });

  it('pages: the dashboard shows the 3 open breaches; its first load and both pages are timed beside their baseline', () => {
    const rows = rowsOf('pages');
    expect(rows.map((r) => r.detail?.shownOnDashboard)).toEqual([3, 3, 3]);
    sane(rows);
  });
});
