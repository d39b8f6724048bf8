/**
 * `npm run bench [-- <scenario>… --size <scale> --reps <n>]`: lekdicht beside bare Temporal, in one run, on the
 * bench's own embedded dev server (free ports, in memory) or on TEMPORAL_ADDRESS. Prints one table and writes the
 * results as JSON to bench/results/ (bench/README.md).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { workerTuningFromEnv } from '../config/load';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { provisionTemporal } from '../devstack/temporal-server';
import { runtimeOptions } from '../worker/runtime';
import { generateKeyEntry } from '../codec/keys';
import { table, type ResultRow } from './results';
import { SCENARIOS, SCENARIO_NAMES, type ScenarioName } from './scenarios';
import { bundleBaseline, bundleLekdicht, type BenchTarget } from './stack';

const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

function usage(problem: string): never {
  console.error(
    `${problem}\nusage: npm run bench -- [${SCENARIO_NAMES.join('|')}]… [--size <scale, default 1>] [--reps <n, default 3>] [--kill]`,
  );
  process.exit(2);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    size: { type: 'string', default: '1' },
    reps: { type: 'string', default: '3' },
    kill: { type: 'boolean', default: false },
  },
});
const size = Number(values.size);
const reps = Number(values.reps);
if (!(size > 0)) usage(`--size: must be a number above 0 (a scale of the issue's sizes), not "${values.size}"`);
if (!Number.isInteger(reps) || reps < 1) usage(`--reps: must be a whole number of at least 1, not "${values.reps}"`);
const unknown = positionals.filter((p) => !(SCENARIO_NAMES as readonly string[]).includes(p));
if (unknown.length > 0) usage(`unknown scenario: ${unknown.join(', ')}`);
let chosen: string[] = positionals.length > 0 ? positionals : SCENARIO_NAMES;
// `letters --kill` is the kill variant alone.
if (values.kill)
  chosen = [...chosen.filter((s) => s !== 'letters'), 'letters-kill'].filter((s, i, a) => a.indexOf(s) === i);

// Errors only: a terminated workflow's late task completions are expected at the end of every scenario.
Runtime.install(runtimeOptions({}, new DefaultLogger('ERROR'), { filter: { core: 'ERROR', other: 'ERROR' } }));
const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
const work = mkdtempSync(join(tmpdir(), 'lekdicht-bench-run-'));
log(`scenarios ${chosen.join(', ')}; size ${size}; ${reps} repetition(s)`);
const [server, workflowBundlePath, baselineBundlePath] = await Promise.all([
  provisionTemporal({ port: 0, uiPort: null, dbFile: null, dataDir: work, log }),
  bundleLekdicht(work),
  bundleBaseline(work),
]);
const target: BenchTarget = {
  address: server.address,
  ...(server.embedded ? {} : { external: true }),
  namespace: server.namespace,
  workflowBundlePath,
  baselineBundlePath,
  codecKeys: generateKeyEntry('bench'),
  actSigningKey: randomBytes(32).toString('hex'),
};
log(`Temporal at ${server.address} (${server.embedded ? 'embedded dev server, in memory' : 'TEMPORAL_ADDRESS'})`);

const rows: ResultRow[] = [];
const failures: string[] = [];
try {
  for (const name of chosen) {
    log(`${name} …`);
    const started = Date.now();
    try {
      rows.push(...(await SCENARIOS[name as ScenarioName]({ target, size, reps, log })));
      log(`${name} done in ${((Date.now() - started) / 1_000).toFixed(0)} s`);
    } catch (err) {
      failures.push(`${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      log(`${name} FAILED: ${String(err)}`);
    }
  }
} finally {
  await server.stop();
}

const machine = {
  cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
  memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
  loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
  node: process.version,
  temporal: server.embedded ? 'embedded dev server, in memory' : 'TEMPORAL_ADDRESS',
  /** lekdicht's worker tuning from the environment (LEKDICHT_MAX_CACHED_WORKFLOWS, …); empty: the SDK's defaults. */
  tuning: workerTuningFromEnv(process.env),
};
const at = new Date().toISOString();
const result = { at, size, reps, scenarios: chosen, machine, rows, failures };
mkdirSync(RESULTS_DIR, { recursive: true });
const json = `${JSON.stringify(result, null, 2)}\n`;
writeFileSync(join(RESULTS_DIR, `${at.replace(/[:.]/g, '-')}.json`), json);
writeFileSync(join(RESULTS_DIR, 'latest.json'), json);
console.log(`\n${table(rows)}\n`);
console.log(
  `size ${size}, ${reps} repetition(s), medians; ${machine.cpus}, ${machine.memory}, load ${machine.loadAverage.join(' ')}; ${machine.temporal}; worker tuning ${JSON.stringify(machine.tuning)}`,
);
if (failures.length > 0) {
  console.error(`\n${failures.join('\n\n')}`);
  process.exitCode = 1;
}
// The SDK's native runtime keeps the event loop alive.
process.exit();
