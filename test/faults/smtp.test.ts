import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageIdFor } from '../../activities/email';
import { signal } from '../support/answers';
import { CISO, FG, FG_DEPUTY, ICT, PROCESS_OWNER } from '../support/people';
import { FaultRig } from './support/rig';
import { ALL_TASKS, FAST_TIMING, walkBreach } from './support/walk';

/** Every message the register says was sent arrived, and the server never got two different messages under one id. */
async function expectEveryEmailOnce(rig: FaultRig, breachId: string): Promise<void> {
  expect(rig.smtp.conflicts()).toEqual([]);
  const registered = (await rig.register.emails(breachId)).map((e) => e.message_id).sort();
  const received = rig.smtp
    .distinct()
    .filter((m) => m.subject.startsWith(`[${breachId}]`))
    .map((m) => m.messageId)
    .sort();
  expect(received).toEqual(registered);
  for (const e of await rig.register.emails(breachId))
    expect(e.message_id).toBe(messageIdFor(breachId, e.purpose, e.recipient));
}

describe('SMTP server answering 4xx for a while, then recovering', () => {
  let rig: FaultRig;
  let breachId: string;
  let outageUntil = 0;

  beforeAll(async () => {
    rig = await FaultRig.start({ timing: FAST_TIMING });
    // 451 to every recipient for 5 s: at the start, and again when containment begins.
    const outage = (ms: number) => (outageUntil = Date.now() + ms);
    rig.smtp.rcptFault = () =>
      Date.now() < outageUntil ? { code: 451, message: '4.3.0 Mail server temporarily unavailable' } : undefined;
    // And one message that the server stores but whose "250" never reaches lekdicht (answered 451): the retry
    // delivers it a second time, with the same Message-ID and the same content.
    let lost = false;
    rig.smtp.dataFault = (mail) => {
      if (lost || mail.purpose !== 'breach-confirmed' || !mail.to.includes(CISO)) return undefined;
      lost = true;
      return { code: 451, message: '4.4.2 Connection dropped', store: true };
    };
    outage(5_000);
    breachId = await rig.report(signal());
    await walkBreach(rig, breachId, async (step) => {
      if (step.taskId === 'containment-1') outage(5_000);
    });
  }, 300_000);

  afterAll(() => rig?.close());

  it('was refused for real, and the breach still closed with every task done', async () => {
    expect(rig.smtp.refusals.get(451)).toBeGreaterThan(3);
    const view = await rig.view(breachId);
    expect(view.phase).toBe('closed');
    expect(view.tasks.map((t) => t.id).sort()).toEqual(ALL_TASKS);
    expect(view.tasks.every((t) => t.status === 'done')).toBe(true);
    expect(view.timeline.filter((e) => e.kind === 'email-failed')).toEqual([]);
  });

  it('delivered every email once (by Message-ID), also the ones first refused', async () => {
    await expectEveryEmailOnce(rig, breachId);
    // The first emails were refused and retried: they arrived all the same, each once.
    expect(rig.smtp.withPurpose('task-assigned:triage').filter((m) => m.answered === 'ok')).toHaveLength(2);
    expect(
      rig.smtp
        .withPurpose('task-assigned:containment-1')
        .filter((m) => m.answered === 'ok')
        .map((m) => m.to),
    ).toEqual([[ICT]]);
    const attempts = await rig.register.emailAttempts(breachId);
    expect(attempts.find((a) => a.purpose === 'task-assigned:triage')!.attempts).toBeGreaterThan(1);
  });

  it('sent the message whose answer was lost twice, identical under its deterministic Message-ID: a reader deduplicates it', () => {
    const copies = rig.smtp.withPurpose('breach-confirmed').filter((m) => m.to.includes(CISO));
    expect(copies.length).toBe(2);
    expect(new Set(copies.map((c) => c.messageId))).toEqual(
      new Set([messageIdFor(breachId, 'breach-confirmed', CISO)]),
    );
    expect(new Set(copies.map((c) => `${c.subject}\n${c.text}`)).size).toBe(1);
    expect(
      rig.smtp
        .distinct()
        .filter((m) => m.purpose === 'breach-confirmed')
        .flatMap((m) => m.to)
        .sort(),
    ).toEqual([CISO, FG, FG_DEPUTY, PROCESS_OWNER].sort());
  });
});

describe('SMTP server refusing for good (5xx)', () => {
  let rig: FaultRig;
  let breachId: string;

  beforeAll(async () => {
    rig = await FaultRig.start({ timing: FAST_TIMING });
    // ICT's mailbox does not exist (550 to RCPT TO), and the process owner's server rejects the breach
    // confirmation's content (554 to DATA) while the FG and the CISO get it.
    rig.smtp.rcptFault = (address) => (address === ICT ? { code: 550, message: '5.1.1 User unknown' } : undefined);
    rig.smtp.dataFault = (mail) =>
      mail.purpose === 'breach-confirmed' && mail.to.includes(PROCESS_OWNER)
        ? { code: 554, message: '5.7.1 Message rejected' }
        : undefined;
    breachId = await rig.report(signal());
    await walkBreach(rig, breachId);
  }, 300_000);

  afterAll(() => rig?.close());

  it('does not retry a refused email, and the breach goes on and closes', async () => {
    const view = await rig.view(breachId);
    expect(view.phase).toBe('closed');
    expect(view.tasks.every((t) => t.status === 'done')).toBe(true);
    // Each refused message was tried once: no retry loop against a 5xx.
    const attempts = (await rig.register.emailAttempts(breachId)).filter(
      (a) => a.recipient === ICT || a.purpose === 'breach-confirmed',
    );
    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts.every((a) => a.attempts === 1)).toBe(true);
    expect(rig.smtp.refusals.get(554)).toBe(1);
    expect(rig.smtp.refusals.get(550)).toBe(
      (await rig.register.emailFailures(breachId)).filter((f) => f.recipient === ICT).length,
    );
  });

  it('records each refusal in the register, with the recipient and the SMTP code', async () => {
    const failures = await rig.register.emailFailures(breachId);
    expect(failures.map((f) => [f.purpose, f.recipient, f.code])).toEqual(
      expect.arrayContaining([
        ['breach-confirmed', PROCESS_OWNER, '554 DATA'],
        ['task-assigned:containment-1', ICT, '550 RCPT TO'],
        ['task-assigned:improvement-1', ICT, '550 RCPT TO'],
      ]),
    );
    expect((await rig.register.emails(breachId)).some((e) => e.recipient === ICT)).toBe(false);
    await expectEveryEmailOnce(rig, breachId);
  });

  it('tells the responders: the case timeline (breach page, `lekdicht show`) and the Temporal UI say which email did not arrive', async () => {
    const view = await rig.view(breachId);
    const failed = view.timeline.filter((e) => e.kind === 'email-failed');
    expect(failed.map((e) => e.text)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Email "breach-confirmed" could not be delivered to 1 recipient\(s\): the mail server refused it for good \(554 DATA\)/,
        ),
        expect.stringMatching(
          /^Email "task-assigned:containment-1" could not be delivered to 1 recipient\(s\).*550 RCPT TO/,
        ),
      ]),
    );
    // No address in what the workflow keeps or shows: the register has who.
    expect(JSON.stringify(failed)).not.toContain('@');
    // The partly delivered confirmation is on the timeline as sent too.
    expect(
      view.timeline.some(
        (e) => e.kind === 'email-sent' && e.text.startsWith('Email "breach-confirmed" sent to 3 recipient(s)'),
      ),
    ).toBe(true);
    expect((await rig.register.events(breachId)).filter((e) => e.kind === 'email-failed').length).toBe(failed.length);
    const meta = await rig.client.workflow
      .getHandle(`${breachId}.containment`)
      .query<{ currentDetails: string }>('__temporal_workflow_metadata');
    expect(meta.currentDetails).toContain('**Undelivered email (see timeline):** task-assigned:containment-1');
  });

  it('emails the FG (and deputy) about each refused email, once, without naming the address', async () => {
    const told = rig.smtp.distinct().filter((m) => m.purpose.startsWith('email-undelivered:'));
    const refusedPurposes = [...new Set((await rig.register.emailFailures(breachId)).map((f) => f.purpose))].sort();
    expect(refusedPurposes.length).toBeGreaterThanOrEqual(3);
    expect([...new Set(told.map((m) => m.purpose.slice('email-undelivered:'.length)))].sort()).toEqual(refusedPurposes);
    for (const purpose of refusedPurposes) {
      expect(
        told
          .filter((m) => m.purpose === `email-undelivered:${purpose}`)
          .flatMap((m) => m.to)
          .sort(),
      ).toEqual([FG, FG_DEPUTY].sort());
    }
    for (const mail of told) {
      expect(mail.subject).toContain(breachId);
      expect(mail.text).toMatch(/definitief geweigerd \((550 RCPT TO|554 DATA)\)/);
      expect(mail.text).not.toContain(ICT);
      expect(mail.text).not.toContain(PROCESS_OWNER);
    }
    expect(new Set(told.map((m) => m.messageId)).size).toBe(told.length);
  });
});
