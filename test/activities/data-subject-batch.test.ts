import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import nodemailer from 'nodemailer';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createDataSubjectActivities,
  DEFAULT_CONCURRENCY,
  MARK_FLUSH_MS,
  MARK_GROUP,
  type DataSubjectBatchResult,
} from '../../activities/data-subjects';
import { messageIdFor } from '../../activities/email';
import { renderDataSubjectLetter, type DataSubjectLetter } from '../../domain/letters';
import { BreachRegister } from '../../register/store';
import { FaultySmtp } from '../faults/support/smtp';
import { ENGINES, TestDatabases } from '../support/engines';

const BREACH = 'breach-00112233445566778899';
const letter: DataSubjectLetter = {
  organisation: 'Testgemeente',
  breachId: BREACH,
  nature: 'Een bestand met namen en adressen is naar een verkeerd e-mailadres gestuurd.',
  consequences: 'Iemand zou uw gegevens kunnen misbruiken voor phishing.',
  measures: 'De ontvanger heeft het bestand verwijderd.',
  contactPoint: 'Fenna FG, fg@test.example',
  advice: ['Wees alert op phishing.'],
  byLanguage: { en: { measures: 'The recipient deleted the file.', advice: ['Watch out for phishing.'] } },
};

/**
 * The batch of letters writes the register a group at a time (activities/data-subjects.ts): tries counted before a
 * group goes out, "sent" marks written a group at a time. Here the batch runs in the SDK's activity environment
 * against a real SMTP server and a real SQLite register, which the SMTP server reads (another connection, as a
 * backup or an auditor would) at the moment each letter reaches it.
 */
describe('a batch of letters to the people affected, the register written per group', () => {
  let smtp: FaultySmtp;
  let path: string;
  let register: BreachRegister;
  let reader: Database.Database;
  let transport: nodemailer.Transporter;

  beforeEach(async () => {
    smtp = new FaultySmtp();
    const port = await smtp.start();
    path = join(mkdtempSync(join(tmpdir(), 'lekdicht-letter-batch-')), 'register.db');
    register = await BreachRegister.open(path);
    reader = new Database(path, { readonly: true });
    transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port,
      secure: false,
      pool: true,
      maxConnections: DEFAULT_CONCURRENCY,
      ignoreTLS: true,
    });
  });

  afterEach(async () => {
    transport.close();
    reader.close();
    await register.close();
    await smtp.stop();
  });

  const people = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      name: `Persoon ${i + 1}`,
      email: `p${i + 1}@letters.example`,
      language: i % 3 === 0 ? ('en' as const) : ('nl' as const),
    }));
  const batch = (batchSize: number, tuning: { markFlushMs?: number } = {}) => {
    const activities = createDataSubjectActivities({
      register,
      transport,
      from: 'lekdicht <datalek@test.example>',
      organisation: 'Testgemeente',
      ...tuning,
    });
    return new MockActivityEnvironment().run(
      (input: Parameters<typeof activities.sendDataSubjectBatch>[0]) => activities.sendDataSubjectBatch(input),
      { breachId: BREACH, letter, batchSize },
    );
  };
  const triesOf = (messageId: string) =>
    (
      reader.prepare('SELECT attempts FROM email_attempts WHERE message_id = ?').get(messageId) as
        { attempts: number } | undefined
    )?.attempts ?? 0;
  const markedSent = () =>
    (reader.prepare("SELECT count(*) AS n FROM recipients WHERE status = 'sent'").get() as { n: number }).n;
  const answered = () => smtp.mails.filter((m) => m.answered === 'ok');

  it('emails nobody whose try is not yet counted, and sends each person the same letter as before', async () => {
    await register.addRecipients(BREACH, [...people(130), { name: 'Per Post', address: 'Dorpsstraat 1, Ergens' }]);
    const uncounted: string[] = [];
    smtp.dataFault = (mail) => {
      if (triesOf(mail.messageId) < 1) uncounted.push(mail.messageId);
      return undefined;
    };
    const result = await batch(500);
    expect(uncounted).toEqual([]);
    expect(result).toMatchObject({ sent: 130, failed: 0, toPrint: 1, remaining: 0 });
    expect(await register.recipientCounts(BREACH)).toEqual({
      total: 131,
      pending: 0,
      sent: 130,
      failed: 0,
      toPrint: 1,
    });
    // Each person once, under the deterministic Message-ID, with the letter in their language and their name.
    expect(smtp.mails).toHaveLength(130);
    for (const person of people(130)) {
      const mails = smtp.mails.filter((m) => m.to.includes(person.email));
      expect(mails.map((m) => m.messageId)).toEqual([messageIdFor(BREACH, 'data-subject', person.email)]);
      const expected = renderDataSubjectLetter(letter, person.language, person.name);
      expect(mails[0]!.subject).toBe(expected.subject);
      expect(`${mails[0]!.text.trimEnd()}\n`).toBe(expected.text);
    }
    for (const row of await register.recipients(BREACH, 'sent'))
      expect(row.message_id).toBe(messageIdFor(BREACH, 'data-subject', row.email!));
  });

  /**
   * At every letter's arrival at the server: how many letters it accepted that the register does not have as sent
   * (a worker killed at that moment would send exactly those again). From the `quietFrom`th letter on the server
   * answers nothing: every lane waits on a letter that never gets an answer.
   */
  const watchUnmarked = (quietFrom: number) => {
    const seen = { most: 0 };
    smtp.dataFault = () => {
      seen.most = Math.max(seen.most, answered().length - markedSent());
      return smtp.mails.length >= quietFrom - 1 ? 'hang' : undefined;
    };
    return seen;
  };
  const everyoneOnce = () => {
    const perPerson = new Map<string, number>();
    for (const mail of answered()) for (const to of mail.to) perPerson.set(to, (perPerson.get(to) ?? 0) + 1);
    return { people: perPerson.size, notOnce: [...perPerson.values()].filter((n) => n !== 1).length };
  };

  it(`leaves at most ${MARK_GROUP + DEFAULT_CONCURRENCY - 1} accepted letters unmarked at any moment (a group and the letters in flight)`, async () => {
    await register.addRecipients(BREACH, people(150));
    // The flush timer out of the way: only the group's size bounds the outcomes waiting.
    const seen = watchUnmarked(97);
    const running = batch(500, { markFlushMs: 60_000 }).catch((err: unknown) => err as Error);
    while (smtp.mails.length < 96 + DEFAULT_CONCURRENCY) await sleep(5);
    // Outcomes do wait for their group (one write per group, not per letter) …
    expect(seen.most).toBeGreaterThanOrEqual(MARK_GROUP - DEFAULT_CONCURRENCY);
    // … but never more than a group and the letters in flight.
    expect(seen.most).toBeLessThanOrEqual(MARK_GROUP + DEFAULT_CONCURRENCY - 1);
    // The hanging letters answered 421: a transient failure, the batch fails to be retried, with what the server
    // accepted marked sent.
    smtp.release();
    expect(await running).toBeInstanceOf(Error);
    expect(await register.recipientCounts(BREACH)).toMatchObject({ sent: 96, pending: 54 });
    expect(await batch(500)).toMatchObject({ sent: 54, remaining: 0 });
    expect(everyoneOnce()).toEqual({ people: 150, notOnce: 0 });
  });

  it(`writes an accepted letter's mark within ${MARK_FLUSH_MS} ms, also while every other letter hangs`, async () => {
    await register.addRecipients(BREACH, people(150));
    watchUnmarked(97);
    const running = batch(500).catch((err: unknown) => err as Error);
    while (smtp.mails.length < 96 + DEFAULT_CONCURRENCY) await sleep(5);
    // Nothing is in flight but the hanging letters, and no group is full: the ones accepted are written all the same.
    await sleep(MARK_FLUSH_MS + 200);
    expect(answered()).toHaveLength(96);
    expect(markedSent()).toBe(96);
    smtp.release();
    expect(await running).toBeInstanceOf(Error);
    expect(await batch(500)).toMatchObject({ sent: 54, remaining: 0 });
    expect(everyoneOnce()).toEqual({ people: 150, notOnce: 0 });
  });

  it('stops before anyone is emailed when the register is locked, and sends everyone once it is free', async () => {
    await register.addRecipients(BREACH, people(30));
    // A backup job holds the register's write lock longer than its busy timeout (5 s).
    const other = new Database(path);
    other.exec('BEGIN EXCLUSIVE');
    await expect(batch(500)).rejects.toMatchObject({ code: expect.stringMatching(/^SQLITE_BUSY/) });
    other.exec('COMMIT');
    other.close();
    expect(smtp.mails).toEqual([]);
    expect(await register.recipientCounts(BREACH)).toMatchObject({ pending: 30, sent: 0 });
    expect(await batch(500)).toMatchObject({ sent: 30, remaining: 0 });
    expect(smtp.mails).toHaveLength(30);
  }, 30_000);
});

describe.each(ENGINES)('a batch of letters with the register on %s', (engine) => {
  const databases = new TestDatabases();
  afterAll(() => databases.stop());

  it('sends everyone one letter in batches, with one counted try each, a refusal marked failed', async () => {
    const smtp = new FaultySmtp();
    const port = await smtp.start();
    // On PostgreSQL every register write is a round trip: the lanes go on sending while a group is written.
    const register = await BreachRegister.open((await databases.fresh(engine))('register'));
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port,
      secure: false,
      pool: true,
      maxConnections: DEFAULT_CONCURRENCY,
      ignoreTLS: true,
    });
    try {
      const n = 600;
      await register.addRecipients(BREACH, [
        ...Array.from({ length: n }, (_, i) => ({ name: `Persoon ${i + 1}`, email: `p${i + 1}@letters.example` })),
        { name: 'Per Post', address: 'Dorpsstraat 1, Ergens' },
      ]);
      smtp.rcptFault = (address) =>
        address === 'p7@letters.example' ? { code: 550, message: '5.1.1 User unknown' } : undefined;
      const activities = createDataSubjectActivities({
        register,
        transport,
        from: 'lekdicht <datalek@test.example>',
        organisation: 'Testgemeente',
      });
      const send = (input: Parameters<typeof activities.sendDataSubjectBatch>[0]) =>
        activities.sendDataSubjectBatch(input);
      const results: DataSubjectBatchResult[] = [];
      for (let remaining = n + 1; remaining > 0;) {
        type Input = Parameters<typeof activities.sendDataSubjectBatch>;
        const result = await new MockActivityEnvironment().run<Input, DataSubjectBatchResult, typeof send>(send, {
          breachId: BREACH,
          letter,
          batchSize: 250,
        });
        results.push(result);
        remaining = result.remaining;
      }
      expect(results.map((r) => [r.sent, r.failed, r.toPrint, r.remaining])).toEqual([
        [249, 1, 0, 351],
        [250, 0, 0, 101],
        [100, 0, 1, 0],
      ]);
      expect(await register.recipientCounts(BREACH)).toEqual({
        total: n + 1,
        pending: 0,
        sent: n - 1,
        failed: 1,
        toPrint: 1,
      });
      const perPerson = new Map<string, number>();
      for (const mail of smtp.mails) for (const to of mail.to) perPerson.set(to, (perPerson.get(to) ?? 0) + 1);
      expect(perPerson.size).toBe(n - 1);
      expect([...perPerson.values()].filter((c) => c !== 1)).toEqual([]);
      const tries = await register.emailAttempts(BREACH);
      expect(tries).toHaveLength(n);
      expect(tries.filter((t) => t.attempts !== 1)).toEqual([]);
      const [refused] = await register.recipients(BREACH, 'failed');
      expect(refused).toMatchObject({ email: 'p7@letters.example', message_id: null });
      expect(refused!.error).toContain('User unknown');
      for (const row of await register.recipients(BREACH, 'sent'))
        expect(row.message_id).toBe(messageIdFor(BREACH, 'data-subject', row.email!));
    } finally {
      transport.close();
      await register.close();
      await smtp.stop();
    }
  });
});
