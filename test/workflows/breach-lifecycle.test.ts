import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { playbookViewQuery } from '../../workflows/messages';
import { Harness, eventually, testDataConverter } from '../support/harness';
import { signal } from '../support/answers';
import { completeWholeBreach } from '../support/lifecycle';
import { CISO, COMMS, FG, FG_DEPUTY, ICT, PROCESS_OWNER, SPONSOR } from '../support/people';

/**
 * The same breach twice: as it runs normally, and with a history budget of one event, so that every run of the
 * breach and its playbooks continues as new at every wait it reaches (workflows/resumable.ts). Everything a person
 * sees must be the same: each task opened, ticketed and emailed once, each step on the timeline once.
 */
describe.each([
  { shape: 'in one run per workflow', history: undefined },
  { shape: 'continuing as new at every wait', history: { eventsPerRun: 1 } },
])('a breach from signal to closure, every task completed through updates ($shape)', ({ history }) => {
  let h: Harness;
  let breachId: string;

  beforeAll(async () => {
    h = await Harness.start(
      { containmentRecheck: '1s', aftercareFollowUps: ['1s', '2s'], evaluationAfter: '1s' },
      history ? { history } : {},
    );
    breachId = await h.report(signal());
    await completeWholeBreach(h, breachId);
  }, 180_000);

  afterAll(() => h?.close());

  it('closes the case as a breach with every task done and both notifications recorded on time', async () => {
    const view = await h.view(breachId);
    expect(view.phase).toBe('closed');
    expect(view.outcome).toBe('breach');
    // Listed as they were opened; the evaluation playbook runs from containment, beside the others.
    expect(view.tasks.map((t) => t.id).sort()).toEqual(
      [
        'triage',
        'first-picture',
        'containment-1',
        'containment-2',
        'containment-confirmation-2',
        'containment-3',
        'containment-confirmation-3',
        'impact',
        'notification-decision',
        'authority-notification',
        'data-subject-notification',
        'interest-legal',
        'interest-insurance',
        'interest-kcc-script',
        'evaluation',
        'improvement-1',
        'aftercare',
        'aftercare-follow-up-1',
        'aftercare-follow-up-2',
        'aftercare-close-3',
      ].sort(),
    );
    expect(view.tasks.map((t) => t.createdAt)).toEqual(view.tasks.map((t) => t.createdAt).sort());
    expect(view.tasks.every((t) => t.status === 'done' && t.completedBy && t.ticketRef)).toBe(true);
    expect(view.deadlines.map((d) => [d.kind, d.status])).toEqual([
      ['gdpr-authority', 'met'],
      ['data-subjects', 'met'],
    ]);
    const authority = view.notifications.find((n) => n.to === 'authority');
    expect(authority).toMatchObject({ reference: 'AP-2026-12345', late: false, recordedBy: FG });
    expect(view.notifications.find((n) => n.to === 'data-subjects')).toMatchObject({ channel: 'letter', late: false });
    expect(view.decisions.map((d) => [d.kind, d.by])).toEqual([
      ['triage', FG],
      ['notification', FG],
    ]);
    expect(view.facts.containment).toMatchObject({ rounds: 3, containedAt: expect.any(String) });
    expect(view.facts.containment?.measures['secure-evidence'].status).toBe('done');
    expect(view.facts.known?.approxPeople).toBe(120);
    // ENISA: BSN → DPC 4, EI maximum 1, confidentiality lost significantly +0.5 → 4.5, very high.
    expect(view.assessment?.severity).toMatchObject({ score: 4.5, band: 'very-high' });
    expect(view.decisions.find((d) => d.kind === 'notification')).toMatchObject({
      override: false,
      suggestion: { notifyAuthority: true, notifyDataSubjects: true },
    });
    const phases = view.timeline.filter((e) => e.kind === 'phase').map((e) => e.text.replace('Phase: ', ''));
    expect(phases).toEqual([
      'first-picture',
      'containment',
      'impact',
      'decision',
      'notification',
      'aftercare',
      'evaluation',
      'closed',
    ]);
    // Every step on the timeline once, whichever run took it; every task opened once.
    const once = [
      'signal-received',
      'breach-confirmed',
      'decision',
      'contained',
      'authority-notified',
      'data-subjects-notified',
      'evaluated',
      'improvements-done',
      'final-record',
      'closed',
    ];
    for (const kind of once)
      expect(
        view.timeline.filter((e) => e.kind === kind),
        kind,
      ).toHaveLength(1);
    const opened = view.timeline.filter((e) => e.kind === 'task-opened').map((e) => e.text.split(' ')[1]);
    expect(opened.sort()).toEqual(view.tasks.map((t) => t.id).sort());
    expect(new Set(view.timeline.map((e) => e.id)).size).toBe(view.timeline.length);
  });

  it(
    history
      ? 'continued as new at the waits: the breach and each playbook in several runs, each short'
      : 'ran the breach in one run (a normal lifecycle is far under the budget)',
    async () => {
      // The visibility store lists a run a moment after it starts (eventually consistent): ask again until it has all.
      await vi.waitFor(
        async () => {
          const runs = new Map<string, number>();
          let longest = 0;
          for await (const wf of h.client.workflow.list({ query: `WorkflowId STARTS_WITH '${breachId}'` })) {
            runs.set(wf.workflowId, (runs.get(wf.workflowId) ?? 0) + 1);
            longest = Math.max(longest, wf.historyLength);
          }
          if (!history) {
            expect(runs.get(breachId)).toBe(1);
            expect(runs.get(`${breachId}.containment`)).toBe(1);
            return;
          }
          // A run continues as new only at a wait it reaches at rest (nothing in flight), so how many runs there
          // are depends on timing: alone 9-10 for the breach, 7 on a loaded machine. What matters is that every one
          // of them moved on, more than once, and that no history grew long (below).
          expect(runs.get(breachId), 'breach runs').toBeGreaterThanOrEqual(4);
          expect(runs.get(`${breachId}.containment`), 'containment runs').toBeGreaterThanOrEqual(2);
          expect(runs.get(`${breachId}.aftercare`), 'aftercare runs').toBeGreaterThanOrEqual(2);
          expect(runs.get(`${breachId}.evaluation`), 'evaluation runs').toBeGreaterThanOrEqual(2);
          // The normal shape's breach run has several hundred events; here none comes near that.
          expect(longest).toBeLessThan(250);
        },
        { timeout: 15_000, interval: 500 },
      );
    },
  );

  it('emails each role its tasks and the breach team the confirmation and the closure', async () => {
    const subjectsTo = (email: string) => h.mailbox.to(email).map((m) => m.subject);
    expect(h.mailbox.mails.every((m) => m.subject.startsWith(`[${breachId}]`))).toBe(true);
    // Both FGs hold the role, so both are asked to triage.
    expect(
      h.mailbox
        .withPurpose('task-assigned:triage')
        .flatMap((m) => m.to)
        .sort(),
    ).toEqual([FG, FG_DEPUTY].sort());
    for (const person of [FG, CISO, PROCESS_OWNER]) {
      expect(subjectsTo(person)).toContain(`[${breachId}] Datalek bevestigd: datalekteam gevormd`);
      expect(subjectsTo(person)).toContain(`[${breachId}] Datalek afgesloten`);
    }
    expect(subjectsTo(ICT)).not.toContain(`[${breachId}] Datalek bevestigd: datalekteam gevormd`);
    expect(h.mailbox.withPurpose('task-assigned:containment-2').flatMap((m) => m.to)).toEqual([ICT]);
    expect(h.mailbox.withPurpose('task-assigned:data-subject-notification').flatMap((m) => m.to)).toEqual([COMMS]);
    expect(h.mailbox.to(SPONSOR)).toEqual([]);
    // Aftercare advice is chosen by the kind of data: BSN → the central reporting point for identity fraud.
    expect(h.mailbox.withPurpose('task-assigned:aftercare')[0]?.text).toContain('Centraal Meldpunt Identiteitsfraude');
    // An improvement action goes to its owner, not to the whole FG role.
    expect(h.mailbox.withPurpose('task-assigned:improvement-1').flatMap((m) => m.to)).toEqual([ICT]);
    // Deterministic Message-IDs: never two messages with the same id.
    const ids = h.mailbox.mails.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('writes the breach, its events, one ticket per task and every email to the register', async () => {
    const row = await h.register.breach(breachId);
    expect(row).toMatchObject({
      outcome: 'breach',
      phase: 'closed',
      authority_reference: 'AP-2026-12345',
      notification_late: 0,
      source: 'dlp',
    });
    expect(row?.aware_at).toBeTruthy();
    expect(row?.closed_at).toBeTruthy();
    // In the organisation's language (Dutch); what people wrote stays as they wrote it.
    expect(row?.facts_summary).toContain('ongeveer 120 personen');
    expect(row?.effects).toContain('Risk of identity fraud.');
    // Art. 33(5) without Temporal: the triage's reasoning, every decision with its reasons, the lessons learned and
    // each improvement with its owner and whether it was done.
    expect(row?.effects).toMatch(
      /Triage \(fg@test\.example, .*\): een datalek — A spreadsheet with client records was emailed to the wrong recipient\./,
    );
    expect(row?.effects).toMatch(/Besluit over melden \(fg@test\.example, .*\): AP ja, betrokkenen (ja|nee) — /);
    expect(row?.remedial_action).toContain(
      'Geleerde lessen: Autocomplete in the mail client suggested an external address.',
    );
    expect(row?.remedial_action).toMatch(
      /Verbeteringen: Disable external autocomplete \(eigenaar ict@test\.example, uiterlijk .*, afgerond .*\)\./,
    );
    expect(Date.parse(row!.notification_deadline!) - Date.parse(row!.aware_at!)).toBe(72 * 3_600_000);

    const kinds = new Set((await h.register.events(breachId)).map((e) => e.kind));
    for (const kind of [
      'signal-received',
      'breach-confirmed',
      'decision',
      'task-opened',
      'task-completed',
      'phase',
      'email-sent',
      'containment-round',
      'containment-not-confirmed',
      'contained',
      'authority-notified',
      'data-subjects-notified',
      'evaluated',
      'improvements-done',
      'final-record',
      'closed',
    ]) {
      expect(kinds, kind).toContain(kind);
    }
    const tickets = await h.register.tickets(breachId);
    expect(tickets).toHaveLength(20);
    expect(tickets.every((t) => t.status === 'done')).toBe(true);
    expect(await h.register.emails(breachId)).toHaveLength(h.mailbox.mails.length);
  });

  it("shows in the case view exactly what the breach and each playbook hold: the playbooks' reports add up", async () => {
    const view = await h.view(breachId);
    const ids = new Set<string>();
    for await (const wf of h.client.workflow.list({ query: `WorkflowId STARTS_WITH '${breachId}'` }))
      ids.add(wf.workflowId);
    // Each workflow's last run, as it holds its part of the case (playbookView; the breach answers it for its own).
    const states = await Promise.all([...ids].map((id) => h.client.workflow.getHandle(id).query(playbookViewQuery)));
    expect(states.map((s) => s.playbook).sort()).toEqual(
      ['aftercare', 'breach', 'containment', 'evaluation', 'notification'].sort(),
    );
    const byId = <T extends { id: string }>(items: T[]) => [...items].sort((a, b) => a.id.localeCompare(b.id));
    const byJson = <T>(items: T[]) => [...items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(byId(view.tasks)).toEqual(byId(states.flatMap((s) => s.tasks)));
    expect(byId(view.timeline)).toEqual(byId(states.flatMap((s) => s.timeline)));
    expect(byJson(view.deadlines)).toEqual(byJson(states.flatMap((s) => s.deadlines)));
    expect(byJson(view.notifications)).toEqual(byJson(states.flatMap((s) => s.notifications)));
    const own = states.find((s) => s.playbook === 'breach')!;
    expect(view.facts).toEqual(Object.assign({}, own.facts, ...states.filter((s) => s !== own).map((s) => s.facts)));
  });

  it("wrote every timeline entry to the register, each playbook's in the order it noted them", async () => {
    const view = await h.view(breachId);
    const db = new Database(h.config.register.path, { readonly: true, fileMustExist: true });
    try {
      // Insertion order (rowid), not the entries' times: the order the writes reached the register.
      const keys = db
        .prepare('SELECT key FROM events WHERE breach_id = ? ORDER BY rowid')
        .pluck()
        .all(breachId) as string[];
      expect(view.timeline.filter((e) => !keys.includes(e.id))).toEqual([]);
      for (const playbook of ['breach', 'notification', 'containment', 'evaluation', 'aftercare']) {
        const noted = keys.filter((k) => k.startsWith(`${playbook}#`)).map((k) => Number(k.slice(playbook.length + 1)));
        expect(noted.length, playbook).toBeGreaterThan(3);
        expect(noted, playbook).toEqual([...noted].sort((a, b) => a - b));
      }
    } finally {
      db.close();
    }
  });

  it('replays deterministically: the recorded histories of the breach and its four playbooks', async () => {
    const runs: { workflowId: string; runId: string }[] = [];
    for await (const wf of h.client.workflow.list({ query: `WorkflowId STARTS_WITH '${breachId}'` }))
      runs.push({ workflowId: wf.workflowId, runId: wf.runId });
    // The breach, four playbooks, and aftercare's continued runs (one per follow-up round); more when continuing at waits.
    expect(runs.length).toBeGreaterThanOrEqual(history ? 20 : 7);
    for (const { workflowId, runId } of runs) {
      const history = await h.client.workflow.getHandle(workflowId, runId).fetchHistory();
      // One patch marker per run, the baseline (workflows/patches.ts), not one per patch the run meets (each also
      // upserts a search attribute: issue 16, a lifecycle's history).
      const markers = (history.events ?? []).filter(
        (e) =>
          e.eventType === proto.temporal.api.enums.v1.EventType.EVENT_TYPE_MARKER_RECORDED &&
          e.markerRecordedEventAttributes?.markerName === 'core_patch',
      );
      expect(markers.length, `patch markers in ${workflowId}`).toBe(1);
      await expect(
        Worker.runReplayHistory(
          { workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: testDataConverter() },
          history,
          workflowId,
        ),
      ).resolves.toBeUndefined();
    }
  });

  it('keeps the search attributes current for the Temporal UI', async () => {
    const description = await eventually(async () => {
      const d = await h.client.workflow.getHandle(breachId).describe();
      return d.searchAttributes.BreachPhase?.[0] === 'closed' ? d : undefined;
    }, 'BreachPhase=closed');
    expect(description.searchAttributes.AuthorityNotified).toEqual([true]);
    expect(description.searchAttributes.NotificationDeadline).toHaveLength(1);
  });

  it('labels every run for ops in the Temporal UI, without personal data', async () => {
    const summaries: Record<string, string | undefined> = {};
    for (const id of [
      breachId,
      ...['notification', 'containment', 'evaluation', 'aftercare'].map((p) => `${breachId}.${p}`),
    ]) {
      // The first run: a run continued as new (aftercare's rounds) has no summary of its own (SDK 1.24).
      const runs: { runId: string; startTime: Date }[] = [];
      for await (const wf of h.client.workflow.list({ query: `WorkflowId = '${id}'` })) runs.push(wf);
      const first = runs.sort((a, b) => a.startTime.getTime() - b.startTime.getTime())[0]!;
      summaries[id] = await (await h.client.workflow.getHandle(id, first.runId).describe()).staticSummary();
    }
    expect(summaries).toEqual({
      [breachId]: 'Breach reported by dlp',
      [`${breachId}.notification`]: 'Notification deadlines: GDPR 72 h and every other regime that applies',
      [`${breachId}.containment`]: 'Containment: evidence first, then the checklist until the leak is stopped',
      [`${breachId}.evaluation`]: 'Evaluation: lessons learned and improvement actions',
      [`${breachId}.aftercare`]: 'Aftercare (nazorg): contact point, advice, follow-ups',
    });
    const metadata = await h.client.workflow
      .getHandle(breachId)
      .query<{ currentDetails: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails).toBe('**Phase:** closed · **severity:** very-high\n**Open tasks:** none');
    // The reporter and the answers' free text stay out of what the UI shows.
    expect(JSON.stringify(summaries) + metadata.currentDetails).not.toMatch(
      /Jan Melder|jan@test\.example|@test\.example/,
    );
  });
});
