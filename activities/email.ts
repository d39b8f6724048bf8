import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { Transporter } from 'nodemailer';
import { escalationFor, findPerson, holdersOf, type Directory, type Person } from '../domain/roles';
import type { EmailRequest } from '../domain/notices';
import { writeAfterSend } from './after-send';
import { isPermanentSmtpFailure, smtpCode } from './smtp-errors';
import type { BreachRegister } from '../register/store';
import { renderNotice } from './email-templates';
import type { Language } from '../domain/language';

/** The same (breach, purpose, recipient) always yields the same Message-ID, so a retry can be deduplicated. */
export function messageIdFor(breachId: string, purpose: string, recipient: string): string {
  const hash = createHash('sha256')
    .update(`${breachId}\n${purpose}\n${recipient.toLowerCase()}`)
    .digest('hex')
    .slice(0, 32);
  return `<${hash}@lekdicht>`;
}

export function recipientsFor(
  directory: Directory,
  request: Pick<EmailRequest, 'roles' | 'escalateFrom' | 'people'>,
): Person[] {
  const people = request.roles.flatMap((role) => holdersOf(directory, role));
  for (const email of request.people ?? []) {
    people.push(findPerson(directory, email) ?? { name: email, email: email.toLowerCase(), roles: [] });
  }
  if (request.escalateFrom) people.push(...escalationFor(directory, request.escalateFrom));
  return [...new Map(people.map((p) => [p.email, p])).values()];
}

/** The failure type of an email the SMTP server refused for good; the workflow notes it and goes on. */
export const SMTP_PERMANENT_FAILURE = 'SmtpPermanentFailure';
/** The failure type of an email that may go through later (4xx, no connection, timeout): Temporal retries it. */
export const SMTP_TRANSIENT_FAILURE = 'SmtpTransientFailure';

/** What the workflow learns of an email refused for good: counts and codes, no addresses (history keeps it). */
export interface SmtpPermanentFailureDetails {
  purpose: string;
  /** Recipients whose message was refused (5xx). */
  failed: number;
  /** Recipients reached in this attempt (the others were already reached by an earlier one). */
  sent: number;
  /** e.g. ["550 RCPT TO"]. */
  codes: string[];
}

export interface EmailDeps {
  transport: Transporter;
  register: BreachRegister;
  from: string;
  language: Language;
  organisation: string;
  directory: () => Directory;
  /** Where the links in the email lead (publicUrlOf(config.http)), read at send time: never in workflow history. */
  publicUrl?: string;
  /** Practice mode: every email marked as practice (domain/practice.ts). */
  practice?: boolean;
}

/**
 * Sends one message per recipient. A message already recorded as sent is skipped, so an activity retried
 * after a partial failure sends only what is missing, with the same Message-ID and content.
 */
export async function emailRoles(
  deps: EmailDeps,
  request: EmailRequest,
): Promise<{ sent: string[]; skipped: string[] }> {
  const recipients = recipientsFor(deps.directory(), request);
  const { subject, text } = renderNotice(request.breachId, request.notice, deps.language, deps.organisation, {
    ...(deps.publicUrl !== undefined ? { publicUrl: deps.publicUrl } : {}),
    ...(deps.practice ? { practice: true } : {}),
  });
  const sent: string[] = [];
  const skipped: string[] = [];
  const refused: string[] = [];
  for (const person of recipients) {
    const messageId = messageIdFor(request.breachId, request.purpose, person.email);
    if (await deps.register.hasEmail(messageId)) {
      skipped.push(person.email);
      continue;
    }
    // Before sending: a locked register fails this attempt now rather than after the email went out.
    await deps.register.recordEmailAttempt({
      message_id: messageId,
      breach_id: request.breachId,
      purpose: request.purpose,
      recipient: person.email,
    });
    try {
      await deps.transport.sendMail({
        from: deps.from,
        to: { name: person.name, address: person.email },
        subject,
        text,
        messageId,
        headers: { 'X-Lekdicht-Breach': request.breachId, 'X-Lekdicht-Purpose': request.purpose },
      });
    } catch (err) {
      if (!isPermanentSmtpFailure(err)) {
        // Retried by Temporal with the same Message-ID and content; what was sent before is skipped then.
        throw ApplicationFailure.retryable(
          `transient SMTP failure (${smtpCode(err)}) for "${request.purpose}"; retried`,
          SMTP_TRANSIENT_FAILURE,
        );
      }
      // Refused for good: record it (the register holds who), try the other recipients, and fail without retry.
      const code = smtpCode(err);
      await writeAfterSend(() =>
        deps.register.recordEmailFailure({
          message_id: messageId,
          breach_id: request.breachId,
          purpose: request.purpose,
          recipient: person.email,
          code,
          error: String((err as Error)?.message ?? err).slice(0, 1_000),
          failed_at: new Date().toISOString(),
        }),
      );
      refused.push(code);
      continue;
    }
    // The server has it: the "sent" record must be written, or a retry would send it again.
    await writeAfterSend(() =>
      deps.register.recordEmail({
        message_id: messageId,
        breach_id: request.breachId,
        purpose: request.purpose,
        recipient: person.email,
        subject,
        sent_at: new Date().toISOString(),
      }),
    );
    sent.push(person.email);
  }
  if (refused.length > 0) {
    const details: SmtpPermanentFailureDetails = {
      purpose: request.purpose,
      failed: refused.length,
      sent: sent.length,
      codes: [...new Set(refused)],
    };
    throw ApplicationFailure.nonRetryable(
      `SMTP server refused "${request.purpose}" for good for ${refused.length} of ${recipients.length} recipient(s) (${details.codes.join(', ')}); recorded in the register, not retried`,
      SMTP_PERMANENT_FAILURE,
      details,
    );
  }
  return { sent, skipped };
}
