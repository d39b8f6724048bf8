import { testActPublicKey, testSigner } from '../../support/acts';
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { inject } from 'vitest';
import { configSchema, type Config, type ConfigInput } from '../../../domain/config';
import type { CaseView, Phase } from '../../../domain/case';
import type { Task } from '../../../domain/tasks';
import { BreachRegister } from '../../../register/store';
import { completeTask, getCase, reportBreach } from '../../../client/shared/breaches';
import { createLekdichtWorker } from '../../../worker/create-worker';
import { eventually, installRuntime, testDataConverter, testWorkerOptions } from '../../support/harness';
import { directory } from '../../support/people';
import { FaultySmtp } from './smtp';

const WORKER_SCRIPT = fileURLToPath(new URL('./worker-process.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export interface RigOptions {
  timing?: ConfigInput['timing'];
  tickets?: ConfigInput['tickets'];
  /** Another Temporal server than the run's (e.g. one the test restarts). */
  temporal?: { address: string; namespace: string };
  /** 'child': a worker process of its own that the test can SIGKILL; default in this process. */
  worker?: 'in-process' | 'child';
  /** Child worker: the first worker holds a register batch of workflows with these endings (worker-process.ts). */
  holdBatchesOf?: string[];
}

interface RunningWorker {
  kind: 'in-process' | 'child';
  stop(): Promise<void>;
  kill(): Promise<void>;
  exited(): boolean;
}

/**
 * Like test/support/harness.ts, for fault tests: a real SMTP server whose answers can turn bad, a SQLite register
 * in a temp dir, a worker on its own task queue (in this process, or a child process to SIGKILL), and the
 * Temporal server of the run or one the test owns.
 */
export class FaultRig {
  readonly smtp = new FaultySmtp();
  readonly taskQueue = `faults-${randomUUID()}`;
  readonly dir = mkdtempSync(join(tmpdir(), 'lekdicht-faults-'));
  config!: Config;
  client!: Client;
  register!: BreachRegister;
  workerStarts = 0;
  private worker: RunningWorker | undefined;
  private temporal!: { address: string; namespace: string };
  private mode: 'in-process' | 'child' = 'in-process';
  /** Endings of workflow IDs whose first register batch the next child worker holds; taken by that worker. */
  holdBatchesOf: string[] = [];
  /** What the child workers printed, all of them, in order. */
  workerOutput = '';

  static async start(options: RigOptions = {}): Promise<FaultRig> {
    const rig = new FaultRig();
    rig.mode = options.worker ?? 'in-process';
    rig.holdBatchesOf = options.holdBatchesOf ?? [];
    rig.temporal = options.temporal ?? { address: inject('temporalAddress'), namespace: inject('temporalNamespace') };
    const smtpPort = await rig.smtp.start();
    rig.config = configSchema.parse({
      organisation: { name: 'Testgemeente' },
      smtp: { host: '127.0.0.1', port: smtpPort, from: 'lekdicht <lekdicht@test.example>' },
      register: { path: join(rig.dir, 'register.db') },
      directory,
      timing: options.timing ?? {},
      ...(options.tickets ? { tickets: options.tickets } : {}),
      // The test signer signs like the HTTP service (test/support/acts.ts); the worker verifies with its public key.
      acts: { publicKeys: [testActPublicKey()] },
    });
    rig.register = await BreachRegister.open(rig.config.register.path);
    const connection = await Connection.connect({ address: rig.temporal.address });
    rig.client = new Client({ connection, namespace: rig.temporal.namespace, dataConverter: testDataConverter() });
    await rig.startWorker();
    return rig;
  }

  get workerRunning(): boolean {
    return this.worker !== undefined && !this.worker.exited();
  }

  async startWorker(): Promise<void> {
    if (this.workerRunning) throw new Error('a worker is already running');
    this.workerStarts += 1;
    this.worker = this.mode === 'child' ? await this.startChild() : await this.startInProcess();
  }

  /** SIGKILL: no shutdown, no grace, activities in flight die with it (child workers only). */
  async killWorker(): Promise<void> {
    await this.worker?.kill();
    this.worker = undefined;
  }

  async stopWorker(): Promise<void> {
    await this.worker?.stop();
    this.worker = undefined;
  }

  private async startInProcess(): Promise<RunningWorker> {
    installRuntime();
    // createLekdichtWorker builds the ticket system the config names (the register's, or a webhook).
    const lekdicht = await createLekdichtWorker(testWorkerOptions(this.temporal, this.config, this.taskQueue));
    const worker = lekdicht.worker;
    const done = lekdicht.run();
    let exited = false;
    void done.finally(() => (exited = true));
    return {
      kind: 'in-process',
      exited: () => exited,
      stop: async () => {
        if (!exited) worker.shutdown();
        await done;
      },
      kill: () => Promise.reject(new Error('only a child worker can be killed')),
    };
  }

  private async startChild(): Promise<RunningWorker> {
    testDataConverter(); // puts the run's codec keys into process.env for the child
    const logFile = join(this.dir, `worker-${this.workerStarts}.log`);
    const log = createWriteStream(logFile);
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', WORKER_SCRIPT], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        FAULT_WORKER: JSON.stringify({
          ...this.temporal,
          taskQueue: this.taskQueue,
          bundlePath: inject('workflowBundlePath'),
          config: this.config,
          holdBatchesOf: this.holdBatchesOf.splice(0),
        }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let exited = false;
    const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    void exit.then(() => (exited = true));
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        log.write(chunk);
        this.workerOutput += chunk.toString();
        if (chunk.toString().includes('worker ready')) resolve();
      });
      child.stderr!.on('data', (chunk: Buffer) => log.write(chunk));
      void exit.then(() =>
        reject(new Error(`worker process exited before it was ready; log ${logFile}:\n${safeRead(logFile)}`)),
      );
    });
    await ready;
    return {
      kind: 'child',
      exited: () => exited,
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

  async report(signal: Record<string, unknown>): Promise<string> {
    return (await reportBreach(this.client, signal, this.taskQueue)).breachId;
  }

  view(breachId: string): Promise<CaseView> {
    return getCase(this.client, breachId);
  }

  openTask(breachId: string, taskId: string, timeoutMs = 90_000): Promise<Task> {
    return eventually(
      async () => (await this.view(breachId)).tasks.find((t) => t.id === taskId && t.status === 'open'),
      `task ${taskId} to open`,
      timeoutMs,
    );
  }

  async complete(breachId: string, taskId: string, actor: string, answer: unknown): Promise<Task> {
    await this.openTask(breachId, taskId);
    return completeTask(this.client, breachId, taskId, actor, answer, testSigner());
  }

  waitForPhase(breachId: string, phase: Phase, timeoutMs = 90_000): Promise<CaseView> {
    return eventually(
      async () => {
        const view = await this.view(breachId);
        return view.phase === phase ? view : undefined;
      },
      `phase ${phase}`,
      timeoutMs,
    );
  }

  result(breachId: string): Promise<unknown> {
    return this.client.workflow.getHandle(breachId).result();
  }

  /** Workflows on this rig's task queue, by execution status. */
  async workflowsByStatus(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for await (const wf of this.client.workflow.list({ query: `TaskQueue = '${this.taskQueue}'` }))
      counts[wf.status.name] = (counts[wf.status.name] ?? 0) + 1;
    return counts;
  }

  async close(): Promise<void> {
    await this.stopWorker().catch(() => {});
    await this.client?.connection.close();
    await this.register?.close();
    await this.smtp.stop();
  }
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(-4_000);
  } catch {
    return '(no log)';
  }
}
