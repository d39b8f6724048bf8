import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Config } from '../../domain/config';
import { createLekdichtWorker, type LekdichtWorkerOptions } from '../../worker/create-worker';
import { buildWorkflowBundle, manifestPathFor, tracedPathFor, type BundleManifest } from '../../worker/workflow-bundle';
import { tracingFor } from '../../config/tracing';
import { signal } from '../support/answers';
import { captureWorkerLogs, eventually, Harness, testWorkerOptions } from '../support/harness';

/** A real OTLP/HTTP receiver on loopback: the span names the worker posts. */
class OtlpReceiver {
  readonly names: string[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as {
          resourceSpans?: { scopeSpans?: { spans?: { name: string }[] }[] }[];
        };
        for (const r of body.resourceSpans ?? [])
          for (const s of r.scopeSpans ?? []) for (const span of s.spans ?? []) this.names.push(span.name);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1/traces`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** The worker as production runs it: no bundle handed in, the config's operations keys instead. */
function production(operations: Partial<Config['operations']>) {
  return ({ workflowBundle: _tests, ...options }: LekdichtWorkerOptions) =>
    createLekdichtWorker({
      ...options,
      config: { ...options.config, operations: { ...options.config.operations, ...operations } },
    });
}

/**
 * `npm run build:workflows`'s bundle (issue 16): a worker starts from it instead of bundling at every start, with
 * tracing as well as without, and refuses a bundle that lacks what its config needs, naming it.
 */
describe('the prebuilt production workflow bundle', () => {
  const receiver = new OtlpReceiver();
  let dir: string;
  let bundle: string;

  beforeAll(async () => {
    await receiver.start();
    dir = mkdtempSync(join(tmpdir(), 'lekdicht-prod-bundle-'));
    bundle = join(dir, 'workflows.js');
    await buildWorkflowBundle(bundle);
  }, 180_000);
  afterAll(() => receiver.close());

  it('writes a bundle without tracing and a traced twin, each with a manifest saying what it holds', () => {
    const read = (path: string) => JSON.parse(readFileSync(manifestPathFor(path), 'utf8')) as BundleManifest;
    expect(tracedPathFor(bundle)).toBe(join(dir, 'workflows.traced.js'));
    expect(read(bundle)).toMatchObject({ format: 1, interceptors: ['codec-check'], failureConverter: true });
    expect(read(tracedPathFor(bundle))).toMatchObject({
      format: 1,
      interceptors: ['codec-check', 'opentelemetry'],
      failureConverter: true,
    });
    // What every open breach would pay for in memory with tracing off: none of OpenTelemetry's code in the bundle a
    // worker runs by default.
    expect(readFileSync(bundle, 'utf8')).not.toMatch(/@opentelemetry/);
    expect(readFileSync(tracedPathFor(bundle), 'utf8')).toMatch(/@opentelemetry/);
  });

  // First: tracing is process-wide once on (config/tracing.ts).
  it('runs a breach to its triage task without tracing, with the tuning from the config, sending no spans', async () => {
    const logs = captureWorkerLogs();
    const h = await Harness.start(
      {},
      {
        createWorker: production({
          workflowBundle: bundle,
          maxCachedWorkflows: 50,
          maxConcurrentActivityTaskExecutions: 7,
          workflowThreads: 2,
        }),
      },
    );
    try {
      const { options } = h.lekdicht!.worker;
      expect(options.maxCachedWorkflows).toBe(50);
      expect(options.tuner.activityTaskSlotSupplier).toMatchObject({ type: 'fixed-size', numSlots: 7 });
      // Two workflow threads, each with the shared context: the breach below reaches triage on them.
      expect(options.workflowThreadPoolSize).toBe(2);
      const breachId = await h.report(signal({ summary: 'USB stick with a pupil list lost on the train' }));
      await h.openTask(breachId, 'triage');
      await eventually(() => h.mailbox.withPurpose('task-assigned:triage').length > 0, 'the triage email');
    } finally {
      await h.close();
      logs.stop();
    }
    expect(logs.lines.filter((line) => /unregistered external sink|sink function threw/.test(line))).toEqual([]);
    expect(receiver.names).toEqual([]);
  });

  it('traces the workflow from the traced twin when tracing is on, configured with the plain bundle', async () => {
    const h = await Harness.start(
      {},
      { createWorker: production({ workflowBundle: bundle, otlpEndpoint: receiver.url }) },
    );
    try {
      const breachId = await h.report(signal({ summary: 'Printer queue with payslips readable by all staff' }));
      await h.openTask(breachId, 'triage');
      // StartActivity spans are made inside the workflow sandbox, by the bundle's interceptors.
      await eventually(async () => {
        await tracingFor(receiver.url, 'lekdicht-worker')!.flush();
        return receiver.names.includes('StartActivity:emailRoles') && receiver.names.includes('RunActivity:emailRoles');
      }, 'the workflow and activity spans');
    } finally {
      await h.close();
    }
  });

  it('refuses a bundle without a manifest, tracing without a traced twin, and a missing bundle', async () => {
    const bare = join(dir, 'bare.js');
    copyFileSync(bundle, bare);
    // Built before the twins existed, or copied without it: tracing on would lose the workflow spans.
    const untraced = join(dir, 'untraced.js');
    copyFileSync(bundle, untraced);
    copyFileSync(manifestPathFor(bundle), manifestPathFor(untraced));
    // A harness on the tests' bundle for its config; each refused worker must stop before it opens anything.
    const h = await Harness.start();
    const temporal = { address: inject('temporalAddress'), namespace: inject('temporalNamespace') };
    const refusal = (operations: Partial<Config['operations']>) =>
      production(operations)(testWorkerOptions(temporal, h.config, h.taskQueue)).then(
        async (worker) => {
          await worker.register.close();
          return 'started';
        },
        (err: Error) => err.message,
      );
    try {
      expect(await refusal({ workflowBundle: bare })).toMatch(/has no manifest .*bare\.json.*npm run build:workflows/);
      expect(await refusal({ workflowBundle: untraced, otlpEndpoint: receiver.url })).toMatch(
        /tracing \(operations\.otlpEndpoint\) needs a workflow bundle built with the OpenTelemetry interceptors, and .*untraced\.traced\.js is not there/,
      );
      expect(await refusal({ workflowBundle: join(dir, 'nowhere.js') })).toMatch(/nowhere\.js does not exist/);
    } finally {
      await h.close();
    }
  });
});
