import { baselineToWaiting, reportToTriage, since } from '../breaches';
import { row } from '../results';
import { countOf, interleaved, type Scenario } from '../scenario';
import { inParallel, Rig } from '../stack';

/** Reports in flight at once, as an intake burst from a SIEM would come. */
const CONCURRENCY = 20;

/**
 * N breaches reported (20 at a time) until each has its triage task open, against N signal-with-starts of the
 * baseline until each answers that it waits: breaches per second.
 */
export const intake: Scenario = async (options) => {
  const n = countOf(options, 'breaches', 300);
  const rig = await Rig.start(options.target);
  const rates = { lekdicht: [] as number[], baseline: [] as number[] };
  try {
    await rig.startWorker('lekdicht');
    await rig.startWorker('baseline');
    for (let rep = 0; rep < options.reps; rep++) {
      await interleaved(
        rep,
        async () => {
          const start = performance.now();
          await inParallel(Array.from({ length: n }), CONCURRENCY, () => reportToTriage(rig));
          rates.lekdicht.push(n / (since(start) / 1_000));
        },
        async () => {
          const start = performance.now();
          await inParallel(Array.from({ length: n }), CONCURRENCY, () => baselineToWaiting(rig));
          rates.baseline.push(n / (since(start) / 1_000));
        },
      );
      options.log(
        `intake rep ${rep + 1}: ${rates.lekdicht.at(-1)!.toFixed(1)}/s vs ${rates.baseline.at(-1)!.toFixed(1)}/s`,
      );
    }
  } finally {
    await rig.close();
  }
  return [
    row({
      scenario: 'intake',
      what: `${n} breaches reported (concurrency ${CONCURRENCY}) until triage is open`,
      unit: '/s',
      lekdicht: rates.lekdicht,
      baseline: rates.baseline,
      goal: '≥ 0.8×',
      check: ({ ratio }) => ratio !== null && ratio >= 0.8,
      detail: { breaches: n, concurrency: CONCURRENCY, reps: options.reps },
    }),
  ];
};
