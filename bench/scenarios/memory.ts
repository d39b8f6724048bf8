import { readFileSync } from 'node:fs';
import { baselineToWaiting, reportToTriage, since, sleep } from '../breaches';
import { row } from '../results';
import { countOf, interleaved, type Scenario } from '../scenario';
import { inParallel, Rig, terminateQueue, type WorkerKind } from '../stack';

const MIB = 2 ** 20;

/** The process's resident set in bytes (Linux: /proc/<pid>/status, VmRSS). */
export function rssOf(pid: number): number {
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb) * 1_024;
}

/** RSS once it stops moving (two reads a second apart within 2 %, at most 15 s): the worker at rest. */
async function restingRss(pid: number): Promise<number> {
  let last = rssOf(pid);
  for (let i = 0; i < 15; i++) {
    await sleep(1_000);
    const now = rssOf(pid);
    if (Math.abs(now - last) <= last * 0.02) return now;
    last = now;
  }
  return last;
}

/**
 * Worker memory: N breaches waiting on triage against N trivial workflows waiting on a signal, each worker in a
 * process of its own (its RSS is the worker's), read once everything is started and the worker is at rest. Also
 * how long the N took until all were at triage (waiting), 20 at a time.
 */
export const memory: Scenario = async (options) => {
  const n = countOf(options, 'breaches', 1_000);
  const rig = await Rig.start(options.target, { place: 'child' });
  const rss = { lekdicht: [] as number[], baseline: [] as number[] };
  const perItem = { lekdicht: [] as number[], baseline: [] as number[] };
  const seconds = { lekdicht: [] as number[], baseline: [] as number[] };
  const measure = async (kind: WorkerKind) => {
    const worker = await rig.startWorker(kind);
    const idle = await restingRss(worker.pid);
    const start = performance.now();
    await inParallel(Array.from({ length: n }), 20, () =>
      kind === 'lekdicht' ? reportToTriage(rig) : baselineToWaiting(rig),
    );
    seconds[kind].push(since(start) / 1_000);
    const loaded = await restingRss(worker.pid);
    rss[kind].push(loaded / MIB);
    perItem[kind].push((loaded - idle) / n / MIB);
    await rig.stopWorker(kind);
    await terminateQueue(rig.client, rig.queues[kind]);
  };
  try {
    for (let rep = 0; rep < options.reps; rep++) {
      await interleaved(
        rep,
        () => measure('lekdicht'),
        () => measure('baseline'),
      );
      options.log(
        `memory rep ${rep + 1}: ${rss.lekdicht.at(-1)!.toFixed(0)} vs ${rss.baseline.at(-1)!.toFixed(0)} MiB`,
      );
    }
  } finally {
    await rig.close();
  }
  const detail = { breaches: n, reps: options.reps };
  return [
    row({
      scenario: 'memory',
      what: `worker RSS with ${n} open breaches waiting on triage`,
      unit: 'MiB',
      lekdicht: rss.lekdicht,
      baseline: rss.baseline,
      goal: '< 1 GiB at 1,000',
      // Below 1,000 breaches the goal says nothing: the idle worker alone is most of it.
      ...(n >= 1_000 ? { check: ({ lekdicht }: { lekdicht: number }) => lekdicht < 1_024 } : {}),
      detail,
    }),
    row({
      scenario: 'memory',
      what: 'worker RSS per open breach (above the idle worker)',
      unit: 'MiB',
      lekdicht: perItem.lekdicht,
      baseline: perItem.baseline,
      detail,
    }),
    row({
      scenario: 'memory',
      what: `${n} breaches until all at triage`,
      unit: 's',
      lekdicht: seconds.lekdicht,
      baseline: seconds.baseline,
      // Start to triage at ≥ 0.8× the baseline's rate is ≤ 1.25× its time.
      goal: '≤ 1.25×',
      check: ({ ratio }) => ratio !== null && ratio <= 1.25,
      detail,
    }),
  ];
};
