import { testSigner } from '../support/acts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { classifyIncident, correctAwareness, recordNotification } from '../../client/shared/breaches';
import type { CaseView, Deadline } from '../../domain/case';
import { InvalidInputError } from '../../domain/errors';
import {
  checkNotification,
  deadlinesWithNotifications,
  recordNotificationArgsSchema,
  regimeMomentsFrom,
  type PhasedNotification,
  type RecordNotificationArgs,
} from '../../domain/regimes/notifications';
import { describeSpan } from '../../domain/regimes/awareness';
import { amsterdamTime, oneMonthAfter } from '../../domain/regimes/calendar';
import { mergeClassification, organisationProfileSchema } from '../../domain/regimes/profile';
import { Harness, eventually, testDataConverter } from '../support/harness';
import { answers, signal } from '../support/answers';
import { CISO, FG, FG_DEPUTY, ICT, PROCESS_OWNER, SPONSOR } from '../support/people';

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const plus = (at: string, ms: number) => iso(Date.parse(at) + ms);

/** Opens a breach and confirms it at triage with the given awareness; waits until its notification playbook runs. */
async function confirmedBreach(h: Harness, awareAt: string): Promise<string> {
  const breachId = await h.report(signal());
  await h.complete(breachId, 'triage', FG, answers.triageBreach(awareAt));
  await eventually(async () => (await h.view(breachId)).deadlines.length > 0, 'deadlines');
  return breachId;
}

const deadline = (view: CaseView | { deadlines: Deadline[] }, kind: Deadline['kind']) =>
  view.deadlines.find((d) => d.kind === kind);
const kinds = (list: Deadline[]) => list.map((d) => d.kind);
const mailsOf = (h: Harness, breachId: string, purpose: string) =>
  h.mailbox.mails.filter((m) => m.subject.startsWith(`[${breachId}]`) && m.purpose === purpose);

/** The steps between triage and the FG's decision, each completed by its role. */
async function decide(
  h: Harness,
  breachId: string,
  notifyAuthority: boolean,
  notifyDataSubjects: boolean,
): Promise<void> {
  await h.complete(breachId, 'first-picture', CISO, answers.firstPicture());
  await h.complete(breachId, 'containment-1', ICT, answers.containment(false));
  await h.complete(breachId, 'containment-confirmation-1', CISO, answers.confirmContainment());
  await h.complete(breachId, 'impact', PROCESS_OWNER, answers.impact());
  await h.complete(breachId, 'notification-decision', FG, answers.decision(notifyAuthority, notifyDataSubjects));
}

describe('every regime in the notification playbook, on a real server', () => {
  // An essential NIS2 entity that is also a financial entity under DORA.
  let regulated: Harness;
  // A controller only: the defaults.
  let controller: Harness;
  let nis2: { breachId: string; awareAt: string };
  let dora: { breachId: string; awareAt: string };
  let gdpr: { breachId: string; awareAt: string };

  beforeAll(async () => {
    const reminderBeforeDue = `${72 * 3600 - 4}s`;
    [regulated, controller] = await Promise.all([
      Harness.start({}, { organisation: { profile: { nis2Entity: 'essential', financialEntity: true } } }),
      Harness.start({ notificationReminders: ['24h', reminderBeforeDue] }),
    ]);
    const now = Date.now();
    const awareness = {
      // The NIS2 early warning (24 h) falls seconds ahead.
      nis2: iso(now - 24 * HOUR + 12_000),
      // DORA's outer bound (24 h after awareness) is 3 hours ahead.
      dora: iso(now - 21 * HOUR),
      // The GDPR authority deadline is three minutes ahead: far enough that only a correction brings it within the test.
      gdpr: iso(now - 72 * HOUR + 180_000),
    };
    const [n, d, g] = await Promise.all([
      confirmedBreach(regulated, awareness.nis2),
      confirmedBreach(regulated, awareness.dora),
      confirmedBreach(controller, awareness.gdpr),
    ]);
    nis2 = { breachId: n, awareAt: awareness.nis2 };
    dora = { breachId: d, awareAt: awareness.dora };
    gdpr = { breachId: g, awareAt: awareness.gdpr };
  });
  afterAll(async () => {
    await Promise.all([regulated?.close(), controller?.close()]);
  });

  it('an essential NIS2 entity with a significant incident: early warning 24 h, notification 72 h, final report one month after the notification', async () => {
    const { breachId, awareAt } = nis2;
    const before = await regulated.view(breachId);
    // Not assessed yet: NIS2 and DORA shown, provisional.
    expect(kinds(before.deadlines)).toEqual([
      'gdpr-authority',
      'nis2-early-warning',
      'nis2-notification',
      'dora-initial',
    ]);
    expect(deadline(before, 'nis2-early-warning')).toMatchObject({ provisional: true, due: plus(awareAt, 24 * HOUR) });

    // The process owner may not classify; the CISO may.
    await expect(
      classifyIncident(regulated.client, breachId, { actor: PROCESS_OWNER, nis2Significant: true }, testSigner()),
    ).rejects.toThrow(/^actor: po@test\.example does not hold the role "fg" or "ciso"/);
    await expect(classifyIncident(regulated.client, breachId, { actor: CISO }, testSigner())).rejects.toThrow(
      /^nis2Significant: give at least one of/,
    );
    const classified = await classifyIncident(
      regulated.client,
      breachId,
      { actor: CISO, nis2Significant: true, doraMajor: false },
      testSigner(),
    );
    expect(classified.map((d) => [d.kind, d.due, d.provisional ?? false])).toEqual([
      ['gdpr-authority', plus(awareAt, 72 * HOUR), false],
      ['nis2-early-warning', plus(awareAt, 24 * HOUR), false],
      ['nis2-notification', plus(awareAt, 72 * HOUR), false],
    ]);
    expect(deadline({ deadlines: classified }, 'nis2-early-warning')).toMatchObject({
      regime: 'nis2',
      basis: 'NIS2 art. 23(4)(a)',
      label: 'NIS2 vroegtijdige waarschuwing',
    });

    // The early warning passes unrecorded: the FG (and deputy) and the executive sponsor hear it, and it is late.
    const earlyWarningDue = plus(awareAt, 24 * HOUR);
    const missed = await eventually(
      () => {
        const found = mailsOf(regulated, breachId, `deadline-missed:nis2-early-warning:${earlyWarningDue}`);
        return found.length >= 3 && found;
      },
      'the NIS2 early warning escalation',
      40_000,
    );
    expect(missed.flatMap((m) => m.to).sort()).toEqual([FG, FG_DEPUTY, SPONSOR].sort());
    // The email names the NIS2 deadline and its basis, not the AP's 72 hours.
    expect(missed[0]?.subject).toMatch(new RegExp(`^\\[${breachId}\\] Termijn verstreken: `));
    expect(missed[0]?.text).toContain('NIS2');
    expect(missed[0]?.text).not.toContain('72 uur');
    // DORA no longer applied when its provisional deadline passed: no escalation for it.
    expect(
      regulated.mailbox.mails.filter(
        (m) => m.subject.startsWith(`[${breachId}]`) && m.purpose.startsWith('deadline-missed:dora'),
      ),
    ).toEqual([]);
    const late = await eventually(async () => {
      const v = await regulated.view(breachId);
      return deadline(v, 'nis2-early-warning')?.status === 'late' ? v : undefined;
    }, 'the early warning late');
    expect(late.timeline.find((e) => e.kind === 'incident-classified')).toMatchObject({ actor: CISO });
    expect(late.timeline.find((e) => e.kind === 'incident-classified')?.text).toContain(
      'NIS2 significant: yes; DORA major: no',
    );
    expect(late.facts.classification).toEqual({ nis2Significant: true, doraMajor: false });

    // The early warning (late), then the incident notification; the final report is due one month after the latter.
    const warning = await recordNotification(
      regulated.client,
      breachId,
      { actor: FG, regime: 'nis2', phase: 'early-warning', at: iso(Date.now()), reference: 'CSIRT-2026-1' },
      testSigner(),
    );
    expect(deadline(warning, 'nis2-early-warning')).toMatchObject({ status: 'late', metAt: warning.notification.at });
    await expect(
      recordNotification(
        regulated.client,
        breachId,
        { actor: FG, regime: 'nis2', phase: 'final', at: iso(Date.now()), reference: 'CSIRT-2026-1' },
        testSigner(),
      ),
    ).rejects.toThrow(/^phase: the NIS2 final report follows the NIS2 incident notification; record that first/);
    const notifiedAt = iso(Date.now());
    const notified = await recordNotification(
      regulated.client,
      breachId,
      { actor: FG, regime: 'nis2', phase: 'initial', at: notifiedAt, reference: 'CSIRT-2026-1' },
      testSigner(),
    );
    expect(notified.notification).toMatchObject({ to: 'authority', regime: 'nis2', phase: 'initial', late: false });
    expect(notified.deadlines.map((d) => [d.kind, d.status])).toEqual([
      ['gdpr-authority', 'pending'],
      ['nis2-early-warning', 'late'],
      ['nis2-notification', 'met'],
      ['nis2-final-report', 'pending'],
    ]);
    expect(deadline(notified, 'nis2-final-report')?.due).toBe(oneMonthAfter(notifiedAt));

    // The FG decides not to notify the AP: the GDPR deadline is no longer required, NIS2's final report still is,
    // a month from now; aftercare does not wait for it.
    await decide(regulated, breachId, false, false);
    const recovering = await regulated.waitForPhase(breachId, 'aftercare');
    expect(deadline(recovering, 'gdpr-authority')?.status).toBe('not-required');
    expect(deadline(recovering, 'nis2-final-report')?.status).toBe('pending');
    await recordNotification(
      regulated.client,
      breachId,
      { actor: FG, regime: 'nis2', phase: 'final', at: iso(Date.now()), reference: 'CSIRT-2026-1' },
      testSigner(),
    );
    const done = await eventually(async () => {
      const v = await regulated.view(breachId);
      return deadline(v, 'nis2-final-report')?.status === 'met' ? v : undefined;
    }, 'the final report recorded');
    expect(done.deadlines.map((d) => [d.kind, d.status])).toEqual([
      ['gdpr-authority', 'not-required'],
      ['nis2-early-warning', 'late'],
      ['nis2-notification', 'met'],
      ['nis2-final-report', 'met'],
      ['data-subjects', 'not-required'],
    ]);
  });

  it('a DORA financial entity: the initial notification is due 4 h after classification as major, but at most 24 h after awareness', async () => {
    const { breachId, awareAt } = dora;
    const outer = plus(awareAt, 24 * HOUR);
    expect(deadline(await regulated.view(breachId), 'dora-initial')).toMatchObject({
      due: outer,
      provisional: true,
      regime: 'dora',
    });

    await expect(
      classifyIncident(
        regulated.client,
        breachId,
        { actor: FG, doraMajorClassifiedAt: iso(Date.now() + HOUR) },
        testSigner(),
      ),
    ).rejects.toThrow(/^doraMajorClassifiedAt: lies in the future/);
    await expect(
      classifyIncident(
        regulated.client,
        breachId,
        { actor: FG, doraMajorClassifiedAt: plus(awareAt, -HOUR) },
        testSigner(),
      ),
    ).rejects.toThrow(/^doraMajorClassifiedAt: lies before the moment of awareness/);
    await expect(
      classifyIncident(
        regulated.client,
        breachId,
        { actor: FG, doraMajor: false, doraMajorClassifiedAt: iso(Date.now()) },
        testSigner(),
      ),
    ).rejects.toThrow(/^doraMajorClassifiedAt: is set, but doraMajor is false/);

    // Classified two hours ago: 4 h after it comes before the 24 h bound.
    const early = iso(Date.now() - 2 * HOUR);
    const first = await classifyIncident(
      regulated.client,
      breachId,
      { actor: FG, nis2Significant: false, doraMajorClassifiedAt: early },
      testSigner(),
    );
    expect(kinds(first)).toEqual(['gdpr-authority', 'dora-initial']);
    expect(deadline({ deadlines: first }, 'dora-initial')).toMatchObject({
      due: plus(early, 4 * HOUR),
      status: 'pending',
    });
    expect(deadline({ deadlines: first }, 'dora-initial')?.provisional).toBeUndefined();
    // Reclassified with a later moment: now the 24 h bound comes first.
    const later = iso(Date.now() - 10 * 60_000);
    const second = await classifyIncident(
      regulated.client,
      breachId,
      { actor: CISO, doraMajorClassifiedAt: later },
      testSigner(),
    );
    expect(deadline({ deadlines: second }, 'dora-initial')?.due).toBe(outer);
    expect(Date.parse(outer)).toBeLessThan(Date.parse(plus(later, 4 * HOUR)));

    // The initial notification meets it and starts the 72 hours to the intermediate report.
    const at = iso(Date.now());
    const initial = await recordNotification(
      regulated.client,
      breachId,
      { actor: FG, regime: 'dora', phase: 'initial', at, reference: 'DNB-INC-1' },
      testSigner(),
    );
    expect(initial.deadlines.map((d) => [d.kind, d.status, d.due])).toEqual([
      ['gdpr-authority', 'pending', plus(awareAt, 72 * HOUR)],
      ['dora-initial', 'met', outer],
      ['dora-intermediate', 'pending', plus(at, 72 * HOUR)],
    ]);
    const view = await eventually(async () => {
      const v = await regulated.view(breachId);
      return v.timeline.filter((e) => e.kind === 'incident-classified').length === 2 &&
        v.timeline.some((e) => e.kind === 'notification-recorded')
        ? v
        : undefined;
    }, 'the timeline');
    expect(view.timeline.find((e) => e.kind === 'notification-recorded')?.text).toContain(
      'The DORA initial notification recorded',
    );
  });

  it('corrects the moment of awareness: every timer moves, the missed-deadline email comes at the new time, and the timeline says who, from, to and how much', async () => {
    const { breachId, awareAt } = gdpr;
    const originalDue = plus(awareAt, 72 * HOUR);
    expect(deadline(await controller.view(breachId), 'gdpr-authority')).toMatchObject({
      due: originalDue,
      status: 'pending',
      regime: 'gdpr',
      basis: 'GDPR art. 33(1)',
    });

    // Only the FG corrects awareness, and not into the future.
    await expect(
      correctAwareness(
        controller.client,
        breachId,
        { actor: CISO, awareAt: iso(Date.now() - 80 * HOUR), reason: 'Logs' },
        testSigner(),
      ),
    ).rejects.toThrow(/^actor: ciso@test\.example does not hold the role "fg"/);
    await expect(
      correctAwareness(
        controller.client,
        breachId,
        { actor: FG, awareAt: iso(Date.now() + HOUR), reason: 'Logs' },
        testSigner(),
      ),
    ).rejects.toThrow(/^awareAt: lies in the future/);
    await expect(
      correctAwareness(
        controller.client,
        breachId,
        { actor: FG, awareAt: iso(Date.now() - 80 * HOUR), reason: '' },
        testSigner(),
      ),
    ).rejects.toThrow(/^reason: is required/);

    // The logs show the helpdesk knew earlier: the deadline now falls 10 seconds ahead.
    const corrected = iso(Date.now() - 72 * HOUR + 10_000);
    const newDue = plus(corrected, 72 * HOUR);
    const result = await correctAwareness(
      controller.client,
      breachId,
      { actor: FG, awareAt: corrected, reason: 'The helpdesk ticket shows the report came in earlier.' },
      testSigner(),
    );
    const shift = Date.parse(corrected) - Date.parse(awareAt);
    expect(result).toMatchObject({
      from: awareAt,
      to: corrected,
      moves: [{ kind: 'gdpr-authority', from: originalDue, to: newDue, shiftMs: shift }],
    });
    expect(deadline(result, 'gdpr-authority')).toMatchObject({ due: newDue, status: 'pending' });

    const view = await eventually(async () => {
      const v = await controller.view(breachId);
      return v.timeline.some((e) => e.kind === 'awareness-corrected') ? v : undefined;
    }, 'the correction on the timeline');
    const entry = view.timeline.find((e) => e.kind === 'awareness-corrected')!;
    expect(entry.actor).toBe(FG);
    expect(entry.text).toContain(`from ${amsterdamTime(awareAt)} to ${amsterdamTime(corrected)}`);
    expect(entry.text).toContain(`by ${FG}`);
    expect(entry.text).toContain(
      `Notification to the Dutch DPA (Autoriteit Persoonsgegevens): moves ${describeSpan(shift).en} earlier, to ${amsterdamTime(newDue)}`,
    );
    expect(entry.text).toContain('The helpdesk ticket shows the report came in earlier.');
    // The breach's case view shows the corrected moment and deadline; so does the register.
    expect(view.facts.awareAt).toBe(corrected);
    expect(view.facts.notificationDeadline).toBe(newDue);
    await eventually(
      async () => (await controller.register.breach(breachId))?.aware_at === corrected,
      'the register row',
    );
    expect((await controller.register.breach(breachId))?.notification_deadline).toBe(newDue);

    // The reminder 4 s before the deadline, and the escalation, come at the corrected times — long before the original due.
    const reminders = await eventually(() => {
      const found = mailsOf(
        controller,
        breachId,
        `deadline-reminder:gdpr-authority:${newDue}:${(72 * 3600 - 4) * 1000}`,
      );
      return found.length >= 2 && found;
    }, 'the reminder at the corrected time');
    expect(reminders.flatMap((m) => m.to).sort()).toEqual([FG, FG_DEPUTY].sort());
    const missed = await eventually(
      () => {
        const found = mailsOf(controller, breachId, `deadline-missed:gdpr-authority:${newDue}`);
        return found.length >= 3 && found;
      },
      'the escalation at the corrected deadline',
      30_000,
    );
    expect(Date.now()).toBeLessThan(Date.parse(originalDue));
    expect(missed.flatMap((m) => m.to).sort()).toEqual([FG, FG_DEPUTY, SPONSOR].sort());
    // The original deadline's timers are gone: no reminder or escalation under the original message ids.
    expect(mailsOf(controller, breachId, 'deadline-missed')).toEqual([]);
    const late = await eventually(async () => {
      const v = await controller.view(breachId);
      return deadline(v, 'gdpr-authority')?.status === 'late' ? v : undefined;
    }, 'the deadline late');
    expect(late.timeline.filter((e) => e.kind === 'deadline-missed')).toHaveLength(1);
    await eventually(
      async () => (await controller.register.breach(breachId))?.notification_late === 1,
      'notification_late in the register',
    );
  });

  it('refuses a late initial GDPR notification without the reasons for the delay, naming the field; then records it, a supplement with the same reference, and no other', async () => {
    const { breachId } = gdpr;
    const initial = {
      actor: FG,
      regime: 'gdpr' as const,
      phase: 'initial' as const,
      at: iso(Date.now()),
      reference: 'AP-2026-777',
    };
    await expect(recordNotification(controller.client, breachId, initial, testSigner())).rejects.toThrow(
      InvalidInputError,
    );
    await expect(recordNotification(controller.client, breachId, initial, testSigner())).rejects.toThrow(
      /^reasonsForDelay: is required because the initial notification came after the 72-hour deadline/,
    );
    // A supplement needs an initial notification first; nothing was recorded by the refusals.
    await expect(
      recordNotification(controller.client, breachId, { ...initial, phase: 'supplement' }, testSigner()),
    ).rejects.toThrow(/^reference: no GDPR initial notification with reference "AP-2026-777" was recorded/);
    expect((await controller.view(breachId)).notifications).toEqual([]);

    const recorded = await recordNotification(
      controller.client,
      breachId,
      { ...initial, reasonsForDelay: 'The awareness moment was corrected after the fact.' },
      testSigner(),
    );
    expect(recorded.notification).toMatchObject({
      to: 'authority',
      regime: 'gdpr',
      phase: 'initial',
      late: true,
      reference: 'AP-2026-777',
      recordedBy: FG,
    });
    expect(deadline(recorded, 'gdpr-authority')).toMatchObject({ status: 'late', metAt: initial.at });
    await expect(
      recordNotification(controller.client, breachId, { ...initial, reasonsForDelay: 'again' }, testSigner()),
    ).rejects.toThrow(/^reference: the GDPR initial notification with reference "AP-2026-777" was already recorded/);

    const supplement = await recordNotification(
      controller.client,
      breachId,
      { ...initial, phase: 'supplement', at: iso(Date.now() + 1) },
      testSigner(),
    );
    expect(supplement.notification).toMatchObject({
      regime: 'gdpr',
      phase: 'supplement',
      reference: 'AP-2026-777',
      late: false,
    });
    await expect(
      recordNotification(
        controller.client,
        breachId,
        { ...initial, phase: 'supplement', reference: 'AP-2026-999' },
        testSigner(),
      ),
    ).rejects.toThrow(
      /^reference: no GDPR initial notification with reference "AP-2026-999" was recorded.*\(recorded: AP-2026-777\)/,
    );
    await expect(
      recordNotification(controller.client, breachId, { ...initial, phase: 'early-warning' }, testSigner()),
    ).rejects.toThrow(/^phase: "early-warning" is not a phase of GDPR/);

    await eventually(
      async () => (await controller.register.breach(breachId))?.authority_reference === 'AP-2026-777',
      'the register row',
    );
    // Already notified: the FG's decision opens no authority-notification task, and the playbook ends (nothing else applies).
    await decide(controller, breachId, true, false);
    const view = await controller.waitForPhase(breachId, 'aftercare');
    expect(view.tasks.some((t) => t.kind === 'authority-notification')).toBe(false);
    expect(view.notifications.map((n) => [n.regime, n.phase, n.reference])).toEqual([
      ['gdpr', 'initial', 'AP-2026-777'],
      ['gdpr', 'supplement', 'AP-2026-777'],
    ]);
    expect(view.deadlines.map((d) => [d.kind, d.status])).toEqual([
      ['gdpr-authority', 'late'],
      ['data-subjects', 'not-required'],
    ]);
    // The playbook has ended: a later message is refused as input, saying so.
    await eventually(
      async () =>
        (await controller.client.workflow.getHandle(`${breachId}.notification`).describe()).status.name === 'COMPLETED',
      'the playbook to end',
    );
    await expect(
      recordNotification(
        controller.client,
        breachId,
        { ...initial, phase: 'supplement', at: iso(Date.now()) },
        testSigner(),
      ),
    ).rejects.toThrow(/^breachId: .* has no running notification playbook/);
  });

  it('replays deterministically: the notification playbooks with their moved timers, classifications and notifications', async () => {
    for (const [h, { breachId }] of [
      [regulated, nis2],
      [regulated, dora],
      [controller, gdpr],
    ] as const) {
      const workflowId = `${breachId}.notification`;
      const history = await h.client.workflow.getHandle(workflowId).fetchHistory();
      await expect(
        Worker.runReplayHistory(
          { workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: testDataConverter() },
          history,
          workflowId,
        ),
      ).resolves.toBeUndefined();
    }
  });
});

describe('the rules behind the messages (pure)', () => {
  const awareAt = '2026-11-28T09:00:00.000Z';
  const now = Date.parse('2026-12-02T12:00:00Z');
  const everything = organisationProfileSchema.parse({ role: 'both', nis2Entity: 'essential', financialEntity: true });
  const args = (input: Omit<RecordNotificationArgs, 'actor'>) =>
    recordNotificationArgsSchema.parse({ actor: FG, ...input });
  const check = (input: Omit<RecordNotificationArgs, 'actor'>, recorded: PhasedNotification[] = []) =>
    checkNotification(args(input), {
      now,
      awareAt,
      recorded,
      deadlines: deadlinesWithNotifications({ awareAt, profile: everything }, recorded),
    });

  it('maps each notification to the deadline it meets, and the NIS2 incident notification also serves as the early warning', () => {
    const recorded: PhasedNotification[] = [
      { regime: 'gdpr', phase: 'initial', at: '2026-11-29T09:00:00Z', reference: 'AP-1' },
      { regime: 'processor', phase: 'initial', at: '2026-11-28T10:00:00Z', reference: 'C-1' },
      { regime: 'nis2', phase: 'initial', at: '2026-11-28T20:00:00Z', reference: 'N-1' },
      { regime: 'dora', phase: 'initial', at: '2026-11-28T11:00:00Z', reference: 'D-1' },
      { regime: 'dora', phase: 'intermediate', at: '2026-11-30T11:00:00Z', reference: 'D-1' },
      { regime: 'dora', phase: 'intermediate', at: '2026-12-01T11:00:00Z', reference: 'D-1' },
    ];
    expect(regimeMomentsFrom(recorded)).toEqual({
      notifiedAuthorityAt: '2026-11-29T09:00:00Z',
      nis2NotifiedAt: '2026-11-28T20:00:00Z',
      doraInitialAt: '2026-11-28T11:00:00Z',
      doraIntermediateAt: '2026-12-01T11:00:00Z',
      met: {
        'processor-controller': '2026-11-28T10:00:00Z',
        'nis2-early-warning': '2026-11-28T20:00:00Z',
        'dora-intermediate': '2026-11-30T11:00:00Z',
      },
    });
    const deadlines = deadlinesWithNotifications(
      { awareAt, profile: everything, classification: { nis2Significant: true, doraMajor: true } },
      recorded,
    );
    // The intermediate deadline was met by the first report; the final report's month runs from the latest.
    expect(deadlines.find((d) => d.kind === 'dora-intermediate')?.metAt).toBe('2026-11-30T11:00:00Z');
    expect(deadlines.find((d) => d.kind === 'dora-final')?.due).toBe(oneMonthAfter('2026-12-01T11:00:00Z'));
    expect(deadlines.find((d) => d.kind === 'nis2-final-report')?.due).toBe(oneMonthAfter('2026-11-28T20:00:00Z'));
  });

  it('refuses, naming the field: the future, before awareness, a report before the one it follows, an updated reference', () => {
    expect(check({ regime: 'nis2', phase: 'early-warning', at: '2026-12-03T12:00:00Z', reference: 'N-1' })).toMatch(
      /^at: lies in the future/,
    );
    expect(check({ regime: 'nis2', phase: 'early-warning', at: '2026-11-28T08:00:00Z', reference: 'N-1' })).toMatch(
      /^at: lies before the moment of awareness/,
    );
    expect(check({ regime: 'dora', phase: 'final', at: '2026-11-30T08:00:00Z', reference: 'D-1' })).toBe(
      'phase: the DORA final report follows the DORA intermediate report; record that first',
    );
    expect(
      check({ regime: 'dora', phase: 'intermediate', at: '2026-11-28T10:00:00Z', reference: 'D-1' }, [
        { regime: 'dora', phase: 'initial', at: '2026-11-28T11:00:00Z', reference: 'D-1' },
      ]),
    ).toMatch(/^at: lies before the DORA initial notification/);
    // A NIS2 supplement may refer to the early warning; after a withdrawal nothing more is added to that reference.
    const warned: PhasedNotification[] = [
      { regime: 'nis2', phase: 'early-warning', at: '2026-11-28T10:00:00Z', reference: 'N-1' },
    ];
    expect(
      check({ regime: 'nis2', phase: 'supplement', at: '2026-11-28T12:00:00Z', reference: 'N-1' }, warned),
    ).toBeUndefined();
    const withdrawn: PhasedNotification[] = [
      ...warned,
      { regime: 'nis2', phase: 'withdrawal', at: '2026-11-28T12:00:00Z', reference: 'N-1' },
    ];
    expect(
      check({ regime: 'nis2', phase: 'supplement', at: '2026-11-28T13:00:00Z', reference: 'N-1' }, withdrawn),
    ).toMatch(/^reference: "N-1" was withdrawn/);
    // A late initial GDPR notification needs the reasons; on time it does not.
    expect(check({ regime: 'gdpr', phase: 'initial', at: '2026-12-01T10:00:00Z', reference: 'AP-1' })).toMatch(
      /^reasonsForDelay: is required/,
    );
    expect(check({ regime: 'gdpr', phase: 'initial', at: '2026-12-01T08:00:00Z', reference: 'AP-1' })).toBeUndefined();
    expect(
      recordNotificationArgsSchema.safeParse({
        actor: FG,
        regime: 'dora',
        phase: 'early-warning',
        at: awareAt,
        reference: 'D-1',
      }).error?.issues[0],
    ).toMatchObject({ path: ['phase'] });
  });

  it('merges a classification: a classification moment implies major; "not major" clears the moment', () => {
    const merged = mergeClassification({}, { actor: FG, doraMajorClassifiedAt: '2026-11-28T10:00:00Z' }, awareAt, now);
    expect(merged).toEqual({
      ok: true,
      classification: { doraMajor: true, doraMajorClassifiedAt: '2026-11-28T10:00:00Z' },
    });
    expect(
      mergeClassification(merged.ok ? merged.classification : {}, { actor: FG, doraMajor: false }, awareAt, now),
    ).toEqual({ ok: true, classification: { doraMajor: false } });
  });
});
