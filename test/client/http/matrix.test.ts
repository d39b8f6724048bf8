import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView } from '../../../domain/case';
import { Harness, eventually } from '../../support/harness';
import { Agent, HttpFixture } from '../../support/http';
import { answers, signal } from '../../support/answers';
import { CISO, COMMS, FG, FG_DEPUTY, ICT, PROCESS_OWNER, SPONSOR } from '../../support/people';

/**
 * Role × action: every action of the responders' API, tried by every person of the test directory, on a real
 * breach moving through its phases. Allowed: the request passes the server's checks (a deliberately invalid
 * answer then comes back 400 from the workflow's own validator; one person completes it for real). Refused:
 * 403 (involved, wrong role) or 404 (not involved: the breach is hidden) — and the workflow is unchanged.
 */
const PEOPLE = { FG, FG_DEPUTY, CISO, PROCESS_OWNER, ICT, COMMS, SPONSOR } as const;
type Who = keyof typeof PEOPLE;
type Outcome = 'allowed' | 403 | 404;

describe('who may do what, on a breach moving through its phases (HTTP API)', () => {
  let h: Harness;
  let http: HttpFixture;
  let breachId: string;
  const agents = {} as Record<Who, Agent>;

  beforeAll(async () => {
    h = await Harness.start({ containmentRecheck: '1h' });
    http = await HttpFixture.start(h);
    for (const who of Object.keys(PEOPLE) as Who[]) agents[who] = await http.as(PEOPLE[who]);
    breachId = await h.report(signal());
    await h.openTask(breachId, 'triage');
  }, 120_000);
  afterAll(async () => {
    await http?.close();
    await h?.close();
  });

  /** What people's actions leave behind: tasks, facts, decisions, notifications, and the timeline entries they caused. */
  async function state() {
    const view: CaseView = await h.view(breachId);
    return {
      tasks: view.tasks.map((t) => ({ id: t.id, status: t.status, completedBy: t.completedBy })),
      facts: view.facts.known,
      decisions: view.decisions,
      notifications: view.notifications,
      byPeople: view.timeline.filter((e) => e.actor !== undefined),
    };
  }

  async function refusedUnchanged(who: Who, expected: 403 | 404, send: () => Promise<LightMyRequestResponse>) {
    const before = await state();
    const res = await send();
    expect({ who, status: res.statusCode }).toEqual({ who, status: expected });
    expect(res.json<{ error: string }>().error).toBe(expected === 404 ? 'not-found' : 'forbidden');
    expect(await state()).toEqual(before);
  }

  /** Every person: refused ones are refused with nothing changed; allowed ones pass the checks; `completer` completes. */
  async function taskMatrix(taskId: string, expected: Record<Who, Outcome>, completer: Who, answer: unknown) {
    await h.openTask(breachId, taskId);
    const url = `/api/breaches/${breachId}/tasks/${taskId}`;
    for (const who of Object.keys(PEOPLE) as Who[]) {
      const outcome = expected[who];
      if (outcome !== 'allowed') {
        await refusedUnchanged(who, outcome, () => agents[who].post(url, { answer }));
      } else if (who !== completer) {
        const before = await state();
        const res = await agents[who].post(url, { answer: {} });
        expect({ who, status: res.statusCode, message: res.json<{ message: string }>().message }).toEqual({
          who,
          status: 400,
          message: expect.stringMatching(/^answer\./),
        });
        expect(await state()).toEqual(before);
      }
    }
    const done = await agents[completer].post(url, { answer });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ id: taskId, status: 'done', completedBy: PEOPLE[completer] });
  }

  async function readMatrix(expected: Record<Who, 'allowed' | 404>) {
    for (const who of Object.keys(PEOPLE) as Who[]) {
      const res = await agents[who].get(`/api/breaches/${breachId}`);
      if (expected[who] === 'allowed') {
        expect({ who, status: res.statusCode }).toEqual({ who, status: 200 });
        expect(res.json<CaseView>().breachId).toBe(breachId);
      } else {
        expect({ who, status: res.statusCode }).toEqual({ who, status: 404 });
        // Exactly what a breach id that does not exist gives: the URL reveals nothing.
        const missing = await agents[who].get('/api/breaches/breach-00000000000000000000');
        expect(res.body).toBe(missing.body);
      }
    }
  }

  it('triage: only the FG side and the sponsor see the new signal; only an FG triages', async () => {
    await readMatrix({
      FG: 'allowed',
      FG_DEPUTY: 'allowed',
      SPONSOR: 'allowed',
      CISO: 404,
      PROCESS_OWNER: 404,
      ICT: 404,
      COMMS: 404,
    });
    const mine = await agents.FG_DEPUTY.get('/api/tasks');
    expect(mine.json<{ breachId: string; task: { id: string } }[]>()).toContainEqual(
      expect.objectContaining({ breachId, task: expect.objectContaining({ id: 'triage' }) }),
    );
    expect(
      (await agents.ICT.get('/api/tasks')).json<{ breachId: string }[]>().filter((t) => t.breachId === breachId),
    ).toEqual([]);
    expect((await agents.ICT.get('/api/breaches')).json<{ breachId: string }[]>().map((b) => b.breachId)).not.toContain(
      breachId,
    );

    await taskMatrix(
      'triage',
      { FG: 'allowed', FG_DEPUTY: 'allowed', SPONSOR: 403, CISO: 404, PROCESS_OWNER: 404, ICT: 404, COMMS: 404 },
      'FG',
      answers.triageBreach(),
    );
  });

  it('first picture: the breach team joins; the CISO or their deputy (the FG) answers', async () => {
    await h.waitForPhase(breachId, 'first-picture');
    await readMatrix({
      FG: 'allowed',
      FG_DEPUTY: 'allowed',
      SPONSOR: 'allowed',
      CISO: 'allowed',
      PROCESS_OWNER: 'allowed',
      ICT: 404,
      COMMS: 404,
    });
    await taskMatrix(
      'first-picture',
      { CISO: 'allowed', FG: 'allowed', FG_DEPUTY: 403, PROCESS_OWNER: 403, SPONSOR: 403, ICT: 404, COMMS: 404 },
      'FG',
      answers.firstPicture(),
    );
  });

  it('amend facts: the breach team and their deputies; nobody else', async () => {
    // Containment starts with the first picture: ICT is involved now, but not on the breach team.
    await h.openTask(breachId, 'containment-1');
    const expected: Record<Who, Outcome> = {
      FG: 'allowed',
      FG_DEPUTY: 'allowed',
      CISO: 'allowed',
      PROCESS_OWNER: 'allowed',
      SPONSOR: 403,
      ICT: 403,
      COMMS: 404,
    };
    const url = `/api/breaches/${breachId}/facts`;
    for (const who of Object.keys(PEOPLE) as Who[]) {
      const outcome = expected[who];
      if (outcome !== 'allowed') {
        await refusedUnchanged(who, outcome, () => agents[who].post(url, { approxPeople: 999 }));
      } else {
        const res = await agents[who].post(url, { approxPeople: 130 });
        expect({ who, status: res.statusCode }).toEqual({ who, status: 200 });
        expect(res.json()).toMatchObject({ approxPeople: 130 });
      }
    }
    // The HTTP schema is the domain's: an unknown fact is named.
    const bad = await agents.FG.post(url, { approxPeople: -1, colour: 'red' });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json<{ issues: { field: string }[] }>()
        .issues.map((i) => i.field)
        .sort(),
    ).toEqual(['approxPeople', 'colour']);
    expect((await h.view(breachId)).facts.known?.approxPeople).toBe(130);
  });

  it('containment: ICT (now involved) or its deputy the CISO; the CISO confirms', async () => {
    const containment = await h.openTask(breachId, 'containment-1');
    expect(containment.role).toBe('ict');
    await readMatrix({
      FG: 'allowed',
      FG_DEPUTY: 'allowed',
      SPONSOR: 'allowed',
      CISO: 'allowed',
      PROCESS_OWNER: 'allowed',
      ICT: 'allowed',
      COMMS: 404,
    });
    await taskMatrix(
      'containment-1',
      { ICT: 'allowed', CISO: 'allowed', FG: 403, FG_DEPUTY: 403, PROCESS_OWNER: 403, SPONSOR: 403, COMMS: 404 },
      'ICT',
      answers.containment(false),
    );
    const confirmation = await eventually(
      async () =>
        (await h.view(breachId)).tasks.find((t) => t.kind === 'containment-confirmation' && t.status === 'open'),
      'the confirmation task',
    );
    await taskMatrix(
      confirmation.id,
      { CISO: 'allowed', FG: 'allowed', FG_DEPUTY: 403, PROCESS_OWNER: 403, ICT: 403, SPONSOR: 403, COMMS: 404 },
      'CISO',
      answers.confirmContainment(true),
    );
  });

  it('impact: the process owner or their deputy (the CISO)', async () => {
    await taskMatrix(
      'impact',
      { PROCESS_OWNER: 'allowed', CISO: 'allowed', FG: 403, FG_DEPUTY: 403, ICT: 403, SPONSOR: 403, COMMS: 404 },
      'CISO',
      answers.impact(),
    );
  });

  it("the FG's decision is a task too: only an FG decides", async () => {
    await taskMatrix(
      'notification-decision',
      { FG: 'allowed', FG_DEPUTY: 'allowed', CISO: 403, PROCESS_OWNER: 403, ICT: 403, SPONSOR: 403, COMMS: 404 },
      'FG_DEPUTY',
      answers.decision(true, true),
    );
  });

  it('notifications: an FG records the AP notification and its supplement; communications informs the people affected', async () => {
    await h.openTask(breachId, 'authority-notification');
    // Communications joins with its first task (the KCC script of the organisation's interest, or informing people).
    const view = await h.view(breachId);
    const comms: 403 | 404 = view.tasks.some((t) => t.role === 'communications' || t.role === 'kcc') ? 403 : 404;
    await taskMatrix(
      'authority-notification',
      { FG: 'allowed', FG_DEPUTY: 'allowed', CISO: 403, PROCESS_OWNER: 403, ICT: 403, COMMS: comms, SPONSOR: 403 },
      'FG',
      answers.authorityNotification(),
    );
    await h.openTask(breachId, 'data-subject-notification');
    await readMatrix({
      FG: 'allowed',
      FG_DEPUTY: 'allowed',
      SPONSOR: 'allowed',
      CISO: 'allowed',
      PROCESS_OWNER: 'allowed',
      ICT: 'allowed',
      COMMS: 'allowed',
    });

    const url = `/api/breaches/${breachId}/notification/record`;
    const supplement = {
      regime: 'gdpr',
      phase: 'supplement',
      at: new Date().toISOString(),
      reference: 'AP-2026-12345',
    };
    const expected: Record<Who, Outcome> = {
      FG: 'allowed',
      FG_DEPUTY: 'allowed',
      CISO: 403,
      PROCESS_OWNER: 403,
      ICT: 403,
      COMMS: 403,
      SPONSOR: 403,
    };
    for (const who of Object.keys(PEOPLE) as Who[]) {
      const outcome = expected[who];
      if (outcome !== 'allowed') await refusedUnchanged(who, outcome, () => agents[who].post(url, supplement));
    }
    // Allowed, but the workflow refuses a notification dated in the future: its validator's message comes back.
    const before = await state();
    const future = await agents.FG_DEPUTY.post(url, {
      ...supplement,
      at: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(future.statusCode).toBe(400);
    expect(future.json<{ message: string }>().message).toMatch(/at: /);
    expect(await state()).toEqual(before);
    const recorded = await agents.FG.post(url, supplement);
    expect(recorded.statusCode, recorded.body).toBe(200);
    await eventually(
      async () => (await h.view(breachId)).notifications.some((n) => n.phase === 'supplement' && n.recordedBy === FG),
      'the supplement on the case',
    );

    await taskMatrix(
      'data-subject-notification',
      { COMMS: 'allowed', PROCESS_OWNER: 'allowed', FG: 403, FG_DEPUTY: 403, CISO: 403, ICT: 403, SPONSOR: 403 },
      'PROCESS_OWNER',
      answers.dataSubjectNotification(),
    );
  });

  it('the register and its CSV export: the FG, their deputy and the executive sponsor', async () => {
    await eventually(
      async () => (await h.register.breach(breachId))?.authority_reference === 'AP-2026-12345',
      'the register row',
    );
    const expected: Record<Who, 200 | 403> = {
      FG: 200,
      FG_DEPUTY: 200,
      SPONSOR: 200,
      CISO: 403,
      PROCESS_OWNER: 403,
      ICT: 403,
      COMMS: 403,
    };
    for (const who of Object.keys(PEOPLE) as Who[]) {
      const csv = await agents[who].get('/api/register.csv');
      expect({ who, status: csv.statusCode }).toEqual({ who, status: expected[who] });
      if (expected[who] === 200) {
        expect(csv.headers['content-type']).toMatch(/^text\/csv/);
        const [header, ...rows] = csv.body.trimEnd().split('\n');
        expect(header).toMatch(/^breach_id,source,opened_at,phase,outcome,aware_at,notification_deadline/);
        expect(rows.find((r) => r.startsWith(`${breachId},dlp,`))).toContain('AP-2026-12345');
      }
      const json = await agents[who].get('/api/register?status=open');
      expect({ who, status: json.statusCode }).toEqual({ who, status: expected[who] });
    }
    const filtered = await agents.FG.get('/api/register?severity=very-high');
    expect(filtered.json<{ breach_id: string; severity_band: string }[]>()).toContainEqual(
      expect.objectContaining({ breach_id: breachId, severity_band: 'very-high' }),
    );
    expect(
      (await agents.FG.get('/api/register?severity=low')).json<{ breach_id: string }[]>().map((r) => r.breach_id),
    ).not.toContain(breachId);
    expect((await agents.FG.get('/api/register?from=2000-01-01&to=2000-12-31')).json()).toEqual([]);
    const bad = await agents.FG.get('/api/register?status=gone');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ issues: { field: string }[] }>().issues[0]?.field).toBe('status');
  });

  it('hides playbook workflows and unknown ids behind the same 404, and logs refusals without personal data', async () => {
    expect((await agents.FG.get(`/api/breaches/${breachId}.notification`)).statusCode).toBe(404);
    expect((await agents.FG.post(`/api/breaches/${breachId}/tasks/nope`, { answer: {} })).statusCode).toBe(404);
    const refused = http.logs.filter((l) => l.event === 'refused');
    expect(refused.map((l) => l.reason)).toEqual(expect.arrayContaining(['not-involved', 'role']));
    expect(refused.every((l) => typeof l.user === 'string' && /^u-[0-9a-f]{12}$/.test(l.user))).toBe(true);
    expect(http.logText()).not.toMatch(/@test\.example|Fenna|Chris|Priya|Ivo|Noor|Bram|Daan/);
  });
});
