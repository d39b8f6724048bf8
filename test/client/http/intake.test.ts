import { WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { breachIdFor } from '../../../client/shared/breach-id';
import { Harness, eventually } from '../../support/harness';
import { HttpFixture, INTAKE_SECRET } from '../../support/http';
import { signal } from '../../support/answers';

/** POST /api/intake/:source on a real Temporal server: signature, replay window, schema, size, duplicates. */
describe('HTTP intake for automated sources', () => {
  let h: Harness;
  let http: HttpFixture;

  beforeAll(async () => {
    h = await Harness.start();
    http = await HttpFixture.start(h, { passwords: false });
  });
  afterAll(async () => {
    await http?.close();
    await h?.close();
  });

  const exists = async (breachId: string) =>
    h.client.workflow
      .getHandle(breachId)
      .describe()
      .then(
        () => true,
        (err: unknown) => {
          if (err instanceof WorkflowNotFoundError) return false;
          throw err;
        },
      );

  it('accepts a correctly signed signal with 202 and starts the breach; the same event again joins it', async () => {
    const body = signal({ reporter: { name: 'Jan Melder', email: 'jan.melder@test.example' } });
    const signedAt = Math.floor(Date.now() / 1000);
    const first = await http.intake(body, { timestamp: signedAt });
    expect(first.statusCode, first.body).toBe(202);
    const { breachId, duplicate } = first.json<{ breachId: string; duplicate: boolean }>();
    expect(breachId).toBe(breachIdFor('dlp', body.eventId as string));
    expect(duplicate).toBe(false);
    const view = await h.openTask(breachId, 'triage');
    expect(view.role).toBe('fg');

    // Signed again (another timestamp): a new request for the same event, not a replay.
    const again = await http.intake(body, { timestamp: signedAt - 1 });
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual({ breachId, duplicate: true });
    // The duplicate is counted, not kept: the breach holds the first report and a count.
    const counted = await eventually(async () => {
      const v = await h.view(breachId);
      return v.duplicates?.[0]?.count === 1 ? v : undefined;
    }, 'the duplicate counted on the breach');
    expect(counted.reports.map((r) => r.duplicate)).toEqual([false]);
    expect(counted.duplicates).toEqual([
      { source: 'dlp', count: 1, firstAt: expect.any(String), lastAt: expect.any(String) },
    ]);

    // Breach ids, sources and status codes only: never the reporter, the summary or the event id.
    expect(http.logs).toContainEqual({ event: 'intake', source: 'dlp', breachId, duplicate: false });
    expect(http.logText()).not.toMatch(/jan\.melder|Jan Melder|BSN|evt-/);
  });

  it('refuses a wrong signature, a missing one and an unknown source with 401, starting nothing', async () => {
    const cases = [
      {
        name: 'wrong secret',
        send: (b: object) => http.intake(b, { secret: 'another-secret-of-sufficient-length-123456' }),
      },
      { name: 'missing signature', send: (b: object) => http.intake(b, { headers: { 'x-lekdicht-signature': '' } }) },
      {
        name: 'malformed signature',
        send: (b: object) => http.intake(b, { headers: { 'x-lekdicht-signature': 'md5=abc' } }),
      },
      { name: 'missing timestamp', send: (b: object) => http.intake(b, { headers: { 'x-lekdicht-timestamp': '' } }) },
      { name: 'unknown source', send: (b: object) => http.intake({ ...b, source: 'siem' }, { source: 'siem' }) },
    ];
    for (const c of cases) {
      const body = signal();
      const res = await c.send(body);
      expect(res.statusCode, c.name).toBe(401);
      expect(res.json(), c.name).toMatchObject({ error: 'unauthenticated' });
      expect(await exists(breachIdFor(body.source as string, body.eventId as string)), c.name).toBe(false);
    }
    // A body changed after signing no longer matches its signature.
    const body = signal();
    const raw = JSON.stringify(body);
    const tampered = await http.app.inject({
      method: 'POST',
      url: '/api/intake/dlp',
      headers: { 'content-type': 'application/json', ...(await signedHeaders(raw)) },
      payload: raw.replace('blocked', 'BLOCKED'),
    });
    expect(tampered.statusCode).toBe(401);
    expect(http.logs.filter((l) => l.event === 'intake-refused').map((l) => l.reason)).toEqual([
      'mismatch',
      'missing',
      'malformed',
      'missing',
      'unknown-source',
      'mismatch',
    ]);
  });

  it('refuses a correctly signed request outside the five-minute window (replay) with 401', async () => {
    for (const offset of [-6 * 60, 6 * 60]) {
      const body = signal();
      const res = await http.intake(body, { timestamp: Math.floor(Date.now() / 1000) + offset });
      expect(res.statusCode).toBe(401);
      expect(res.json<{ message: string }>().message).toMatch(/timestamp/);
      expect(await exists(breachIdFor('dlp', body.eventId as string))).toBe(false);
    }
    const inside = await http.intake(signal(), { timestamp: Math.floor(Date.now() / 1000) - 4 * 60 });
    expect(inside.statusCode).toBe(202);
  });

  it('refuses a signal that does not match the schema with 400, naming each field', async () => {
    const res = await http.intake({ source: 'dlp', eventId: 'x-1', observedAt: 'gisteren', colour: 'red' });
    expect(res.statusCode).toBe(400);
    const body = res.json<{ error: string; message: string; issues: { field: string; message: string }[] }>();
    expect(body.error).toBe('invalid-input');
    expect(body.issues).toEqual(
      expect.arrayContaining([
        { field: 'summary', message: expect.stringMatching(/expected string/) },
        { field: 'observedAt', message: expect.stringMatching(/ISO 8601/) },
        { field: 'colour', message: 'is not a known field' },
      ]),
    );
    expect(body.message).toMatch(/summary: .*observedAt: must be an ISO 8601 date-time/);
    expect(await exists(breachIdFor('dlp', 'x-1'))).toBe(false);

    const notJson = await http.intake('{ "source": ');
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json<{ message: string }>().message).toMatch(/not valid JSON/);

    // Signed for dlp, but claims to be another source: the breach id would belong to that source.
    const other = await http.intake(signal({ source: 'siem' }));
    expect(other.statusCode).toBe(400);
    expect(other.json<{ issues: { field: string }[] }>().issues).toEqual([
      { field: 'source', message: expect.stringMatching(/must be "dlp"/) },
    ]);
  });

  it('refuses a body over the limit with 413 before anything reaches Temporal', async () => {
    const body = signal({ details: 'x'.repeat(70 * 1024) });
    const res = await http.intake(body);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: 'too-large' });
    expect(await exists(breachIdFor('dlp', body.eventId as string))).toBe(false);
    // Also without a valid signature: the size is checked first.
    const unsigned = await http.intake(body, { secret: 'wrong-secret-wrong-secret-wrong-secret-123' });
    expect(unsigned.statusCode).toBe(413);
  });

  it('documents the intake in the OpenAPI document, from the same schema', async () => {
    const res = await http.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    }>();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/intake/{source}']?.post?.requestBody).toBeDefined();
    // Every answer the intake gives: 415 (not JSON), 409 (replayed or already closed), 429 (rate-limited).
    expect(
      Object.keys(
        (doc.paths['/api/intake/{source}']?.post as { responses?: object } | undefined)?.responses ?? {},
      ).sort(),
    ).toEqual(['202', '400', '401', '409', '413', '415', '429']);
    expect(Object.keys(doc.components.schemas.BreachSignal?.properties ?? {})).toEqual(
      expect.arrayContaining(['source', 'eventId', 'summary', 'observedAt']),
    );
    expect(doc.components.schemas['Answer-triage']?.properties).toHaveProperty('isPersonalDataBreach');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/tasks',
        '/api/breaches/{breachId}',
        '/api/breaches/{breachId}/tasks/{taskId}',
        '/api/breaches/{breachId}/facts',
        '/api/breaches/{breachId}/notification/record',
        '/api/register',
        '/api/register.csv',
      ]),
    );
    expect(Object.keys(doc.paths)).not.toContain('/login');
  });
});

async function signedHeaders(raw: string): Promise<Record<string, string>> {
  const { signIntake } = await import('../../../client/http/signature');
  const ts = Math.floor(Date.now() / 1000);
  return { 'x-lekdicht-timestamp': String(ts), 'x-lekdicht-signature': signIntake(INTAKE_SECRET, ts, raw) };
}
