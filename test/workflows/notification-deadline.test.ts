import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness, eventually } from '../support/harness';
import { answers, signal } from '../support/answers';
import { CISO, FG, FG_DEPUTY, ICT, PROCESS_OWNER, SPONSOR } from '../support/people';

const HOUR = 3_600_000;

describe('the 72-hour notification deadline on a real server', () => {
  let h: Harness;
  let breachId: string;
  let awareAt: string;

  beforeAll(async () => {
    // A reminder 6 s before the deadline; the default ones (24–70 h) have passed already and are dropped.
    h = await Harness.start({ notificationReminders: ['24h', `${72 * 3600 - 6}s`] });
    breachId = await h.report(signal());
    // Awareness almost 72 hours ago: the deadline falls seconds ahead.
    awareAt = new Date(Date.now() - 72 * HOUR + 12_000).toISOString();
    await h.complete(breachId, 'triage', FG, answers.triageBreach(awareAt));
  });
  afterAll(() => h?.close());

  it('sets the deadline exactly 72 hours after awareness and reminds the FG before it', async () => {
    const view = await eventually(async () => {
      const v = await h.view(breachId);
      return v.deadlines.length > 0 ? v : undefined;
    }, 'deadline');
    expect(view.deadlines[0]).toMatchObject({
      kind: 'gdpr-authority',
      status: 'pending',
      due: new Date(Date.parse(awareAt) + 72 * HOUR).toISOString(),
    });
    const reminder = await eventually(
      () =>
        h.mailbox.mails.filter((m) => m.purpose.startsWith('deadline-reminder:')).length >= 2 &&
        h.mailbox.mails.filter((m) => m.purpose.startsWith('deadline-reminder:')),
      'reminder',
    );
    expect(reminder.flatMap((m) => m.to).sort()).toEqual([FG, FG_DEPUTY].sort());
    expect(reminder.every((m) => m.purpose === `deadline-reminder:${(72 * 3600 - 6) * 1000}`)).toBe(true);
  });

  it('escalates to the FG and the executive sponsor when it passes unmet, and shows it as late', async () => {
    const missed = await eventually(
      () => h.mailbox.withPurpose('deadline-missed').length >= 3 && h.mailbox.withPurpose('deadline-missed'),
      'escalation',
      40_000,
    );
    expect(missed.flatMap((m) => m.to).sort()).toEqual([FG, FG_DEPUTY, SPONSOR].sort());
    expect(missed[0]?.subject).toBe(`[${breachId}] Meldtermijn verstreken: melding is te laat`);
    const view = await h.view(breachId);
    expect(view.deadlines.find((d) => d.kind === 'gdpr-authority')?.status).toBe('late');
    expect(view.timeline.some((e) => e.kind === 'deadline-missed')).toBe(true);
    expect((await h.register.breach(breachId))?.notification_late).toBe(1);
  });

  it('requires the reasons for the delay before a late notification can be recorded', async () => {
    await h.complete(breachId, 'first-picture', CISO, answers.firstPicture());
    await h.complete(breachId, 'containment-1', ICT, answers.containment(false));
    await h.complete(breachId, 'containment-confirmation-1', CISO, answers.confirmContainment());
    await h.complete(breachId, 'impact', PROCESS_OWNER, answers.impact());
    await h.complete(breachId, 'notification-decision', FG, answers.decision(true, false));
    await expect(h.complete(breachId, 'authority-notification', FG, answers.authorityNotification())).rejects.toThrow(
      /answer\.reasonsForDelay: is required because the notification came after the 72-hour deadline/,
    );
    await h.complete(
      breachId,
      'authority-notification',
      FG,
      answers.authorityNotification({ reasonsForDelay: 'The scope was only clear after forensic analysis.' }),
    );
    const view = await eventually(async () => {
      const v = await h.view(breachId);
      return v.phase === 'aftercare' ? v : undefined;
    }, 'aftercare phase');
    expect(view.notifications).toEqual([
      expect.objectContaining({
        to: 'authority',
        late: true,
        reasonsForDelay: 'The scope was only clear after forensic analysis.',
      }),
    ]);
    expect(view.deadlines.map((d) => [d.kind, d.status])).toEqual([
      ['gdpr-authority', 'late'],
      ['data-subjects', 'not-required'],
    ]);
  });
});
