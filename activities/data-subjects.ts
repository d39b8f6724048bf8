import { Context } from '@temporalio/activity';
import { writeAfterSend } from './after-send';
import { isPermanentForRecipient, type SmtpError } from './smtp-errors';
import type { Transporter } from 'nodemailer';
import { renderDataSubjectLetter, type DataSubjectLetter } from '../domain/letters';
import type { BreachRegister } from '../register/store';
import type { RecipientCounts, RecipientRow } from '../domain/register';
import { messageIdFor } from './email';
import { isTestAddress, PRACTICE_NOT_SENT, PRACTICE_NOTICE, PRACTICE_SUBJECT_PREFIX } from '../domain/practice';

export interface DataSubjectDeps {
  register: BreachRegister;
  transport: Transporter;
  from: string;
  organisation: string;
  /** Emails in flight at once (default 5, nodemailer's pool size); 1 sends strictly one after the other. */
  concurrency?: number;
  /**
   * Practice mode: letters marked as practice, and only to test addresses (domain/practice.ts). A real address
   * (or a postal one) that reached the register anyway is marked failed, never sent or put on the print list.
   */
  practice?: boolean;
}

export const DEFAULT_CONCURRENCY = 5;

export interface DataSubjectBatchInput {
  breachId: string;
  letter: DataSubjectLetter;
  batchSize: number;
}

/** Counts only: names and addresses stay in the register, out of the workflow's history. */
export interface DataSubjectBatchResult {
  /** This attempt's work. */
  sent: number;
  failed: number;
  toPrint: number;
  /** People still pending after this batch. */
  remaining: number;
  /** The whole list as the register has it now (also counting what an earlier, failed attempt did). */
  totals: Omit<RecipientCounts, 'pending'>;
}

export const DATA_SUBJECT_PURPOSE = 'data-subject';

/** "lekdicht <noreply@example.nl>" → "noreply@example.nl". */
function addressOf(from: string): string {
  return /<([^<>]+)>\s*$/.exec(from)?.[1]?.trim() ?? from.trim();
}

/** What goes into the failure Temporal keeps: no address, no server text that may quote one. */
function describeTransient(err: unknown, seq: number): string {
  const e = err as SmtpError;
  const parts = [e?.code, e?.command, e?.responseCode].filter((p) => p !== undefined && p !== '');
  return `transient SMTP failure at recipient #${seq}${parts.length > 0 ? ` (${parts.join(' ')})` : ''}; the batch is retried and resumes with the recipients still pending`;
}

/**
 * Informs the people affected, a batch at a time (art. 34). Each try is counted in the register before the
 * email goes out (a locked register stops the batch there, nobody emailed twice), and each email is marked sent
 * right after the server accepted it, retried in place while the register is locked (activities/after-send.ts).
 * So a retried batch resumes with the people still pending; only a worker dying between "accepted" and "marked"
 * resends the ones then in flight (at most `concurrency`), identical, with the same Message-ID.
 */
export function createDataSubjectActivities(deps: DataSubjectDeps) {
  return {
    async sendDataSubjectBatch(input: DataSubjectBatchInput): Promise<DataSubjectBatchResult> {
      const { breachId, letter } = input;
      const ctx = Context.current();
      const batchSize = Math.max(1, Math.floor(input.batchSize));
      const concurrency = Math.max(1, Math.floor(deps.concurrency ?? DEFAULT_CONCURRENCY));
      let sent = 0;
      let failed = 0;
      let toPrint = 0;
      const batch = await deps.register.pendingRecipients(breachId, batchSize);
      let next = 0;
      let stop: { error: unknown } | undefined;

      // A few emails in flight at once: each waits mostly on the SMTP server's replies.
      const lane = async () => {
        for (let person = batch[next++]; person !== undefined && stop === undefined; person = batch[next++]) {
          // Worker shutting down, or the server gave this attempt up (e.g. heartbeat timeout): no next email.
          if (ctx.cancellationSignal.aborted) {
            stop ??= { error: ctx.cancellationSignal.reason };
            return;
          }
          try {
            if (deps.practice && (person.email === null || !isTestAddress(person.email))) {
              await deps.register.markRecipient(breachId, person.seq, 'failed', { error: PRACTICE_NOT_SENT });
              failed += 1;
            } else if (person.email === null) {
              await deps.register.markRecipient(breachId, person.seq, 'to-print');
              toPrint += 1;
            } else if ((await sendOne(deps, breachId, letter, person as RecipientRow & { email: string })).ok) {
              sent += 1;
            } else {
              failed += 1;
            }
          } catch (error) {
            // Transient: let the emails in flight finish and be marked, then fail the attempt so Temporal retries.
            stop ??= { error };
            return;
          }
          ctx.heartbeat({ sent });
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, batch.length) }, lane));
      if (stop !== undefined) throw stop.error;

      const { pending, ...totals } = await deps.register.recipientCounts(breachId);
      return { sent, failed, toPrint, remaining: pending, totals };
    },
  };
}

async function sendOne(
  deps: DataSubjectDeps,
  breachId: string,
  letter: DataSubjectLetter,
  person: RecipientRow & { email: string },
): Promise<{ ok: boolean }> {
  const messageId = messageIdFor(breachId, DATA_SUBJECT_PURPOSE, person.email);
  const rendered = renderDataSubjectLetter(letter, person.language, person.name);
  const { subject, text } = deps.practice
    ? {
        subject: `${PRACTICE_SUBJECT_PREFIX[person.language]} ${rendered.subject}`,
        text: `${PRACTICE_NOTICE[person.language]}\n\n${rendered.text}`,
      }
    : rendered;
  // Before sending: a locked register fails this attempt now, with this person still pending and not emailed.
  await deps.register.recordEmailAttempt({
    message_id: messageId,
    breach_id: breachId,
    purpose: DATA_SUBJECT_PURPOSE,
    recipient: person.email,
  });
  try {
    await deps.transport.sendMail({
      // People see who writes to them: the organisation, not lekdicht.
      from: { name: deps.organisation, address: addressOf(deps.from) },
      to: { name: person.name, address: person.email },
      subject,
      text,
      messageId,
      headers: { 'X-Lekdicht-Breach': breachId, 'X-Lekdicht-Purpose': DATA_SUBJECT_PURPOSE },
    });
  } catch (err) {
    if (!isPermanentForRecipient(err)) throw new Error(describeTransient(err, person.seq));
    await writeAfterSend(() =>
      deps.register.markRecipient(breachId, person.seq, 'failed', {
        error: String((err as Error).message ?? err).slice(0, 1_000),
      }),
    );
    return { ok: false };
  }
  // The server has it: marked sent whatever the register's lock, or the retried batch would email this person again.
  await writeAfterSend(() =>
    deps.register.markRecipient(breachId, person.seq, 'sent', {
      message_id: messageId,
      sent_at: new Date().toISOString(),
    }),
  );
  return { ok: true };
}
