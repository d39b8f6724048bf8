import { Client, Connection } from '@temporalio/client';
import { inject } from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BreachRegister } from '../../../register/store';
import { HttpMetrics, startMetricsListener, type MetricsListener } from '../../../client/http/metrics';
import { ConfigError } from '../../../config/load';
import { answers, signal } from '../../support/answers';
import { eventually, Harness, testDataConverter } from '../../support/harness';
import { HttpFixture } from '../../support/http';
import { FG } from '../../support/people';
import { TcpProxy } from '../../support/tcp-proxy';

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
const SUMMARY = 'Payroll export with salaries of Hendrika Zwanenburg sent to a supplier';
const REPORTER = { name: 'Hendrika Zwanenburg', email: 'h.zwanenburg@metrics.example' };

/** The value of one series in Prometheus text, e.g. value(text, 'lekdicht_breaches_open{phase="triage"}'). */
function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('the HTTP service: /metrics on its own listener, /healthz and /readyz (issue 15, operations)', () => {
  let h: Harness;
  let http: HttpFixture;
  let proxy: TcpProxy;
  let client: Client;
  let listener: MetricsListener;
  const ids: { failedMail?: string; dueSoon?: string; overdue?: string } = {};

  beforeAll(async () => {
    h = await Harness.start();
    // The service reaches Temporal through a proxy the test can cut, as a network outage would.
    const [host = '127.0.0.1', port = '7233'] = inject('temporalAddress').split(':');
    proxy = new TcpProxy({ host, port: Number(port) });
    await proxy.start();
    client = new Client({
      connection: await Connection.connect({ address: proxy.address }),
      namespace: inject('temporalNamespace'),
      dataConverter: testDataConverter(),
    });
    const metrics = new HttpMetrics(h.register);
    http = await HttpFixture.start(h, { client, metrics });
    listener = await startMetricsListener('127.0.0.1:0', metrics, {});

    // A breach whose first email (the triage task to the FG) the mail server refuses for good.
    h.mailbox.refuseWith = { code: 550, message: 'mailbox unavailable' };
    const refused = await http.intake(signal({ summary: SUMMARY, reporter: REPORTER }));
    expect(refused.statusCode).toBe(202);
    ids.failedMail = refused.json<{ breachId: string }>().breachId;
    await eventually(
      async () => (await h.register.emailFailures(ids.failedMail)).length > 0,
      'the refused email in the register',
    );
    h.mailbox.refuseWith = undefined;

    // Confirmed 62 hours after awareness: the authority deadline is 10 hours away. And one 73 hours after: late.
    for (const [key, awareHoursAgo] of [
      ['dueSoon', 62],
      ['overdue', 73],
    ] as const) {
      const res = await http.intake(signal({ summary: SUMMARY, reporter: REPORTER }));
      ids[key] = res.json<{ breachId: string }>().breachId;
      await h.complete(ids[key], 'triage', FG, answers.triageBreach(hoursAgo(awareHoursAgo)));
    }
    await eventually(
      async () => (await h.register.breach(ids.overdue!))?.notification_late === 1,
      'the missed deadline recorded',
    );
    await eventually(
      async () => (await h.register.breach(ids.dueSoon!))?.notification_deadline,
      'the deadline recorded',
    );
    // A breach row whose deadline is 6 hours away but where the FG decided not to notify: its clock stopped.
    await h.register.patchBreach('decided-not-to-notify', {
      phase: 'notification',
      opened_at: hoursAgo(66),
      notification_deadline: new Date(Date.now() + 6 * 3_600_000).toISOString(),
      notify_authority: 0,
    });
    // A page with a breach id in its path and a query string: neither may become a label.
    const agent = await http.as(FG);
    expect(
      (await agent.get(`/api/breaches/${ids.dueSoon}?secret=${encodeURIComponent(REPORTER.email)}`)).statusCode,
    ).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await listener?.close();
    await http?.close();
    await client?.connection.close();
    await proxy?.cut();
    await h?.close();
  });

  it('counts the open breaches by phase, deadlines due within 12 h, late notifications and refused emails', async () => {
    const res = await fetch(`${listener.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(value(text, 'lekdicht_register_up')).toBe(1);
    expect(value(text, 'lekdicht_breaches_open{phase="triage"}')).toBe(1);
    const open = text.split('\n').filter((l) => l.startsWith('lekdicht_breaches_open{'));
    expect(open.reduce((sum, l) => sum + Number(l.split(' ')[1]), 0)).toBe(4);
    expect(value(text, 'lekdicht_deadlines_due_within_12h{kind="gdpr-authority"}')).toBe(1);
    expect(value(text, 'lekdicht_notifications_late{state="overdue"}')).toBe(1);
    expect(value(text, 'lekdicht_notifications_late{state="notified"}')).toBe(0);
    expect(value(text, 'lekdicht_emails_failed{audience="responders"}')).toBe(
      (await h.register.emailFailures(ids.failedMail)).length,
    );
    expect(value(text, 'lekdicht_emails_failed{audience="data-subjects"}')).toBe(0);
  });

  it('labels requests by route template and status, never with a breach id, query string or personal data', async () => {
    const text = await (await fetch(`${listener.url}/metrics`)).text();
    expect(
      value(
        text,
        'lekdicht_http_request_duration_seconds_count{method="POST",route="/api/intake/:source",status="202"}',
      ),
    ).toBe(3);
    expect(
      value(
        text,
        'lekdicht_http_request_duration_seconds_count{method="GET",route="/api/breaches/:breachId",status="200"}',
      ),
    ).toBe(1);
    for (const secret of [...Object.values(ids), SUMMARY, REPORTER.name, REPORTER.email, 'secret='])
      expect({ secret, found: text.includes(secret) }).toEqual({ secret, found: false });
  });

  it('serves /metrics only on its own listener, not on the public port', async () => {
    const res = await http.agent().get('/metrics');
    expect(res.statusCode).toBe(404);
  });

  it('fails closed: off loopback without a token it refuses to start; with one, a scrape without it gets 401', async () => {
    const metrics = new HttpMetrics(h.register);
    await expect(startMetricsListener('0.0.0.0:0', metrics, {})).rejects.toThrow(ConfigError);
    const guarded = await startMetricsListener('127.0.0.1:0', metrics, { LEKDICHT_METRICS_TOKEN: 'scrape-token-1' });
    try {
      expect((await fetch(`${guarded.url}/metrics`)).status).toBe(401);
      const wrong = await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer nope' } });
      expect(wrong.status).toBe(401);
      const right = await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer scrape-token-1' } });
      expect(right.status).toBe(200);
      expect(await right.text()).toContain('lekdicht_breaches_open');
    } finally {
      await guarded.close();
    }
  });

  it('answers /healthz, and /readyz goes to 503 while Temporal is unreachable and back to 200 after', async () => {
    const agent = http.agent();
    expect((await agent.get('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await agent.get('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { temporal: true, register: true } });

    await proxy.cut();
    const down = await agent.get('/readyz');
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({ status: 'not-ready', checks: { temporal: false, register: true } });
    // Alive all the same: an orchestrator must not restart a process that only waits for Temporal.
    expect((await agent.get('/healthz')).statusCode).toBe(200);

    await proxy.start();
    await eventually(async () => (await agent.get('/readyz')).statusCode === 200, 'ready again', 60_000);
  });

  it('/readyz is 503 when the register cannot be read', async () => {
    // A register handle that fails every read, as a lost volume or database would.
    const register = await BreachRegister.open(h.config.register.path, { readOnly: true });
    await register.close();
    const broken = await HttpFixture.start(h, { register });
    try {
      const res = await broken.agent().get('/readyz');
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ status: 'not-ready', checks: { temporal: true, register: false } });
    } finally {
      await broken.close();
    }
  });
});
