import { testSignerAt } from '../support/acts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { classifyIncident, correctAwareness, recordNotification } from '../../client/shared/breaches';
import type { CaseView, Deadline } from '../../domain/case';
import { oneMonthAfter } from '../../domain/regimes/calendar';
import { Harness, eventually } from '../support/harness';
import { answers, signal } from '../support/answers';
import { CISO, COMMS, FG, FG_DEPUTY, ICT, PROCESS_OWNER, SPONSOR } from '../support/people';
import { startTimeSkippingServer } from '../support/time-skipping';
import { NOTIFICATION_DEADLINE } from '../../workflows/search-attributes';

// Whole timelines on the default timing (72 h, reminders at 24/48/60/70 h, 14 days to evaluation, aftercare
// follow-ups after two weeks and three months), on Temporal's time-skipping test server: days pass in seconds.
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

describe('whole timelines on the default timing, on the time-skipping server', { timeout: 180_000 }, () => {
  let env: TestWorkflowEnvironment;
  let h: Harness;
  let nis2: Harness;

  // A server per timeline: time is global to it, and a breach left open by an earlier test (aftercare never
  // closed) would otherwise have its timers, and their emails, driven by every later skip.
  beforeEach(async () => {
    env = await startTimeSkippingServer();
    const temporal = { address: env.address, namespace: env.namespace ?? 'default', client: env.client };
    h = await Harness.start({}, { temporal, signer });
    nis2 = await Harness.start({}, { temporal, signer, organisation: { profile: { nis2Entity: 'essential' } } });
  }, 120_000);
  afterEach(async () => {
    await h?.close();
    await nis2?.close();
    await env?.teardown();
  });

  /** Closed, read by query: awaiting the result instead would let time run on for every open run. */
  const closed = (harness: Harness, breachId: string) => harness.waitForPhase(breachId, 'closed');
  /** The server's clock, which jumps when time is skipped. */
  const now = () => env.currentTimeMs();
  /** Signs as the HTTP service would, at the server's time: a proof's age is counted in workflow time. */
  const signer = async () => testSignerAt(await now());
  /** Lets the server's time run on to `at`, firing every timer on the way. */
  async function skipTo(at: number): Promise<void> {
    const left = at - (await now());
    if (left > 0) await env.sleep(left);
  }
  const mailsOf = (harness: Harness, breachId: string, purpose: string) =>
    harness.mailbox.mails.filter((m) => m.subject.startsWith(`[${breachId}]`) && m.purpose === purpose);
  const deadline = (view: CaseView, kind: Deadline['kind']) => view.deadlines.find((d) => d.kind === kind);
  const taskOf = async (harness: Harness, breachId: string, id: string) =>
    (await harness.view(breachId)).tasks.find((t) => t.id === id);

  async function confirmedBreach(harness: Harness): Promise<{ breachId: string; awareAt: number }> {
    const breachId = await harness.report(signal());
    const awareAt = await now();
    await harness.complete(breachId, 'triage', FG, answers.triageBreach(iso(awareAt)));
    await eventually(async () => (await harness.view(breachId)).deadlines.length > 0, 'the deadlines');
    return { breachId, awareAt };
  }

  it('72 hours on the clock: the FG and deputy are reminded at 24, 48, 60 and 70 hours, the sponsor hears it at 72, and a late notification needs reasons', async () => {
    const { breachId, awareAt } = await confirmedBreach(h);
    expect(deadline(await h.view(breachId), 'gdpr-authority')?.due).toBe(iso(awareAt + 72 * HOUR));
    const described = await h.client.workflow.getHandle(breachId).describe();
    expect(described.typedSearchAttributes.get(NOTIFICATION_DEADLINE)).toEqual(new Date(awareAt + 72 * HOUR));

    for (const hours of [24, 48, 60, 70]) {
      const purpose = `deadline-reminder:${hours * HOUR}`;
      await skipTo(awareAt + hours * HOUR - MINUTE);
      expect(mailsOf(h, breachId, purpose), `no reminder before ${hours} h`).toEqual([]);
      await skipTo(awareAt + hours * HOUR + MINUTE);
      const reminders = await eventually(
        () => mailsOf(h, breachId, purpose).length >= 2 && mailsOf(h, breachId, purpose),
        `the ${hours} h reminder`,
      );
      expect(reminders.flatMap((m) => m.to).sort()).toEqual([FG, FG_DEPUTY].sort());
      expect(reminders.every((m) => !m.to.includes(SPONSOR))).toBe(true);
    }
    expect(deadline(await h.view(breachId), 'gdpr-authority')?.status).toBe('pending');
    expect(mailsOf(h, breachId, 'deadline-missed')).toEqual([]);
    // Ops see in the Temporal UI what the breach waits for: the overdue first picture and the deadline.
    const { currentDetails } = await h.client.workflow
      .getHandle(breachId)
      .query<{ currentDetails: string }>('__temporal_workflow_metadata');
    expect(currentDetails).toContain('**Phase:** first-picture');
    expect(currentDetails).toMatch(/- `first-picture` → ciso, due \S+ \(\*\*overdue\*\*\)/);
    expect(currentDetails).toContain(`- gdpr-authority: ${iso(awareAt + 72 * HOUR)}`);

    await skipTo(awareAt + 72 * HOUR + MINUTE);
    const missed = await eventually(
      () => mailsOf(h, breachId, 'deadline-missed').length >= 3 && mailsOf(h, breachId, 'deadline-missed'),
      'the escalation at 72 h',
    );
    expect(missed.flatMap((m) => m.to).sort()).toEqual([FG, FG_DEPUTY, SPONSOR].sort());
    expect(deadline(await h.view(breachId), 'gdpr-authority')?.status).toBe('late');

    // Four days after awareness the team catches up; the AP was notified just now, too late.
    await h.complete(breachId, 'first-picture', CISO, answers.firstPicture());
    await h.complete(breachId, 'containment-1', ICT, answers.containment(false));
    await h.complete(breachId, 'containment-confirmation-1', CISO, answers.confirmContainment());
    await h.complete(breachId, 'impact', PROCESS_OWNER, answers.impact());
    await h.complete(breachId, 'notification-decision', FG, answers.decision(true, false));
    const notifiedAt = iso(await now());
    await expect(
      h.complete(breachId, 'authority-notification', FG, answers.authorityNotification({ notifiedAt })),
    ).rejects.toThrow(/answer\.reasonsForDelay: is required/);
    await h.complete(
      breachId,
      'authority-notification',
      FG,
      answers.authorityNotification({ notifiedAt, reasonsForDelay: 'The FG was unreachable over the weekend.' }),
    );
    const recovery = await h.waitForPhase(breachId, 'aftercare');
    expect(recovery.notifications).toEqual([
      expect.objectContaining({
        to: 'authority',
        at: notifiedAt,
        late: true,
        reasonsForDelay: 'The FG was unreachable over the weekend.',
      }),
    ]);
    expect((await h.register.breach(breachId))?.notification_late).toBe(1);
  });

  it('a notified breach through 14 days to evaluation, three months of aftercare (continued as new each round) and an overdue improvement action, to closure', async () => {
    const { breachId } = await confirmedBreach(h);
    await h.complete(breachId, 'first-picture', CISO, answers.firstPicture());
    await h.complete(breachId, 'containment-1', ICT, answers.containment(false));
    await h.complete(breachId, 'containment-confirmation-1', CISO, answers.confirmContainment());
    const containedAt = Date.parse(
      await eventually(async () => (await h.view(breachId)).facts.containment?.containedAt, 'containment'),
    );
    await h.complete(breachId, 'impact', PROCESS_OWNER, answers.impact());
    await h.complete(breachId, 'notification-decision', FG, answers.decision(true, true));
    await h.complete(
      breachId,
      'authority-notification',
      FG,
      answers.authorityNotification({ notifiedAt: iso(await now()) }),
    );
    await h.complete(breachId, 'data-subject-notification', COMMS, {
      ...answers.dataSubjectNotification(),
      notifiedAt: iso(await now()),
    });
    await h.complete(breachId, 'aftercare', COMMS, answers.aftercare());
    const aftercareStart = Date.parse((await h.view(breachId)).tasks.find((t) => t.id === 'aftercare')!.completedAt!);
    const aftercare = h.client.workflow.getHandle(`${breachId}.aftercare`);
    const firstRun = (await aftercare.describe()).runId;
    for (const task of (await h.view(breachId)).tasks.filter(
      (t) => t.kind === 'organisation-interest' && t.status === 'open',
    )) {
      await h.complete(breachId, task.id, task.role === 'fg' ? FG : COMMS, { outcome: 'Handled.' });
    }

    // Lessons learned 14 days after containment, while aftercare still runs.
    await skipTo(containedAt + 14 * DAY - HOUR);
    expect(await taskOf(h, breachId, 'evaluation')).toBeUndefined();
    await skipTo(containedAt + 14 * DAY + MINUTE);
    await h.openTask(breachId, 'evaluation');
    expect((await h.view(breachId)).phase).toBe('aftercare');
    const actionDue = (await now()) + 7 * DAY;
    await h.complete(breachId, 'evaluation', FG, {
      ...answers.evaluation(),
      improvementActions: [{ description: 'Disable external autocomplete', owner: ICT, due: iso(actionDue) }],
    });

    // The first follow-up two weeks after aftercare started (a few minutes before the evaluation: its own clock).
    const followUp1 = await eventually(() => taskOf(h, breachId, 'aftercare-follow-up-1'), 'follow-up 1');
    expect(Date.parse(followUp1.createdAt)).toBeGreaterThanOrEqual(aftercareStart + 14 * DAY);
    expect(Date.parse(followUp1.createdAt)).toBeLessThan(aftercareStart + 14 * DAY + HOUR);
    await h.complete(breachId, 'aftercare-follow-up-1', PROCESS_OWNER, answers.followUp(true));

    // The improvement action passes its due date: owner, and the FG accountable for it, are reminded.
    await skipTo(actionDue + MINUTE);
    const overdue = await eventually(
      () =>
        mailsOf(h, breachId, 'task-overdue:improvement-1').length >= 3 &&
        mailsOf(h, breachId, 'task-overdue:improvement-1'),
      'the overdue improvement action',
    );
    expect(overdue.flatMap((m) => m.to).sort()).toEqual([FG, FG_DEPUTY, ICT].sort());
    await h.complete(breachId, 'improvement-1', ICT, { done: true, note: 'External autocomplete disabled.' });

    // Three months after the start: the second follow-up, then the FG decides whether aftercare can end.
    await skipTo(aftercareStart + 90 * DAY - HOUR);
    expect(await taskOf(h, breachId, 'aftercare-follow-up-2')).toBeUndefined();
    await skipTo(aftercareStart + 90 * DAY + MINUTE);
    await h.complete(breachId, 'aftercare-follow-up-2', PROCESS_OWNER, answers.followUp(false));
    await h.complete(breachId, 'aftercare-close-3', FG, {
      close: true,
      note: 'No more questions or reports of misuse.',
    });
    const done = await closed(h, breachId);
    expect(Date.parse(done.closedAt!) - aftercareStart).toBeGreaterThanOrEqual(90 * DAY);
    expect(done.tasks.every((t) => t.status === 'done')).toBe(true);
    // Each follow-up round is a run of its own: months of aftercare keep a short history.
    expect((await aftercare.describe()).runId).not.toBe(firstRun);
    const phases = done.timeline.filter((e) => e.kind === 'phase').map((e) => e.text.replace('Phase: ', ''));
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
  });

  it("a corrected moment of awareness moves every reminder, the deadline and the FG's open notification task", async () => {
    const { breachId, awareAt: firstAwareAt } = await confirmedBreach(h);
    await h.complete(breachId, 'first-picture', CISO, answers.firstPicture());
    await h.complete(breachId, 'containment-1', ICT, answers.containment(false));
    await h.complete(breachId, 'containment-confirmation-1', CISO, answers.confirmContainment());
    await h.complete(breachId, 'impact', PROCESS_OWNER, answers.impact());
    await h.complete(breachId, 'notification-decision', FG, answers.decision(true, false));
    expect((await h.openTask(breachId, 'authority-notification')).due).toBe(iso(firstAwareAt + 72 * HOUR));

    // The helpdesk knew 10 hours earlier than the FG was told.
    const awareAt = firstAwareAt - 10 * HOUR;
    await correctAwareness(
      h.client,
      breachId,
      { actor: FG, awareAt: iso(awareAt), reason: 'The helpdesk ticket was logged 10 hours earlier.' },
      await signer(),
    );
    const moved = await h.view(breachId);
    expect(deadline(moved, 'gdpr-authority')?.due).toBe(iso(awareAt + 72 * HOUR));
    expect(moved.tasks.find((t) => t.id === 'authority-notification')?.due).toBe(iso(awareAt + 72 * HOUR));
    expect(moved.timeline.find((e) => e.kind === 'awareness-corrected')).toMatchObject({ actor: FG });
    expect(
      (await h.client.workflow.getHandle(breachId).describe()).typedSearchAttributes.get(NOTIFICATION_DEADLINE),
    ).toEqual(new Date(awareAt + 72 * HOUR));

    // The 24-hour reminder comes 24 hours after the corrected moment, 14 hours after the first. (A moved
    // deadline's emails carry its new due time in their purpose, so they are not taken for the old ones.)
    const due = iso(awareAt + 72 * HOUR);
    const reminder24 = `deadline-reminder:gdpr-authority:${due}:${24 * HOUR}`;
    await skipTo(awareAt + 24 * HOUR - MINUTE);
    expect(mailsOf(h, breachId, reminder24)).toEqual([]);
    await skipTo(awareAt + 24 * HOUR + MINUTE);
    await eventually(() => mailsOf(h, breachId, reminder24).length >= 2, 'the 24 h reminder');

    // The task falls overdue, and the deadline is missed, 62 hours after the FG was told.
    const missed = (m: { subject: string; purpose: string }) =>
      m.subject.startsWith(`[${breachId}]`) && m.purpose.startsWith('deadline-missed');
    await skipTo(awareAt + 72 * HOUR - MINUTE);
    expect(mailsOf(h, breachId, 'task-overdue:authority-notification')).toEqual([]);
    expect(h.mailbox.mails.filter(missed)).toEqual([]);
    await skipTo(awareAt + 72 * HOUR + MINUTE);
    const escalation = await eventually(
      () => h.mailbox.mails.filter(missed).length >= 3 && h.mailbox.mails.filter(missed),
      'the escalation at the corrected 72 h',
    );
    expect(escalation.flatMap((m) => m.to).sort()).toEqual([FG, FG_DEPUTY, SPONSOR].sort());
    await eventually(() => mailsOf(h, breachId, 'task-overdue:authority-notification').length >= 1, 'the task overdue');
    expect((await h.view(breachId)).tasks.find((t) => t.id === 'authority-notification')).toMatchObject({
      status: 'open',
      overdue: true,
    });
  });

  it('an essential NIS2 entity: early warning at 24 h, notification at 72 h, final report one month later; aftercare does not wait for the final report, closure does', async () => {
    const { breachId, awareAt } = await confirmedBreach(nis2);
    const classified = await classifyIncident(
      nis2.client,
      breachId,
      { actor: CISO, nis2Significant: true },
      await signer(),
    );
    expect(classified.map((d) => [d.kind, d.due])).toEqual([
      ['gdpr-authority', iso(awareAt + 72 * HOUR)],
      ['nis2-early-warning', iso(awareAt + 24 * HOUR)],
      ['nis2-notification', iso(awareAt + 72 * HOUR)],
    ]);
    await skipTo(awareAt + 20 * HOUR);
    await recordNotification(
      nis2.client,
      breachId,
      { actor: FG, regime: 'nis2', phase: 'early-warning', at: iso(await now()), reference: 'CSIRT-1' },
      await signer(),
    );
    await skipTo(awareAt + 60 * HOUR);
    const notifiedAt = iso(await now());
    await recordNotification(
      nis2.client,
      breachId,
      { actor: FG, regime: 'nis2', phase: 'initial', at: notifiedAt, reference: 'CSIRT-1' },
      await signer(),
    );
    await nis2.complete(breachId, 'first-picture', CISO, answers.firstPicture());
    await nis2.complete(breachId, 'containment-1', ICT, answers.containment(false));
    await nis2.complete(breachId, 'containment-confirmation-1', CISO, answers.confirmContainment());
    await nis2.complete(breachId, 'impact', PROCESS_OWNER, answers.impact());
    await nis2.complete(breachId, 'notification-decision', FG, answers.decision(true, false));
    await nis2.complete(
      breachId,
      'authority-notification',
      FG,
      answers.authorityNotification({ notifiedAt: iso(await now()) }),
    );

    // The GDPR notification is made: on to aftercare, while the NIS2 final report is still a month away.
    const recovering = await nis2.waitForPhase(breachId, 'aftercare');
    expect(deadline(recovering, 'nis2-final-report')).toMatchObject({
      status: 'pending',
      due: oneMonthAfter(notifiedAt),
    });
    expect(recovering.deadlines.filter((d) => d.status === 'late')).toEqual([]);

    // The final report comes late: the FG, deputy and sponsor hear it when the month is over.
    const finalDue = Date.parse(oneMonthAfter(notifiedAt));
    await skipTo(finalDue + MINUTE);
    const purpose = `deadline-missed:nis2-final-report:${iso(finalDue)}`;
    const missed = await eventually(
      () => mailsOf(nis2, breachId, purpose).length >= 3 && mailsOf(nis2, breachId, purpose),
      'the final report escalation',
    );
    expect(missed.flatMap((m) => m.to).sort()).toEqual([FG, FG_DEPUTY, SPONSOR].sort());

    // Aftercare and evaluation finish; the breach stays open until the final report is made.
    // The FG decided not to inform the people affected: the KCC only sets up a contact point for questions.
    const asked = await nis2.openTask(breachId, 'contact-point');
    expect(asked.detail).toMatch(
      /besloten de betrokkenen niet te informeren|decided not to inform the people affected/,
    );
    await nis2.complete(breachId, 'contact-point', COMMS, answers.contactPoint());
    expect((await nis2.view(breachId)).tasks.some((t) => t.kind === 'aftercare')).toBe(false);
    for (const task of (await nis2.view(breachId)).tasks.filter(
      (t) => t.kind === 'organisation-interest' && t.status === 'open',
    )) {
      await nis2.complete(breachId, task.id, task.role === 'fg' ? FG : COMMS, { outcome: 'Handled.' });
    }
    await nis2.complete(breachId, 'evaluation', FG, { ...answers.evaluation(), improvementActions: [] });
    await skipTo((await now()) + 91 * DAY);
    await nis2.complete(breachId, 'aftercare-follow-up-1', PROCESS_OWNER, answers.followUp(false));
    await nis2.complete(breachId, 'aftercare-follow-up-2', PROCESS_OWNER, answers.followUp(false));
    await nis2.complete(breachId, 'aftercare-close-3', FG, { close: true, note: 'Quiet.' });
    await nis2.waitForPhase(breachId, 'evaluation');
    expect((await nis2.view(breachId)).phase).toBe('evaluation');
    await recordNotification(
      nis2.client,
      breachId,
      { actor: FG, regime: 'nis2', phase: 'final', at: iso(await now()), reference: 'CSIRT-1' },
      await signer(),
    );
    const done = await closed(nis2, breachId);
    expect(done.deadlines.map((d) => [d.kind, d.status])).toEqual([
      ['gdpr-authority', 'met'],
      ['nis2-early-warning', 'met'],
      ['nis2-notification', 'met'],
      ['nis2-final-report', 'late'],
      ['data-subjects', 'not-required'],
    ]);
  });
});
