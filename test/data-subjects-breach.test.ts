import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness, eventually } from './support/harness';
import { answers, signal } from './support/answers';
import { CISO, COMMS, FG, ICT, PROCESS_OWNER } from './support/people';

describe('a breach whose people affected lekdicht informs itself (art. 34)', () => {
  let h: Harness;
  let breachId: string;
  const people = [
    { name: 'Anna de Wit', email: 'anna@example.org' },
    { name: 'Bas Kok', email: 'bas@example.org', language: 'en' as const },
    { name: 'Cor Bos', address: 'Dorpsstraat 1, 1234 AB Voorbeeld' },
  ];

  beforeAll(async () => {
    h = await Harness.start();
    breachId = await h.report(signal());
    await h.complete(breachId, 'triage', FG, answers.triageBreach());
    await h.complete(breachId, 'first-picture', CISO, answers.firstPicture());
    await h.complete(breachId, 'containment-1', ICT, answers.containment(false));
    await h.complete(breachId, 'containment-confirmation-1', CISO, answers.confirmContainment());
    await h.complete(breachId, 'impact', PROCESS_OWNER, answers.impact());
    await h.complete(breachId, 'notification-decision', FG, answers.decision(true, true, 'lekdicht'));
    await h.complete(breachId, 'authority-notification', FG, answers.authorityNotification());
    // What `lekdicht recipients upload` does: the list into the register, then the task completed.
    await h.openTask(breachId, 'recipient-list');
    expect(h.register.addRecipients(breachId, people)).toEqual({ added: 3, duplicates: 0 });
    await h.complete(breachId, 'recipient-list', COMMS, { uploaded: 3 });
    await h.waitForPhase(breachId, 'aftercare');
  }, 120_000);
  afterAll(() => h?.close());

  it('emails each person the art. 34 letter in their language, with the FG as contact and advice for a BSN', () => {
    const anna = h.mailbox.to('anna@example.org');
    expect(anna).toHaveLength(1);
    expect(anna[0]?.text).toContain('Anna de Wit');
    expect(anna[0]?.text).toContain('fg@test.example');
    expect(anna[0]?.text).toContain('Centraal Meldpunt Identiteitsfraude');
    expect(anna[0]?.text).toContain('Risk of identity fraud.');
    const bas = h.mailbox.to('bas@example.org');
    expect(bas).toHaveLength(1);
    expect(bas[0]?.text).toContain('identity fraud (CMI)');
    expect(bas[0]?.text).toContain('data protection officer, fg@test.example');
    expect(bas[0]?.text).not.toContain('Wees alert');
  });

  it('records the notification once, meets the data-subjects deadline, and sets postal-only people aside for print', async () => {
    const view = await eventually(async () => {
      const v = await h.view(breachId);
      return v.deadlines.find((d) => d.kind === 'data-subjects')?.status === 'met' ? v : undefined;
    }, 'data-subjects deadline met');
    expect(view.notifications.filter((n) => n.to === 'data-subjects')).toEqual([expect.objectContaining({ channel: 'email', late: false })]);
    expect(view.facts.dataSubjects).toMatchObject({ total: 3, sent: 2, toPrint: 1, failed: 0 });
    expect(h.register.recipientCounts(breachId)).toMatchObject({ sent: 2, toPrint: 1 });
    expect(h.register.breach(breachId)?.data_subjects_notified_at).toBeTruthy();
  });
});
