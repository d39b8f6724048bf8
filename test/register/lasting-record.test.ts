import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../../client/cli/main';
import { webPages } from '../../client/http/web-pages';
import { Harness, eventually } from '../support/harness';
import { answers, signal } from '../support/answers';
import { HttpFixture } from '../support/http';
import { completeWholeBreach } from '../support/lifecycle';
import { FG, ICT } from '../support/people';

/**
 * The register is the lasting record (art. 33(5)): Temporal's retention drops a closed breach's histories, and the
 * AP may ask years later. Here the histories of a closed breach and of a triaged security incident are deleted
 * from Temporal, and the register page, its filters and its exports (CSV on the web and the API, JSON from the
 * CLI) still give everything: facts, severity, containment measures, decisions with their reasons, notifications
 * with their reference and lateness, aftercare, interest outcomes, lessons and improvements with their owners.
 */
describe('the register without Temporal: a closed breach whose histories were deleted', () => {
  let h: Harness;
  let http: HttpFixture;
  let breachId: string;
  let incidentId: string;
  /** The breach row as it was right after the FG's decision, long before the final record. */
  let atDecision: Awaited<ReturnType<Harness['register']['breach']>>;

  beforeAll(async () => {
    h = await Harness.start({ containmentRecheck: '1s', aftercareFollowUps: ['1s', '2s'], evaluationAfter: '1s' });
    breachId = await h.report(signal());
    await completeWholeBreach(h, breachId, async () => {
      atDecision = await eventually(async () => {
        const row = await h.register.breach(breachId);
        return row?.notify_authority != null ? row : undefined;
      }, 'the decision in the register');
    });
    incidentId = await h.report(signal({ summary: 'Port scan on the firewall' }));
    await h.completeAtRest(incidentId, 'triage', FG, answers.triageNotABreach());
    await h.result(incidentId);

    // What retention does: every run of both cases goes, the breach's playbooks too.
    // Every run, also those a run continued as new from.
    const runs: { workflowId: string; runId: string }[] = [];
    for await (const wf of h.client.workflow.list({ query: `TaskQueue = '${h.taskQueue}'` }))
      runs.push({ workflowId: wf.workflowId, runId: wf.runId });
    expect(new Set(runs.map((r) => r.workflowId).filter((id) => id.startsWith(breachId))).size).toBeGreaterThan(1);
    for (const workflowExecution of runs)
      await h.client.workflowService.deleteWorkflowExecution({
        namespace: h.client.options.namespace,
        workflowExecution,
      });
    await eventually(
      async () => (await h.client.workflow.count(`TaskQueue = '${h.taskQueue}'`)).count === 0 || undefined,
      'the histories gone',
      60_000,
    );
    http = await HttpFixture.start(h, { pages: [webPages] });
  }, 240_000);

  afterAll(async () => {
    await http?.close();
    await h?.close();
  });

  it("writes the FG's decision to the breach row when it is made: the gauges know the clock stopped", () => {
    expect(atDecision).toMatchObject({ closed_at: null, notify_authority: 1, notify_data_subjects: 1 });
  });

  it('keeps the facts, effects and decisions as columns of the breach row', async () => {
    expect(await h.register.breach(breachId)).toMatchObject({
      phase: 'closed',
      outcome: 'breach',
      summary: 'Email with an attachment sent to an external address by mistake.',
      cause: 'wrong-recipient',
      data_categories: 'ordinary,national-id',
      approx_people: 120,
      approx_records: 120,
      severity_band: 'very-high',
      risk_to_people: 'high',
      notify_authority: 1,
      notify_data_subjects: 1,
      authority_reference: 'AP-2026-12345',
      lessons_learned: 'Autocomplete in the mail client suggested an external address.',
    });
    const row = await h.register.breach(breachId);
    expect(row?.severity_score).toBeGreaterThan(0);
    expect([row?.severity_dpc, row?.severity_ei]).toEqual([expect.any(Number), expect.any(Number)]);
    expect(row?.contained_at).toBeTruthy();
    expect(row?.aftercare_contact).toBeTruthy();
  });

  it('keeps the remedial action, every decision, notification, interest outcome and improvement as rows', async () => {
    const dossier = (await h.register.dossier(breachId))!;
    expect(dossier.measures.find((m) => m.measure === 'secure-evidence')?.status).toBe('done');
    expect(dossier.measures).toHaveLength(7);
    expect(dossier.decisions.map((d) => [d.kind, d.decided_by])).toEqual([
      ['triage', FG],
      ['notification', FG],
    ]);
    expect(dossier.decisions[0]).toMatchObject({
      is_breach: 1,
      justification: 'A spreadsheet with client records was emailed to the wrong recipient.',
    });
    expect(dossier.decisions[1]).toMatchObject({ notify_authority: 1, notify_data_subjects: 1 });
    expect(dossier.notifications.find((n) => n.recipient === 'authority')).toMatchObject({
      reference: 'AP-2026-12345',
      late: 0,
    });
    expect(dossier.notifications.some((n) => n.recipient === 'data-subjects')).toBe(true);
    expect(dossier.interests.map((i) => [i.task_id, i.outcome])).toEqual(
      expect.arrayContaining([
        ['interest-legal', 'No claims expected; processor not involved.'],
        ['interest-insurance', 'Insurer informed.'],
      ]),
    );
    expect(dossier.improvements).toEqual([
      expect.objectContaining({
        description: 'Disable external autocomplete',
        owner: ICT,
        done_at: expect.any(String),
      }),
    ]);
    // The security incident: no breach, and why, by whom.
    const incident = (await h.register.dossier(incidentId))!;
    expect(incident.breach).toMatchObject({ outcome: 'security-incident', notify_authority: null });
    expect(incident.decisions).toEqual([
      expect.objectContaining({
        kind: 'triage',
        is_breach: 0,
        justification: 'Port scan on the firewall; no personal data was reachable.',
      }),
    ]);
  });

  it('lists and filters both on the register page, by severity too, with nothing to ask Temporal', async () => {
    const fg = await http.as(FG);
    const veryHigh = await fg.get('/register?severity=very-high');
    expect(veryHigh.statusCode).toBe(200);
    expect(veryHigh.body).toContain(breachId);
    expect(veryHigh.body).not.toContain(incidentId);
    const incidents = await fg.get('/register?status=security-incident');
    expect(incidents.body).toContain(incidentId);
    expect(incidents.body).not.toContain(breachId);
    const api = await fg.get('/api/register?severity=very-high&status=closed');
    expect(api.json<{ breach_id: string }[]>().map((r) => r.breach_id)).toEqual([breachId]);
  });

  it('exports the record as CSV (web, in Dutch; API) and as JSON with every child row (CLI)', async () => {
    const fg = await http.as(FG);
    const web = await fg.get('/register.csv?status=closed');
    const [header, ...lines] = web.body.trimEnd().split('\n');
    expect(header).toContain('Soort datalek');
    expect(header).toContain('Besluit: melden bij de AP');
    expect(lines.find((l) => l.startsWith(breachId))).toMatch(/Zeer hoog.*,ja,ja,/);

    const api = await fg.get('/api/register.csv');
    expect(api.body.split('\n')[0]).toContain('severity_band');
    expect(api.body).toContain('ordinary,national-id');

    const out: string[] = [];
    await buildCli(
      { out: (line) => out.push(line), err: (line) => out.push(line) },
      {
        ...process.env,
        LEKDICHT_REGISTER_PATH: h.config.register.path,
      },
    ).parseAsync(['register', 'export', '--format', 'json'], { from: 'user' });
    const exported = JSON.parse(out.join('')) as {
      breach_id: string;
      decisions: unknown[];
      notifications: { reference: string | null }[];
      improvements: { owner: string }[];
      events: unknown[];
    }[];
    const record = exported.find((b) => b.breach_id === breachId)!;
    expect(record.decisions).toHaveLength(2);
    expect(record.notifications.map((n) => n.reference)).toContain('AP-2026-12345');
    expect(record.improvements.map((i) => i.owner)).toEqual([ICT]);
    expect(record.events.length).toBeGreaterThan(20);
  });
});
