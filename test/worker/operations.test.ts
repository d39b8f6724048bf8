import { inject } from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../devstack/ports';
import { jsonLog } from '../../client/http/log';
import { createLekdichtWorker } from '../../worker/create-worker';
import { jsonLogger } from '../../worker/log';
import { answers, signal } from '../support/answers';
import { eventually, Harness, installRuntime } from '../support/harness';
import { HttpFixture } from '../support/http';
import { CISO, COMMS, FG, ICT, PROCESS_OWNER } from '../support/people';
import { TcpProxy } from '../support/tcp-proxy';

const REPORTER = { name: 'Wobbe Kuipersma', email: 'w.kuipersma@jsonlog.example' };
const SUBJECTS = [
  { name: 'Trijntje Oosterhout', email: 'trijntje.oosterhout@jsonlog.example' },
  { name: 'Sjoerd Blankevoort', email: 's.blankevoort@jsonlog.example' },
];
const SUMMARY = `Patient letters for ${SUBJECTS[0]!.name} mailed to the wrong address`;
const MARKERS = [
  REPORTER.name,
  REPORTER.email,
  'Kuipersma',
  ...SUBJECTS.flatMap((s) => [s.name, s.email]),
  'Oosterhout',
  'Blankevoort',
  SUMMARY,
  'Patient letters',
];

/**
 * The production formats for real: this process's Temporal runtime logs through the worker's JSON logger and
 * exports Prometheus metrics (Runtime.install takes both once, before any connection), the HTTP service logs JSON,
 * and a breach runs from intake to aftercare with names, addresses and a summary that must appear in no line.
 */
describe('JSON logs, worker metrics and worker health (issue 15, operations)', () => {
  const lines: string[] = [];
  const write = (line: string) => void lines.push(line);
  let metricsAddress: string;
  let healthAddress: string;
  let proxy: TcpProxy;
  let h: Harness;
  let http: HttpFixture;
  let breachId: string;

  beforeAll(async () => {
    metricsAddress = `127.0.0.1:${await freePort()}`;
    healthAddress = `127.0.0.1:${await freePort()}`;
    // DEBUG: the SDK's per-task lines too (workflow and activity started and completed, with their metadata), so
    // far more than production's INFO writes is checked for personal data.
    installRuntime({ operations: { workerMetricsAddress: metricsAddress }, logger: jsonLogger('DEBUG', write) });
    // The worker reaches Temporal through a proxy the test can cut, as a network outage would.
    const [host = '127.0.0.1', port = '7233'] = inject('temporalAddress').split(':');
    proxy = new TcpProxy({ host, port: Number(port) });
    await proxy.start();
    h = await Harness.start(
      {},
      {
        createWorker: (options) =>
          createLekdichtWorker({
            ...options,
            connection: { address: proxy.address },
            config: {
              ...options.config,
              operations: { ...options.config.operations, workerHealthAddress: healthAddress },
            },
          }),
      },
    );
    http = await HttpFixture.start(h, { log: jsonLog(write) });

    const res = await http.intake(
      signal({ summary: SUMMARY, details: `Reported by ${REPORTER.name}`, reporter: REPORTER }),
    );
    expect(res.statusCode).toBe(202);
    breachId = res.json<{ breachId: string }>().breachId;
    await h.complete(breachId, 'triage', FG, { ...answers.triageBreach(), reasoning: `${REPORTER.name} saw it.` });
    await h.complete(breachId, 'first-picture', CISO, { ...answers.firstPicture(), summary: SUMMARY });
    await h.complete(breachId, 'containment-1', ICT, answers.containment(false));
    await h.complete(breachId, 'containment-confirmation-1', CISO, answers.confirmContainment());
    await h.complete(breachId, 'impact', PROCESS_OWNER, answers.impact());
    await h.complete(breachId, 'notification-decision', FG, answers.decision(true, true, 'lekdicht'));
    await h.complete(breachId, 'authority-notification', FG, answers.authorityNotification());
    for (const [taskId, actor, answer] of answers.letterSteps(COMMS, COMMS, FG))
      await h.complete(breachId, taskId, actor, answer);
    await h.openTask(breachId, 'recipient-list');
    await h.register.addRecipients(breachId, SUBJECTS);
    await h.complete(breachId, 'recipient-list', COMMS, { uploaded: SUBJECTS.length });
    await h.waitForPhase(breachId, 'aftercare');
    await eventually(() => h.mailbox.to(SUBJECTS[1]!.email).length > 0, 'the letter to the people affected');
    // The signed intake's "already reported" path and a refused request log too.
    expect((await http.intake(signal({ summary: SUMMARY }), { secret: 'wrong-secret' })).statusCode).toBe(401);
  }, 180_000);

  afterAll(async () => {
    await http?.close();
    await h?.close();
    await proxy?.cut();
  });

  it('writes every line as one JSON object with time, service and level', () => {
    expect(lines.length).toBeGreaterThan(20);
    const entries = lines.map((line) => {
      expect(line.endsWith('\n') && !line.slice(0, -1).includes('\n')).toBe(true);
      return JSON.parse(line) as Record<string, unknown>;
    });
    for (const entry of entries) {
      expect(typeof entry.time).toBe('string');
      expect(['worker', 'http']).toContain(entry.service);
      expect(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']).toContain(entry.level);
    }
    expect(new Set(entries.map((e) => e.service))).toEqual(new Set(['worker', 'http']));
  });

  it('names the breach by its id, in the worker’s lines and the HTTP service’s', () => {
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.some((e) => e.service === 'worker' && e.workflowId === breachId)).toBe(true);
    expect(entries.some((e) => e.service === 'http' && e.event === 'intake' && e.breachId === breachId)).toBe(true);
  });

  it('never writes a name, an email address or the summary text', () => {
    const text = lines.join('');
    for (const marker of MARKERS) expect({ marker, found: text.includes(marker) }).toEqual({ marker, found: false });
    expect(text).not.toMatch(/@jsonlog\.example/);
  });

  it('exports the SDK runtime’s metrics for this task queue, without personal data', async () => {
    const res = await fetch(`http://${metricsAddress}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(new RegExp(`^temporal_\\w+\\{[^}]*task_queue="${h.taskQueue}"`, 'm'));
    expect(text).toMatch(/^temporal_workflow_task_execution_latency_seconds_count\{/m);
    for (const marker of [...MARKERS, breachId])
      expect({ marker, found: text.includes(marker) }).toEqual({ marker, found: false });
  });

  it('answers /healthz, and /readyz goes to 503 while Temporal is unreachable and back to 200 after', async () => {
    const health = await fetch(`http://${healthAddress}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`http://${healthAddress}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { worker: true, temporal: true, register: true } });

    await proxy.cut();
    const down = await fetch(`http://${healthAddress}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({
      status: 'not-ready',
      checks: { worker: true, temporal: false, register: true },
    });
    expect((await fetch(`http://${healthAddress}/healthz`)).status).toBe(200);

    await proxy.start();
    await eventually(async () => (await fetch(`http://${healthAddress}/readyz`)).status === 200, 'ready again', 60_000);
  });
});
