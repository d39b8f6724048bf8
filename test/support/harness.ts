import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter, LogLevel, LogMetadata, Logger } from '@temporalio/common';
import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import { inject } from 'vitest';
import { PRACTICE_TIMING } from '../../domain/practice';
import { configSchema, type Config, type ConfigInput } from '../../domain/config';
import type { CaseView, Phase } from '../../domain/case';
import type { Task } from '../../domain/tasks';
import { BreachRegister } from '../../register/store';
import type { PlaybookSettings } from '../../activities';
import { completeTask, getCase, reportBreach } from '../../client/shared/breaches';
import { createLekdichtWorker, type LekdichtWorker, type LekdichtWorkerOptions } from '../../worker/create-worker';
import { runtimeOptions } from '../../worker/runtime';
import type { OperationsConfig } from '../../domain/operations-config';
import { dataConverterFromKeys, failureConverterPath } from '../../codec/data-converter';
import { CODEC_KEYS_ENV, parseKeyRing } from '../../codec/keys';
import { Mailbox } from './mailbox';
import { testActPublicKey, testSigner } from './acts';
import type { ActAuthenticator } from '../../client/shared/act-signing';
import { directory } from './people';

/** Polls until `probe` returns a value (not undefined / false) or the time is up. */
export async function eventually<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > until)
      throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Everything a workflow test needs, real: the run's Temporal server, a worker on its own task queue, an SMTP
 * server on loopback, a SQLite register in a temp dir.
 */
let runtimeInstalled = false;
const LEVELS: LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];
let capture: string[] | undefined;
/**
 * Once per process (a Temporal rule): keep the worker's own logging to warnings so test output stays readable.
 * Everything from INFO up (the SDK core's, the SDK's and the workflows' log lines, with their metadata) can also be
 * captured, for tests that check what the worker logs (captureWorkerLogs).
 */
export function installRuntime(
  options: { operations?: Pick<OperationsConfig, 'workerMetricsAddress'>; logger?: Logger } = {},
): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const printer = new DefaultLogger('WARN');
  // The product's options (worker/runtime.ts), with a test's operations settings (the metrics exporter) or logger.
  Runtime.install(
    runtimeOptions(
      options.operations ?? {},
      options.logger ??
        new DefaultLogger('INFO', (entry: LogEntry) => {
          capture?.push(`${entry.level} ${entry.message} ${safeJson(entry.meta)}`);
          if (LEVELS.indexOf(entry.level) >= LEVELS.indexOf('WARN'))
            printer.log(entry.level, entry.message, entry.meta);
        }),
      // The SDK core's own records (task failures, with their messages) come through the same logger, so a test
      // sees them too instead of them going straight to stderr.
      { filter: { core: 'INFO', other: 'WARN' } },
    ),
  );
}

/** Starts capturing the worker runtime's log lines in this process; the returned array fills as they come. */
export function captureWorkerLogs(): { lines: string[]; stop(): void } {
  const lines: string[] = [];
  capture = lines;
  return { lines, stop: () => void (capture === lines && (capture = undefined)) };
}

function safeJson(meta: LogMetadata | undefined): string {
  try {
    return JSON.stringify(meta ?? {}, (_key, value: unknown) =>
      value instanceof Error
        ? { name: value.name, message: value.message, stack: value.stack }
        : typeof value === 'bigint'
          ? String(value)
          : value,
    );
  } catch {
    return String(meta);
  }
}

/**
 * The run's data converter: the codec with the run's keys (global-setup), so the suite runs encrypted like
 * production. The keys also go into this process's environment, so a CLI or service a test spawns can read
 * what the worker wrote.
 */
export function testDataConverter(): DataConverter {
  const keys = inject('codecKeys');
  if (!keys) return { failureConverterPath };
  process.env[CODEC_KEYS_ENV] = keys;
  return dataConverterFromKeys({ keys: parseKeyRing(keys, 'the test run keys'), source: 'test run' }).dataConverter;
}

/** The product's worker options as a test runs it: the run's workflow bundle and codec keys, its own task queue. */
export function testWorkerOptions(
  temporal: { address: string; namespace: string },
  config: Config,
  taskQueue: string,
): LekdichtWorkerOptions {
  return {
    connection: { address: temporal.address },
    namespace: temporal.namespace,
    config,
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    dataConverter: testDataConverter(),
  };
}

export interface HarnessOptions {
  /** Builds the worker (default: createLekdichtWorker), e.g. to add activities or use another mail transport. */
  createWorker?: (options: LekdichtWorkerOptions) => Promise<LekdichtWorker>;
  /** Config `organisation` keys besides its name, e.g. `{ profile: { nis2Entity: 'essential' } }`. */
  organisation?: Omit<ConfigInput['organisation'], 'name'>;
  /** Another Temporal server than the run's dev server, e.g. the time-skipping test server (see time-skipping.ts). */
  temporal?: { address: string; namespace: string; client: Client };
  /** Signs completions (default: testSigner, on this machine's clock); the time-skipping server needs its own time. */
  signer?: () => Promise<ActAuthenticator>;
  /** Config `history`, e.g. `{ eventsPerRun: 1 }`: every run continues as new at its first chance. */
  history?: ConfigInput['history'];
  /** Config `practice`: every page and email marked, letters only to test addresses (domain/practice.ts). */
  practice?: boolean;
  /** Config `http.publicUrl`: where the emails' links lead (a test that serves the pages on a known port). */
  publicUrl?: string;
  /** Config `tickets`, e.g. a webhook ticket system that is down (test/faults/support/ticket-sink.ts). */
  tickets?: ConfigInput['tickets'];
}

export class Harness {
  readonly mailbox = new Mailbox();
  readonly taskQueue = `test-${randomUUID()}`;
  config!: Config;
  client!: Client;
  register!: BreachRegister;
  private running: { worker: LekdichtWorker; done: Promise<void> } | undefined;
  private createWorker = createLekdichtWorker;
  /** How complete() signs, like the HTTP service would for the person (test/support/acts.ts). */
  signer: () => Promise<ActAuthenticator> = async () => testSigner();
  private temporal = { address: inject('temporalAddress'), namespace: inject('temporalNamespace'), ownsClient: true };

  static async start(timing: NonNullable<ConfigInput['timing']> = {}, options: HarnessOptions = {}): Promise<Harness> {
    installRuntime();
    const h = new Harness();
    if (options.createWorker) h.createWorker = options.createWorker;
    if (options.signer) h.signer = options.signer;
    const smtpPort = await h.mailbox.start();
    h.config = configSchema.parse({
      organisation: { name: 'Testgemeente', ...options.organisation },
      smtp: { host: '127.0.0.1', port: smtpPort, from: 'lekdicht <lekdicht@test.example>' },
      register: { path: join(mkdtempSync(join(tmpdir(), 'lekdicht-register-')), 'register.db') },
      directory,
      // Practice runs on its short profile, under the keys the test sets, as config/load.ts does for a file.
      timing: options.practice ? { ...PRACTICE_TIMING, ...timing } : timing,
      ...(options.history ? { history: options.history } : {}),
      ...(options.practice ? { practice: true } : {}),
      ...(options.publicUrl ? { http: { publicUrl: options.publicUrl } } : {}),
      ...(options.tickets ? { tickets: options.tickets } : {}),
      acts: { publicKeys: [testActPublicKey()] },
    });
    h.register = await BreachRegister.open(h.config.register.path);
    if (options.temporal) {
      h.temporal = { address: options.temporal.address, namespace: options.temporal.namespace, ownsClient: false };
      h.client = options.temporal.client;
    } else {
      const connection = await Connection.connect({ address: h.temporal.address });
      h.client = new Client({ connection, namespace: h.temporal.namespace, dataConverter: testDataConverter() });
    }
    await h.startWorker();
    return h;
  }

  /** The running worker (its watch, its register handle), for tests that look inside. */
  get lekdicht(): LekdichtWorker | undefined {
    return this.running?.worker;
  }

  async startWorker(): Promise<void> {
    const worker = await this.createWorker(testWorkerOptions(this.temporal, this.config, this.taskQueue));
    this.running = { worker, done: worker.run() };
  }

  /** What the worker's loadSettings gives a playbook, for starting one on its own. */
  async settings(): Promise<PlaybookSettings> {
    const { organisation, language, directory, timing, history, acts, thresholds } = this.config;
    return {
      organisation: organisation.name,
      language,
      directory,
      timing,
      history,
      profile: organisation.profile,
      thresholds,
      acts: { publicKeys: acts.publicKeys, operatorActs: acts.operatorActs, maxAgeMs: acts.proofMaxAge },
    };
  }

  async stopWorker(): Promise<void> {
    if (!this.running) return;
    this.running.worker.worker.shutdown();
    await this.running.done;
    this.running = undefined;
  }

  async report(signal: Record<string, unknown>): Promise<string> {
    const { breachId } = await reportBreach(this.client, signal, this.taskQueue);
    return breachId;
  }

  view(breachId: string): Promise<CaseView> {
    return getCase(this.client, breachId);
  }

  /** Waits for the task to be open, then completes it through the workflow update. */
  async complete(breachId: string, taskId: string, actor: string, answer: unknown): Promise<Task> {
    await this.openTask(breachId, taskId);
    return completeTask(this.client, breachId, taskId, actor, answer, await this.signer());
  }

  /**
   * Completes a task as people do: once its email went out, so the run is at rest before the answer comes (and, with
   * a small history budget, has continued as new in between: workflows/resumable.ts).
   */
  async completeAtRest(breachId: string, taskId: string, actor: string, answer: unknown): Promise<Task> {
    await eventually(
      () => this.mailbox.withPurpose(`task-assigned:${taskId}`).length > 0,
      `the email of task ${taskId}`,
    );
    return this.complete(breachId, taskId, actor, answer);
  }

  openTask(breachId: string, taskId: string): Promise<Task> {
    return eventually(
      async () => (await this.view(breachId)).tasks.find((t) => t.id === taskId && t.status === 'open'),
      `task ${taskId} to open`,
    );
  }

  waitForPhase(breachId: string, phase: Phase): Promise<CaseView> {
    return eventually(async () => {
      const view = await this.view(breachId);
      return view.phase === phase ? view : undefined;
    }, `phase ${phase}`);
  }

  async result(breachId: string): Promise<unknown> {
    return this.client.workflow.getHandle(breachId).result();
  }

  async close(): Promise<void> {
    await this.stopWorker();
    if (this.temporal.ownsClient) await this.client.connection.close();
    await this.register.close();
    await this.mailbox.stop();
  }
}
