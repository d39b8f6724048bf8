import { baselineCompleteUpdate } from '../baseline/workflows';
import { baselineToWaiting, complete, reportToTriage, since } from '../breaches';
import { percentile, row, type ResultRow } from '../results';
import { countOf, interleaved, type Scenario } from '../scenario';
import { inParallel, Rig } from '../stack';
import { answers } from '../../test/support/answers';
import { FG } from '../../test/support/people';

const IN_FLIGHT = 10;

/** Latencies (ms) of completing one task per item, `concurrency` at a time. */
async function latencies<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<unknown>) {
  return inParallel(items, concurrency, async (item) => {
    const start = performance.now();
    await work(item);
    return since(start);
  });
}

/**
 * Completing a task by update: lekdicht's triage answered the way client/shared does it (caseView query, then the
 * completeTask update, signed), against an update on the baseline's trivial workflow. Sequentially, and with 10
 * in flight; each repetition on fresh breaches, all at triage before the clock starts.
 */
export const update: Scenario = async (options) => {
  const n = countOf(options, 'updates', 100, 2);
  const rig = await Rig.start(options.target);
  const samples = {
    seq: {
      lekdicht: { p50: [] as number[], p99: [] as number[] },
      baseline: { p50: [] as number[], p99: [] as number[] },
    },
    par: {
      lekdicht: { p50: [] as number[], p99: [] as number[] },
      baseline: { p50: [] as number[], p99: [] as number[] },
    },
  };
  const put = (mode: 'seq' | 'par', kind: 'lekdicht' | 'baseline', ms: number[]) => {
    samples[mode][kind].p50.push(percentile(ms, 50));
    samples[mode][kind].p99.push(percentile(ms, 99));
  };
  try {
    await rig.startWorker('lekdicht');
    await rig.startWorker('baseline');
    for (let rep = 0; rep < options.reps; rep++) {
      const breaches = await inParallel(Array.from({ length: 2 * n }), 20, () => reportToTriage(rig));
      const trivial = await inParallel(Array.from({ length: 2 * n }), 20, () => baselineToWaiting(rig));
      const triage = (id: string) => complete(rig, id, 'triage', FG, answers.triageBreach());
      const done = (id: string) =>
        rig.client.workflow.getHandle(id).executeUpdate(baselineCompleteUpdate, { args: [{ taskId: 'triage' }] });
      await interleaved(
        rep,
        async () => {
          put('seq', 'lekdicht', await latencies(breaches.slice(0, n), 1, triage));
          put('par', 'lekdicht', await latencies(breaches.slice(n), IN_FLIGHT, triage));
        },
        async () => {
          put('seq', 'baseline', await latencies(trivial.slice(0, n), 1, done));
          put('par', 'baseline', await latencies(trivial.slice(n), IN_FLIGHT, done));
        },
      );
      options.log(
        `update rep ${rep + 1}: sequential p50 ${samples.seq.lekdicht.p50.at(-1)!.toFixed(0)} vs ${samples.seq.baseline.p50.at(-1)!.toFixed(0)} ms`,
      );
    }
  } finally {
    await rig.close();
  }
  const rows: ResultRow[] = [];
  for (const mode of ['seq', 'par'] as const) {
    const how = mode === 'seq' ? 'sequential' : `${IN_FLIGHT} in flight`;
    for (const p of ['p50', 'p99'] as const) {
      const goal = p === 'p99' ? (mode === 'seq' ? '≤ 1.5× and < 100 ms' : '≤ 1.5×') : '';
      rows.push(
        row({
          scenario: 'update',
          what: `completing a task by update, ${how}, ${p}`,
          unit: 'ms',
          lekdicht: samples[mode].lekdicht[p],
          baseline: samples[mode].baseline[p],
          goal,
          ...(goal
            ? {
                check: ({ lekdicht, ratio }) => ratio !== null && ratio <= 1.5 && (mode === 'par' || lekdicht < 100),
              }
            : {}),
          detail: { updates: n, reps: options.reps },
        }),
      );
    }
  }
  return rows;
};
