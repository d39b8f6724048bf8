import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailRoles, messageIdFor, recipientsFor } from '../../activities/email';
import { renderNotice } from '../../activities/email-templates';
import { BreachRegister } from '../../register/store';
import { LocalTicketSystem } from '../../activities/tickets';
import { directorySchema, mayActFor } from '../../domain/roles';
import { PRACTICE_NOT_SENT, PRACTICE_NOTICE } from '../../domain/practice';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createDataSubjectActivities } from '../../activities/data-subjects';
import type { DataSubjectLetter } from '../../domain/letters';
import { EXAMPLE_CONFIG, loadConfig } from '../../config/load';
import type { Notice } from '../../domain/notices';
import { Mailbox } from '../support/mailbox';
import { CISO, COMMS, directory as testDirectory, FG, FG_DEPUTY, ICT, SPONSOR } from '../support/people';

const directory = directorySchema.parse(testDirectory);
const tempRegister = async () =>
  await BreachRegister.open(join(mkdtempSync(join(tmpdir(), 'lekdicht-reg-')), 'register.db'));

describe('emails to roles over real SMTP', () => {
  const mailbox = new Mailbox();
  let register: BreachRegister;
  let port: number;
  beforeAll(async () => {
    port = await mailbox.start();
    register = await tempRegister();
  });
  afterAll(async () => {
    await register.close();
    await mailbox.stop();
  });

  const deps = () => ({
    transport: nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true }),
    register,
    from: 'lekdicht <lekdicht@test.example>',
    language: 'nl' as const,
    organisation: 'Testgemeente',
    directory: () => directory,
  });

  it('sends once per recipient with a deterministic Message-ID; a retry sends nothing twice', async () => {
    const request = {
      breachId: 'breach-aaaa',
      purpose: 'deadline-missed',
      roles: ['fg' as const, 'executive-sponsor' as const],
      notice: { kind: 'deadline-missed', deadline: '2026-12-01T09:30:00Z' } as Notice,
    };
    const first = await emailRoles(deps(), request);
    expect([...first.sent].sort()).toEqual([FG, FG_DEPUTY, SPONSOR].sort());
    const retry = await emailRoles(deps(), request);
    expect(retry).toEqual({ sent: [], skipped: first.sent });
    expect(mailbox.mails).toHaveLength(3);
    expect(mailbox.to(SPONSOR)[0]?.messageId).toBe(messageIdFor('breach-aaaa', 'deadline-missed', SPONSOR));
    expect((await register.emails('breach-aaaa')).map((e) => e.recipient).sort()).toEqual(
      [FG, FG_DEPUTY, SPONSOR].sort(),
    );
  });

  it('in practice mode every email says so: [OEFENING] before the subject, the practice line first in the body', async () => {
    await emailRoles(
      { ...deps(), practice: true, publicUrl: 'https://lekdicht.test' },
      {
        breachId: 'breach-practice',
        purpose: 'task-assigned:triage',
        roles: ['ciso'],
        notice: { kind: 'task-assigned', taskId: 'triage', taskKind: 'triage', due: '2026-11-28T13:30:00Z' },
      },
    );
    const [mail] = mailbox.to(CISO).filter((m) => m.subject.includes('breach-practice'));
    expect(mail?.subject).toMatch(/^\[OEFENING\] \[breach-practice\] Nieuwe taak: /);
    expect(mail?.text.split('\n')[0]).toBe(PRACTICE_NOTICE.nl);
    expect(mail?.text).toContain('https://lekdicht.test/breaches/breach-practice/tasks/triage');
    // Without practice mode: no marker.
    await emailRoles(deps(), {
      breachId: 'breach-real',
      purpose: 'breach-closed',
      roles: ['ciso'],
      notice: { kind: 'breach-closed' },
    });
    const [real] = mailbox.to(CISO).filter((m) => m.subject.includes('breach-real'));
    expect(real?.subject.startsWith('[breach-real]')).toBe(true);
    expect(real?.text).not.toContain('OEFENING');
  });

  it('fails the attempt when the SMTP server is unreachable, recording nothing as sent', async () => {
    const down = {
      ...deps(),
      transport: nodemailer.createTransport({ host: '127.0.0.1', port: 1, connectionTimeout: 2000 }),
    };
    await expect(
      emailRoles(down, { breachId: 'breach-bbbb', purpose: 'x', roles: ['ciso'], notice: { kind: 'breach-closed' } }),
    ).rejects.toThrow();
    expect(await register.emails('breach-bbbb')).toEqual([]);
  });
});

describe('recipients', () => {
  it('adds the deputies of the role holders when escalating', () => {
    expect(recipientsFor(directory, { roles: ['ict'] }).map((p) => p.email)).toEqual([ICT]);
    expect(recipientsFor(directory, { roles: ['ict'], escalateFrom: 'ict' }).map((p) => p.email)).toEqual([ICT, CISO]);
    expect(recipientsFor(directory, { roles: ['communications', 'kcc'] }).map((p) => p.email)).toEqual([COMMS]);
  });
});

describe('deputies of the example directory', () => {
  // The walk of issue 13 ran on config/example.yaml: its deputy FG got every FG task the moment it opened.
  const example = loadConfig({}, EXAMPLE_CONFIG).directory;
  const FENNA = 'fg@voorbeeld.nl';
  const DAAN = 'fg.plv@voorbeeld.nl';

  it("sends a new FG task to the FG alone; the deputy FG gets the escalation and may act on the FG's tasks", () => {
    expect(recipientsFor(example, { roles: ['fg'] }).map((p) => p.email)).toEqual([FENNA]);
    expect(recipientsFor(example, { roles: ['fg'], escalateFrom: 'fg' }).map((p) => p.email)).toEqual([FENNA, DAAN]);
    expect(mayActFor(example, 'fg', DAAN)).toBe(true);
    // Every role's new task goes to its holders only, never to a deputy.
    for (const role of ['ciso', 'process-owner', 'ict', 'legal', 'communications', 'executive-sponsor'] as const) {
      const holders = recipientsFor(example, { roles: [role] });
      expect(holders.length).toBeGreaterThan(0);
      expect(holders.every((p) => p.roles.includes(role))).toBe(true);
    }
  });

  it("refuses a person without a role who is nobody's deputy, naming the entry", () => {
    const stray = [...example, { name: 'Niemand', email: 'niemand@voorbeeld.nl', roles: [] }];
    const result = directorySchema.safeParse(stray);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({
      path: [example.length, 'roles'],
      message: "a person needs at least one role, or to be someone's deputy",
    });
  });
});

describe('links in the emails', () => {
  const ID = 'breach-0123456789abcdef0123';
  const assigned: Notice = {
    kind: 'task-assigned',
    taskId: 'containment-1',
    taskKind: 'containment',
    due: '2026-11-28T13:30:00Z',
  };
  const overdue: Notice = {
    kind: 'task-overdue',
    taskId: 'containment-1',
    taskKind: 'containment',
    due: '2026-11-28T13:30:00Z',
  };
  const options = { publicUrl: 'https://lekdicht.voorbeeld.nl/' };

  it.each([assigned, overdue])('$kind links to the task page first, the CLI command second (nl, en)', (notice) => {
    const nl = renderNotice(ID, notice, 'nl', 'T', options).text;
    const page = nl.indexOf(`https://lekdicht.voorbeeld.nl/breaches/${ID}/tasks/containment-1\n`);
    expect(page).toBeGreaterThan(0);
    expect(nl.indexOf(`npx lekdicht task complete ${ID} containment-1`)).toBeGreaterThan(page);
    const en = renderNotice(ID, notice, 'en', 'T', options).text;
    const enPage = en.indexOf(`https://lekdicht.voorbeeld.nl/breaches/${ID}/tasks/containment-1?lang=en`);
    expect(enPage).toBeGreaterThan(0);
    expect(en.indexOf(`npx lekdicht task complete ${ID} containment-1`)).toBeGreaterThan(enPage);
  });

  const caseNotices: Notice[] = [
    assigned,
    { kind: 'deadline-missed', deadline: '2026-12-01T09:30:00Z' },
    { kind: 'breach-closed' },
  ];
  it.each(caseNotices)('$kind ends with the case page, then the CLI line', (notice) => {
    const { text } = renderNotice(ID, notice, 'nl', 'T', options);
    const page = text.indexOf(`Bekijk de zaak: https://lekdicht.voorbeeld.nl/breaches/${ID}\n`);
    expect(page).toBeGreaterThan(0);
    expect(text.indexOf(`Of op de opdrachtregel: npx lekdicht show ${ID}`)).toBeGreaterThan(page);
  });

  it('marks the English email as practice in English', () => {
    const { subject, text } = renderNotice(ID, { kind: 'breach-closed' }, 'en', 'T', { ...options, practice: true });
    expect(subject).toBe(`[PRACTICE] [${ID}] Breach closed`);
    expect(text.startsWith(PRACTICE_NOTICE.en)).toBe(true);
  });
});

describe('email texts', () => {
  const notices: Notice[] = [
    { kind: 'task-assigned', taskId: 'triage', taskKind: 'triage', due: '2026-11-28T13:30:00Z' },
    { kind: 'task-overdue', taskId: 'containment-1', taskKind: 'containment', due: '2026-11-28T13:30:00Z' },
    { kind: 'breach-confirmed', awareAt: '2026-11-28T09:30:00Z', deadline: '2026-12-01T09:30:00Z' },
    { kind: 'deadline-reminder', deadline: '2026-12-01T09:30:00Z', hoursLeft: 12 },
    { kind: 'deadline-missed', deadline: '2026-12-01T09:30:00Z' },
    { kind: 'email-undelivered', purpose: 'task-assigned:impact', failed: 1, codes: ['550 RCPT TO'] },
    { kind: 'security-incident-closed' },
    { kind: 'breach-closed' },
    {
      kind: 'run-ended-outside',
      workflowId: 'breach-0123456789abcdef0123.notification',
      playbook: 'notification',
      status: 'TERMINATED',
      cause: 'operator',
      endedAt: '2026-11-28T10:00:00Z',
      noticedAt: '2026-11-28T10:01:00Z',
      deadline: '2026-12-01T09:30:00Z',
    },
    {
      kind: 'run-ended-outside',
      workflowId: 'breach-0123456789abcdef0123',
      playbook: 'breach',
      status: 'NOT_FOUND',
      cause: 'history-gone',
      noticedAt: '2026-11-28T10:01:00Z',
    },
  ];

  it.each(notices)('renders $kind in Dutch and English with the breach id in the subject', (notice) => {
    for (const language of ['nl', 'en'] as const) {
      const { subject, text } = renderNotice('breach-0123456789abcdef0123', notice, language, 'Testgemeente');
      expect(subject.startsWith('[breach-0123456789abcdef0123] ')).toBe(true);
      expect(text).toContain('npx lekdicht show breach-0123456789abcdef0123');
      expect(text).not.toMatch(/undefined|NaN|Invalid Date/);
    }
  });

  it('tells the FG which run ended outside lekdicht, the deadline nobody watches and what to do', () => {
    const notice: Notice = {
      kind: 'run-ended-outside',
      workflowId: 'breach-x.notification',
      playbook: 'notification',
      status: 'TERMINATED',
      cause: 'history-size-limit',
      endedAt: '2026-11-28T10:00:00Z',
      noticedAt: '2026-11-28T10:01:00Z',
      deadline: '2026-12-01T09:30:00Z',
    };
    const nl = renderNotice('breach-x', notice, 'nl', 'T');
    expect(nl.subject).toBe('[breach-x] Datalek-workflow buiten lekdicht beëindigd: notification');
    expect(nl.text).toContain('beëindigd (terminated) (history-size-limit)');
    expect(nl.text).toContain(
      'Uiterste meldtermijn AP (72 uur): dinsdag 1 december 2026 om 10:30 CET. Deze termijn wordt NIET meer bewaakt',
    );
    expect(nl.text).toContain('temporal workflow reset --workflow-id breach-x');
    expect(nl.text).toContain('handel het datalek met de hand af');
    const en = renderNotice('breach-x', { ...notice, authorityNotifiedAt: '2026-11-29T08:00:00Z' }, 'en', 'T');
    expect(en.subject).toBe('[breach-x] Breach workflow ended outside lekdicht: notification');
    expect(en.text).toContain('The register says the authority was notified at');
    // The breach ended, its notification playbook still runs: the deadline is still watched, the case is not.
    const clock = renderNotice(
      'breach-x',
      { ...notice, workflowId: 'breach-x', playbook: 'breach', clockRunning: true },
      'en',
      'T',
    );
    expect(clock.text).toContain(
      'The notification-deadline playbook still runs: reminders and escalation for this deadline go on',
    );
    expect(clock.text).not.toContain('NO LONGER watched');
    const { deadline: _deadline, ...withoutDeadline } = notice;
    const untriaged = renderNotice('breach-x', withoutDeadline, 'nl', 'T');
    expect(untriaged.text).toContain('De meldtermijn is nog niet vastgesteld (triage niet afgerond)');
  });

  it('shows times in Europe/Amsterdam and names the legal basis', () => {
    const { text } = renderNotice(
      'breach-x',
      { kind: 'breach-confirmed', awareAt: '2026-11-28T09:30:00Z', deadline: '2026-12-01T09:30:00Z' },
      'nl',
      'T',
    );
    expect(text).toContain('dinsdag 1 december 2026 om 10:30 CET');
    expect(
      renderNotice('breach-x', { kind: 'deadline-missed', deadline: '2026-12-01T09:30:00Z' }, 'en', 'T').text,
    ).toContain('GDPR art. 33(1)');
  });
});

describe('register: runs ended outside lekdicht', () => {
  const run = {
    breachId: 'breach-1',
    workflowId: 'breach-1.notification',
    runId: 'r1',
    playbook: 'notification',
    status: 'TERMINATED',
    cause: 'operator',
    endedAt: '2026-11-28T10:00:00Z',
  };

  it('one claim per ended run across connections (two worker processes), marking the breach row once', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'lekdicht-reg-ended-')), 'register.db');
    const [a, b] = [await BreachRegister.open(path), await BreachRegister.open(path)];
    await a.patchBreach('breach-1', { source: 'dlp', phase: 'first-picture', opened_at: '2026-11-28T09:00:00Z' });
    expect([await a.claimEndedRun(run, 'watch-a'), await b.claimEndedRun(run, 'watch-b')]).toEqual([true, false]);
    expect(await a.breach('breach-1')).toMatchObject({
      ended_outside_status: 'TERMINATED',
      ended_outside_run: 'breach-1.notification',
      ended_outside_cause: 'operator',
    });
    // A later run of the same breach (the breach failing because of it) is claimed too, but the row keeps the first.
    expect(
      await b.claimEndedRun(
        {
          ...run,
          workflowId: 'breach-1',
          runId: 'r0',
          playbook: 'breach',
          status: 'FAILED',
          cause: 'failed:child-workflow',
        },
        'watch-b',
      ),
    ).toBe(true);
    expect((await a.breach('breach-1'))?.ended_outside_run).toBe('breach-1.notification');
    expect((await a.events('breach-1')).filter((e) => e.kind === 'ended-outside-lekdicht')).toHaveLength(2);
    expect((await a.openBreaches()).map((r) => r.breach_id)).toEqual(['breach-1']);
    await a.close();
    await b.close();
  });

  it('one watch at a time holds the right to email; a failed send gives it back, an expired lease is taken over', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'lekdicht-reg-lease-')), 'register.db');
    const [a, b] = [await BreachRegister.open(path), await BreachRegister.open(path)];
    await a.claimEndedRun(run, 'watch-a');
    const soon = '2026-11-28T10:05:00Z';
    const later = '2026-11-28T10:20:00Z';
    expect(await a.leaseEndedRun(run.workflowId, run.runId, 'watch-a', later, soon)).toBe(true);
    expect(await b.leaseEndedRun(run.workflowId, run.runId, 'watch-b', later, soon)).toBe(false);
    expect(await b.endedRunsToNotify(soon)).toEqual([]);
    await a.endedRunNotifyFailed(run.workflowId, run.runId, 'watch-a', 'SmtpTransientFailure');
    expect(await b.endedRunsToNotify(soon)).toHaveLength(1);
    expect(await b.leaseEndedRun(run.workflowId, run.runId, 'watch-b', '2026-11-28T10:10:00Z', soon)).toBe(true);
    // watch-b died while sending: after its lease watch-a takes over; watch-b's late word no longer counts.
    expect(await a.leaseEndedRun(run.workflowId, run.runId, 'watch-a', later, '2026-11-28T10:11:00Z')).toBe(true);
    await b.endedRunNotified(run.workflowId, run.runId, 'watch-b');
    expect((await a.endedRuns('breach-1'))[0]).toMatchObject({
      notified_at: null,
      notify_attempts: 3,
      notify_lease_by: 'watch-a',
    });
    await a.endedRunNotified(run.workflowId, run.runId, 'watch-a');
    expect(await a.endedRunsToNotify('2027-01-01T00:00:00Z')).toEqual([]);
    expect(await a.leaseEndedRun(run.workflowId, run.runId, 'watch-a', later, '2027-01-01T00:00:00Z')).toBe(false);
    await a.close();
    await b.close();
  });

  it('clears the breach row when the breach runs again, keeping the ended runs', async () => {
    const register = await BreachRegister.open(':memory:');
    await register.patchBreach('breach-1', { source: 'dlp', phase: 'first-picture' });
    await register.claimEndedRun({ ...run, workflowId: 'breach-1', playbook: 'breach' }, 'watch-a');
    expect(await register.clearEndedOutside('breach-1', 'r2')).toBe(true);
    expect(await register.breach('breach-1')).toMatchObject({ ended_outside_at: null, ended_outside_status: null });
    expect(await register.endedRuns('breach-1')).toHaveLength(1);
    expect(await register.clearEndedOutside('breach-1', 'r2')).toBe(false);
    await register.close();
  });
});

describe('register and tickets', () => {
  it('opens read-only for the HTTP service: reads what the worker wrote, also after the worker closed it, and never writes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lekdicht-reg-ro-'));
    const path = join(dir, 'register.db');
    await expect(BreachRegister.open(path, { readOnly: true })).rejects.toThrow();
    const writer = await BreachRegister.open(path);
    await writer.patchBreach('breach-1', { source: 'dlp', phase: 'triage' });
    const whileOpen = await BreachRegister.open(path, { readOnly: true });
    expect(await whileOpen.breach('breach-1')).toMatchObject({ phase: 'triage' });
    await writer.patchBreach('breach-1', { phase: 'containment' });
    expect(await whileOpen.breach('breach-1')).toMatchObject({ phase: 'containment' });
    await whileOpen.close();
    // The worker stopped cleanly: its WAL was checkpointed and removed; a reader still opens the register.
    await writer.close();
    expect(readdirSync(dir).sort()).toEqual(['register.db']);
    const reader = await BreachRegister.open(path, { readOnly: true });
    expect((await reader.breaches()).map((b) => [b.breach_id, b.phase])).toEqual([['breach-1', 'containment']]);
    await expect(reader.patchBreach('breach-1', { phase: 'closed' })).rejects.toThrow(/readonly/i);
    await reader.close();
  });

  it('upserts the breach row column by column and keeps events idempotent by key', async () => {
    const register = await tempRegister();
    await register.patchBreach('breach-1', { source: 'dlp', phase: 'triage' });
    await register.patchBreach('breach-1', { phase: 'closed', notification_late: true });
    expect(await register.breach('breach-1')).toMatchObject({ source: 'dlp', phase: 'closed', notification_late: 1 });
    const event = {
      key: 'breach#1',
      breach_id: 'breach-1',
      at: '2026-11-28T00:00:00Z',
      kind: 'phase',
      actor: null,
      text: 'Phase: triage',
    };
    await register.recordEvent(event);
    await register.recordEvent(event);
    await register.recordEvent({ ...event, breach_id: 'breach-2' });
    expect(await register.events('breach-1')).toHaveLength(1);
    expect(await register.events()).toHaveLength(2);
    await register.close();
  });

  it('opens one ticket per task, also when asked twice, and closes it', async () => {
    const register = await tempRegister();
    const tickets = new LocalTicketSystem(register);
    const request = {
      breachId: 'breach-1',
      taskId: 'triage',
      role: 'fg',
      title: 'Beoordeel',
      due: '2026-11-28T13:00:00Z',
    };
    const a = await tickets.open(request);
    const b = await tickets.open(request);
    expect(a).toEqual(b);
    await tickets.close('breach-1', 'triage', 'done');
    expect(await register.tickets('breach-1')).toEqual([
      expect.objectContaining({ ref: 'breach-1/triage', status: 'done' }),
    ]);
    await register.close();
  });
});

describe('letters to the people affected in practice mode', () => {
  const mailbox = new Mailbox();
  let register: BreachRegister;
  let transport: nodemailer.Transporter;
  const BREACH = 'breach-practice-letters';
  beforeAll(async () => {
    const port = await mailbox.start();
    register = await tempRegister();
    transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  });
  afterAll(async () => {
    transport.close();
    await register.close();
    await mailbox.stop();
  });

  it('go only to test addresses, marked as practice; a real or postal address in the register is never sent', async () => {
    // As if put in the register by hand or before practice was switched on: the upload would have refused them.
    await register.addRecipients(BREACH, [
      { name: 'Test Persoon', email: 'test@oefen.test', language: 'nl' },
      { name: 'Test Person', email: 'test@example.org', language: 'en' },
      { name: 'Echte Persoon', email: 'jan@gmail.com', language: 'nl' },
      { name: 'Post Persoon', address: 'Dorpsstraat 1, 1234 AB Ergens', language: 'nl' },
    ]);
    const activities = createDataSubjectActivities({
      register,
      transport,
      from: 'lekdicht <datalek@test.example>',
      organisation: 'Testgemeente',
      practice: true,
    });
    const letter: DataSubjectLetter = {
      organisation: 'Testgemeente',
      breachId: BREACH,
      nature: 'Een bestand is naar een verkeerd adres gestuurd.',
      consequences: 'Iemand zou uw gegevens kunnen zien.',
      measures: 'Het bestand is verwijderd.',
      contactPoint: 'Fenna FG, fg@test.example',
      advice: ['Wees alert op phishing.'],
    };
    const result = await new MockActivityEnvironment().run(
      (input: Parameters<typeof activities.sendDataSubjectBatch>[0]) => activities.sendDataSubjectBatch(input),
      { breachId: BREACH, letter, batchSize: 10 },
    );
    expect(result).toMatchObject({ sent: 2, failed: 2, toPrint: 0, remaining: 0 });
    expect(mailbox.mails.flatMap((m) => m.to).sort()).toEqual(['test@example.org', 'test@oefen.test']);
    const nl = mailbox.to('test@oefen.test')[0]!;
    expect(nl.subject.startsWith('[OEFENING] ')).toBe(true);
    expect(nl.text.startsWith(PRACTICE_NOTICE.nl)).toBe(true);
    const en = mailbox.to('test@example.org')[0]!;
    expect(en.subject.startsWith('[PRACTICE] ')).toBe(true);
    expect(en.text.startsWith(PRACTICE_NOTICE.en)).toBe(true);
    const held = (await register.recipients(BREACH, 'failed')).map((r) => [r.name, r.error]);
    expect(held).toEqual([
      ['Echte Persoon', PRACTICE_NOT_SENT],
      ['Post Persoon', PRACTICE_NOT_SENT],
    ]);
    expect(await register.recipients(BREACH, 'to-print')).toEqual([]);
  });
});
