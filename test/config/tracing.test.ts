import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tracingFor } from '../../config/tracing';
import { reportBreach } from '../../client/shared/breaches';
import { createLekdichtWorker } from '../../worker/create-worker';
import { signal } from '../support/answers';
import { eventually, Harness, testDataConverter } from '../support/harness';

const REPORTER = { name: 'Gerolf Spijkenisse', email: 'g.spijkenisse@tracing.example' };
const SUMMARY = 'Laptop with the customer file of Gerolf Spijkenisse stolen from a car';

interface ExportedSpan {
  name: string;
  traceId: string;
  attributes?: { key: string; value: { stringValue?: string } }[];
  status?: { code?: number; message?: string };
  events?: { name: string; attributes?: { key: string }[] }[];
}

/** A real OTLP/HTTP receiver on loopback: keeps every body the exporter posts to /v1/traces (OTLP JSON). */
class OtlpReceiver {
  readonly bodies: string[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.method === 'POST' && request.url === '/v1/traces')
          this.bodies.push(Buffer.concat(chunks).toString());
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1/traces`;
  }

  spans(): ExportedSpan[] {
    return this.bodies.flatMap((body) =>
      (JSON.parse(body) as { resourceSpans?: { scopeSpans?: { spans?: ExportedSpan[] }[] }[] }).resourceSpans!.flatMap(
        (r) => (r.scopeSpans ?? []).flatMap((s) => s.spans ?? []),
      ),
    );
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

describe('OpenTelemetry tracing through the SDK interceptors (issue 15, operations)', () => {
  const receiver = new OtlpReceiver();

  beforeAll(() => receiver.start());
  afterAll(() => receiver.close());

  // First, before anything in this process set tracing up (its context and propagation are global).
  it('is off by default: a breach starts and runs its first activities, and nothing is sent', async () => {
    // The SDK's standard variable points at the receiver too: only operations.otlpEndpoint turns tracing on.
    process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = receiver.url;
    const h = await Harness.start();
    try {
      expect(h.config.operations.otlpEndpoint).toBeUndefined();
      const breachId = await h.report(signal({ summary: SUMMARY, reporter: REPORTER }));
      await h.openTask(breachId, 'triage');
      await eventually(() => h.mailbox.withPurpose('task-assigned:triage').length > 0, 'the triage email');
    } finally {
      await h.close();
      delete process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
    }
    expect(receiver.bodies).toEqual([]);
  });

  it('on: the client’s start, the workflow and its activities arrive as one trace, without personal data', async () => {
    const endpoint = receiver.url;
    const h = await Harness.start(
      {},
      {
        // The worker bundles its workflows itself, with the tracing interceptors in the bundle.
        createWorker: ({ workflowBundle: _prebuilt, ...options }) =>
          createLekdichtWorker({
            ...options,
            config: { ...options.config, operations: { ...options.config.operations, otlpEndpoint: endpoint } },
          }),
      },
    );
    const tracing = tracingFor(endpoint, 'lekdicht-http')!;
    // The client as the HTTP service builds it (client/http/main.ts): the same interceptors.
    const client = new Client({
      connection: h.client.connection,
      namespace: h.client.options.namespace,
      dataConverter: testDataConverter(),
      interceptors: { workflow: tracing.clientInterceptors },
    });
    let breachId: string;
    // The triage email is refused for good: its activity fails, and the failure's message must not leave.
    h.mailbox.refuseWith = { code: 550, message: `no mailbox here for ${REPORTER.email}` };
    try {
      ({ breachId } = await reportBreach(client, signal({ summary: SUMMARY, reporter: REPORTER }), h.taskQueue));
      await h.openTask(breachId, 'triage');
      await eventually(async () => (await h.register.emailFailures(breachId)).length > 0, 'the refused triage email');
      await eventually(async () => {
        await tracing.flush();
        const names = receiver.spans().map((s) => s.name);
        return (
          names.includes('SignalWithStartWorkflow:breachWorkflow') &&
          names.some((n) => n.startsWith('HandleSignal:')) &&
          names.includes('StartActivity:emailRoles') &&
          names.includes('RunActivity:emailRoles')
        );
      }, 'the spans of the breach start');
    } finally {
      await h.close();
    }
    const spans = receiver.spans();
    const start = spans.find((s) => s.name === 'SignalWithStartWorkflow:breachWorkflow')!;
    expect(start.attributes).toContainEqual({ key: 'temporalWorkflowId', value: { stringValue: breachId } });
    // One trace: the workflow (in the sandbox, out through the sink) and the activity carry the client's trace id.
    for (const name of ['StartActivity:emailRoles', 'RunActivity:emailRoles'])
      expect(spans.filter((s) => s.name === name).map((s) => s.traceId)).toContain(start.traceId);
    expect(spans.filter((s) => s.name.startsWith('HandleSignal:')).map((s) => s.traceId)).toContain(start.traceId);
    // The failed activity shows as an error, by status code and exception type only.
    const failed = spans.filter((s) => s.name === 'RunActivity:emailRoles' && s.status?.code === 2);
    expect(failed.length).toBeGreaterThan(0);
    for (const span of failed) {
      expect(span.status).toEqual({ code: 2 });
      const exception = span.events?.find((e) => e.name === 'exception');
      expect(exception?.attributes?.map((a) => a.key)).toEqual(['exception.type']);
    }
    const sent = receiver.bodies.join('');
    expect(sent).not.toContain('SMTP server refused');
    expect(sent).toContain('"lekdicht-worker"');
    for (const marker of [REPORTER.name, REPORTER.email, SUMMARY, 'Spijkenisse'])
      expect({ marker, found: sent.includes(marker) }).toEqual({ marker, found: false });
  });
});
