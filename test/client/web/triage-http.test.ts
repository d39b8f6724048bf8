import { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webPages } from '../../../client/http/web-pages';
import { Harness, eventually, testDataConverter } from '../../support/harness';
import { HttpFixture } from '../../support/http';
import { CISO, FG } from '../../support/people';

/**
 * The triage through the real service and workflow: the FG's form shows what the DLP tool sent, offers its
 * observation time, and takes an empty "Sinds wanneer" as the moment the report came in; someone not involved
 * in the breach does not see the report.
 */
let h: Harness;
let fx: HttpFixture;
let breachId: string;
/** Every query the HTTP service sent to a workflow (its client's interceptor counts them). */
const queried: string[] = [];
const DETAILS = `Regel BSN-patroon ${process.pid}; 214 treffers; ontvanger extern.example`;

beforeAll(async () => {
  h = await Harness.start();
  const client = new Client({
    connection: h.client.connection,
    namespace: h.client.options.namespace,
    dataConverter: testDataConverter(),
    interceptors: {
      workflow: [{ query: (input, next) => (queried.push(input.queryType), next(input)) }],
    },
  });
  fx = await HttpFixture.start(h, { pages: [webPages], client });
  const res = await fx.intake({
    source: 'dlp',
    eventId: `TRIAGE-${process.pid}-${Date.now()}`,
    summary: 'Excel-bestand naar een extern adres gemaild',
    details: DETAILS,
    observedAt: '2026-11-28T08:12:00Z',
    reporter: { name: 'DLP-beheer' },
    systems: ['Exchange'],
  });
  expect(res.statusCode).toBeLessThan(300);
  breachId = (JSON.parse(res.body) as { breachId: string }).breachId;
  await h.openTask(breachId, 'triage');
});

afterAll(async () => {
  await fx?.close();
  await h?.close();
});

describe('the triage form through the service', () => {
  it('shows the FG what the source sent, with its observation time offered as the awareness', async () => {
    const fg = await fx.as(FG);
    const page = await fg.get(`/breaches/${breachId}/tasks/triage`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(DETAILS);
    expect(page.body).toContain('DLP-beheer');
    expect(page.body).toMatch(/name="awareAt"[^>]*value="28-11-2026 09:12"/);

    const ciso = await fx.as(CISO);
    const refused = await ciso.get(`/breaches/${breachId}/tasks/triage`);
    // Not involved: the breach is not there for the CISO at all (no hint that it exists).
    expect(refused.statusCode).toBe(404);
    expect(refused.body).not.toContain(DETAILS);
  });

  it('takes an empty "Sinds wanneer" as the moment the report came in', async () => {
    const fg = await fx.as(FG);
    const form = await fg.get(`/breaches/${breachId}/tasks/triage`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const before = queried.length;
    const res = await fg.request('POST', `/breaches/${breachId}/tasks/triage`, {
      form: { _csrf: csrf, isPersonalDataBreach: 'true', awareAt: '', reasoning: 'BSN naar een extern adres' },
    });
    expect(res.statusCode).toBe(303);
    // The case is read once for the form's checks; the update goes straight to the task's workflow (a query less
    // per step than reading it again for the role and again for the workflow, as the service once did).
    expect(queried.slice(before)).toEqual(['caseView']);
    const view = await eventually(async () => {
      const v = await h.view(breachId);
      return v.facts.awareAt ? v : undefined;
    }, 'the awareness');
    // To the minute of the report's arrival, in Amsterdam time as the form shows it.
    const received = Date.parse(view.reports[0]!.receivedAt);
    expect(Math.abs(Date.parse(view.facts.awareAt!) - received)).toBeLessThan(60_000);
  });
});
