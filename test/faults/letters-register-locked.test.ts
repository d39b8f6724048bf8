import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataSubjectActivities, type DataSubjectBatchResult } from '../../activities/data-subjects';
import { BreachRegister } from '../../register/store';
import type { DataSubjectLetter } from '../../domain/letters';
import { FaultySmtp } from './support/smtp';

const BREACH = 'breach-0123456789abcdef0123';
const PEOPLE = 200;
/** Longer than the register's 5 s busy timeout, so a plain write fails with SQLITE_BUSY. */
const LOCK_MS = 8_000;

const letter: DataSubjectLetter = {
  organisation: 'Testgemeente',
  breachId: BREACH,
  nature: 'Een bestand met namen en adressen is naar een verkeerd e-mailadres gestuurd.',
  consequences: 'Iemand zou uw gegevens kunnen misbruiken voor phishing.',
  measures: 'De ontvanger heeft het bestand verwijderd.',
  contactPoint: 'Fenna FG, fg@test.example',
  advice: ['Wees alert op phishing.'],
};

/**
 * The people affected are emailed in batches (workflows/data-subjects.ts); here the batch activity runs in the
 * SDK's activity environment against a real SMTP server and a real SQLite register, while another connection
 * takes the register's write lock at the worst moment: right after the SMTP server accepted a letter and before
 * it is marked sent. A failed batch is run again, as Temporal would retry it.
 */
describe('the register locked while the people affected are being emailed', () => {
  const smtp = new FaultySmtp();
  let register: BreachRegister;
  let path: string;
  let transport: nodemailer.Transporter;
  const attempts: (DataSubjectBatchResult | Error)[] = [];
  let locked = 0;

  beforeAll(async () => {
    const port = await smtp.start();
    path = join(mkdtempSync(join(tmpdir(), 'lekdicht-letters-lock-')), 'register.db');
    register = await BreachRegister.open(path);
    await register.addRecipients(
      BREACH,
      Array.from({ length: PEOPLE }, (_, i) => ({ name: `Persoon ${i + 1}`, email: `p${i + 1}@letters.example` })),
    );
    // At the 40th and the 120th letter, as the server accepts it, a backup job locks the register.
    smtp.dataFault = () => {
      const n = smtp.mails.length + 1;
      if (n === 40 || n === 120) {
        const other = new Database(path);
        other.exec('BEGIN EXCLUSIVE');
        locked += 1;
        setTimeout(() => {
          other.exec('COMMIT');
          other.close();
        }, LOCK_MS);
      }
      return undefined;
    };
    transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port,
      secure: false,
      pool: true,
      maxConnections: 5,
      tls: { rejectUnauthorized: false },
    });
    const activities = createDataSubjectActivities({
      register,
      transport,
      from: 'lekdicht <datalek@test.example>',
      organisation: 'Testgemeente',
    });
    const env = new MockActivityEnvironment();
    for (let attempt = 0; attempt < 10 && (await register.recipientCounts(BREACH)).pending > 0; attempt++) {
      try {
        attempts.push(
          await env.run(
            (input: Parameters<typeof activities.sendDataSubjectBatch>[0]) => activities.sendDataSubjectBatch(input),
            { breachId: BREACH, letter, batchSize: 500 },
          ),
        );
      } catch (err) {
        attempts.push(err as Error);
      }
    }
  }, 240_000);

  afterAll(async () => {
    transport?.close();
    await register?.close();
    await smtp.stop();
  });

  it('took the lock twice while letters were going out, and every person was marked sent in the end', async () => {
    expect(locked).toBe(2);
    expect(await register.recipientCounts(BREACH)).toMatchObject({ pending: 0, sent: PEOPLE, failed: 0 });
  });

  it('emailed nobody twice: exactly one letter per person', () => {
    const perPerson = new Map<string, number>();
    for (const mail of smtp.mails) for (const to of mail.to) perPerson.set(to, (perPerson.get(to) ?? 0) + 1);
    expect(perPerson.size).toBe(PEOPLE);
    expect([...perPerson.entries()].filter(([, n]) => n !== 1)).toEqual([]);
  });

  it('counted each try in the register before sending (the audit trail of attempts)', async () => {
    const tries = (await register.emailAttempts(BREACH)).filter((a) => a.purpose === 'data-subject');
    expect(tries).toHaveLength(PEOPLE);
    expect(tries.every((a) => a.attempts >= 1)).toBe(true);
  });
});
