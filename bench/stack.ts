/**
 * What every scenario stands on: the Temporal server (the bench's own dev server, TEMPORAL_ADDRESS, or the test
 * run's), the two workflow bundles, the run's codec and act-signing keys, and per scenario a rig: a counting SMTP
 * sink, a SQLite register in a temp dir, lekdicht's worker and the baseline's, each on its own task queue, in this
 * process or in a child process of its own (memory is read per process; a child can be SIGKILLed).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { configSchema, type Config, type ConfigInput } from '../domain/config';
import { failureConverterPath } from '../codec/data-converter';
import { CODEC_KEYS_ENV } from '../codec/keys';
import { actSigner, parseSigningKey, publicKeyOf, type ActAuthenticator } from '../client/shared/act-signing';
import { BreachRegister } from '../register/store';
import { buildWorkflowBundle } from '../worker/workflow-bundle';
import { workerTuningFromEnv } from '../config/load';
import { connectionOptionsOf, createWorker, dataConverterOf, type ChildWorkerSpec, type WorkerKind } from './workers';
import { directory } from '../test/support/people';
import { SmtpSink } from './sink';

const BASELINE_WORKFLOWS = fileURLToPath(new URL('./baseline/workflows.ts', import.meta.url));
const WORKER_SCRIPT = fileURLToPath(new URL('./worker-process.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Where the bench runs and with what: the same for lekdicht and its baseline. */
export interface BenchTarget {
  address: string;
  /** TEMPORAL_ADDRESS's server rather than the bench's own (workers.ts connectionOptionsOf). */
  external?: boolean;
  namespace: string;
  /** lekdicht's workflows, bundled as production bundles them (interceptors, failure converter). */
  workflowBundlePath: string;
  baselineBundlePath: string;
  /** LEKDICHT_CODEC_KEYS format: both sides run encrypted with the same codec. */
  codecKeys: string;
  /** hex; the completions are signed as the HTTP service signs them. */
  actSigningKey: string;
}

const quiet = { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} };

/**
 * lekdicht's bundle as production builds it and runs it without tracing (`npm run build:workflows`: preload, codec
 * check, failure converter).
 */
export async function bundleLekdicht(dir: string): Promise<string> {
  const path = join(dir, 'lekdicht-workflows.js');
  await buildWorkflowBundle(path, { logger: quiet, traced: false });
  return path;
}

/** The baseline's bundle: its one workflow, with the same failure converter. */
export async function bundleBaseline(dir: string): Promise<string> {
  const bundle = await bundleWorkflowCode({ workflowsPath: BASELINE_WORKFLOWS, failureConverterPath, logger: quiet });
  const path = join(dir, 'baseline-workflows.js');
  writeFileSync(path, bundle.code);
  return path;
}

export function signerOf(target: BenchTarget): ActAuthenticator {
  return actSigner(parseSigningKey(target.actSigningKey, 'the bench act signing key'));
}

export interface RunningWorker {
  /** The process that runs the worker: this one, or the child's. */
  pid: number;
  stop(): Promise<void>;
  /** SIGKILL (child workers only). */
  kill(): Promise<void>;
}

export { dataConverterOf, type WorkerKind };
export type WorkerPlace = 'in-process' | 'child';

export interface RigOptions {
  timing?: ConfigInput['timing'];
  /** Where the workers run (default in this process). */
  place?: WorkerPlace;
}

/** One scenario's stack; close() ends its workflows, so the next scenario's pages do not list them. */
export class Rig {
  readonly sink = new SmtpSink();
  readonly dir = mkdtempSync(join(tmpdir(), 'lekdicht-bench-'));
  readonly queues: Record<WorkerKind, string> = {
    lekdicht: `bench-${randomUUID()}`,
    baseline: `bench-baseline-${randomUUID()}`,
  };
  config!: Config;
  client!: Client;
  register!: BreachRegister;
  readonly signer: ActAuthenticator;
  private readonly workers = new Map<WorkerKind, RunningWorker>();
  private place: WorkerPlace = 'in-process';

  private constructor(readonly target: BenchTarget) {
    this.signer = signerOf(target);
  }

  /** The sink, the register, the client; the workers only when asked (startWorker). */
  static async start(target: BenchTarget, options: RigOptions = {}): Promise<Rig> {
    const rig = new Rig(target);
    rig.place = options.place ?? 'in-process';
    const smtpPort = await rig.sink.start();
    rig.config = configSchema.parse({
      organisation: { name: 'Benchgemeente' },
      smtp: { host: '127.0.0.1', port: smtpPort, from: 'lekdicht <lekdicht@bench.example>' },
      register: { path: join(rig.dir, 'register.db') },
      directory,
      timing: options.timing ?? {},
      acts: { publicKeys: [publicKeyOf(parseSigningKey(target.actSigningKey, 'the bench act key')).hex] },
      // LEKDICHT_MAX_CACHED_WORKFLOWS and the other tuning variables, as a production worker reads them: the bench
      // is where their values are chosen (docs/operations.md, "Worker tuning").
      operations: workerTuningFromEnv(process.env),
    });
    rig.register = await BreachRegister.open(rig.config.register.path);
    const connection = await Connection.connect(connectionOptionsOf(target));
    rig.client = new Client({ connection, namespace: target.namespace, dataConverter: dataConverterOf(target) });
    return rig;
  }

  worker(kind: WorkerKind): RunningWorker | undefined {
    return this.workers.get(kind);
  }

  async startWorker(kind: WorkerKind): Promise<RunningWorker> {
    if (this.workers.has(kind)) throw new Error(`the ${kind} worker is already running`);
    const spec: ChildWorkerSpec = {
      kind,
      address: this.target.address,
      ...(this.target.external ? { external: true } : {}),
      namespace: this.target.namespace,
      taskQueue: this.queues[kind],
      bundlePath: kind === 'lekdicht' ? this.target.workflowBundlePath : this.target.baselineBundlePath,
      ...(kind === 'lekdicht' ? { config: this.config } : {}),
    };
    const running =
      this.place === 'child'
        ? await startChildWorker(spec, this.target, this.dir)
        : await startInProcess(spec, this.target);
    this.workers.set(kind, running);
    return running;
  }

  async killWorker(kind: WorkerKind): Promise<void> {
    await this.workers.get(kind)?.kill();
    this.workers.delete(kind);
  }

  async stopWorker(kind: WorkerKind): Promise<void> {
    await this.workers.get(kind)?.stop();
    this.workers.delete(kind);
  }

  /** Stops the workers, terminates what still runs on the rig's queues, closes the rest. */
  async close(): Promise<void> {
    for (const kind of [...this.workers.keys()]) await this.stopWorker(kind).catch(() => {});
    for (const queue of Object.values(this.queues)) await terminateQueue(this.client, queue).catch(() => {});
    await this.client.connection.close();
    await this.register.close();
    await this.sink.stop();
  }
}

/** Every running workflow on the queue, terminated (20 at a time). */
export async function terminateQueue(client: Client, taskQueue: string): Promise<number> {
  const ids: string[] = [];
  for await (const wf of client.workflow.list({ query: `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'` }))
    ids.push(wf.workflowId);
  await inParallel(ids, 20, async (id) => {
    await client.workflow
      .getHandle(id)
      .terminate('bench finished')
      .catch((err: unknown) => {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      });
  });
  return ids.length;
}

/** Runs `work` over the items with at most `concurrency` at once; results in the items' order. */
export async function inParallel<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i]!, i);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return results;
}

async function startInProcess(spec: ChildWorkerSpec, target: BenchTarget): Promise<RunningWorker> {
  const run = await createWorker(spec, target);
  const done = run.run();
  return {
    pid: process.pid,
    stop: async () => {
      run.shutdown();
      await done;
    },
    kill: () => Promise.reject(new Error('only a child worker can be killed')),
  };
}

async function startChildWorker(spec: ChildWorkerSpec, target: BenchTarget, dir: string): Promise<RunningWorker> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER_SCRIPT], {
    cwd: REPO_ROOT,
    env: { ...process.env, BENCH_WORKER: JSON.stringify(spec), [CODEC_KEYS_ENV]: target.codecKeys },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let exited = false;
  let output = '';
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exit.then(() => (exited = true));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('worker ready')) resolve();
    });
    child.stderr.on('data', (chunk: Buffer) => (output = `${output}${chunk.toString()}`.slice(-8_000)));
    void exit.then(() => {
      writeFileSync(join(dir, `worker-${spec.kind}-${child.pid}.log`), output);
      reject(new Error(`the ${spec.kind} worker exited before it was ready:\n${output.slice(-4_000)}`));
    });
  });
  return {
    pid: child.pid!,
    stop: async () => {
      if (!exited) child.kill('SIGTERM');
      await exit;
    },
    kill: async () => {
      if (!exited) child.kill('SIGKILL');
      await exit;
    },
  };
}
