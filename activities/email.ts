import { createHash } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import { escalationFor, findPerson, holdersOf, type Directory, type Person } from '../domain/roles';
import type { EmailRequest } from '../domain/notices';
import type { BreachRegister } from './register';
import { renderNotice, type Language } from './email-templates';

/** The same (breach, purpose, recipient) always yields the same Message-ID, so a retry can be deduplicated. */
export function messageIdFor(breachId: string, purpose: string, recipient: string): string {
  const hash = createHash('sha256').update(`${breachId}\n${purpose}\n${recipient.toLowerCase()}`).digest('hex').slice(0, 32);
  return `<${hash}@lekdicht>`;
}

export function recipientsFor(directory: Directory, request: Pick<EmailRequest, 'roles' | 'escalateFrom' | 'people'>): Person[] {
  const people = request.roles.flatMap((role) => holdersOf(directory, role));
  for (const email of request.people ?? []) {
    people.push(findPerson(directory, email) ?? { name: email, email: email.toLowerCase(), roles: [] });
  }
  if (request.escalateFrom) people.push(...escalationFor(directory, request.escalateFrom));
  return [...new Map(people.map((p) => [p.email, p])).values()];
}

export interface EmailDeps {
  transport: Transporter;
  register: BreachRegister;
  from: string;
  language: Language;
  organisation: string;
  directory: () => Directory;
}

/**
 * Sends one message per recipient. A message already recorded as sent is skipped, so an activity retried
 * after a partial failure sends only what is missing, with the same Message-ID and content.
 */
export async function emailRoles(deps: EmailDeps, request: EmailRequest): Promise<{ sent: string[]; skipped: string[] }> {
  const recipients = recipientsFor(deps.directory(), request);
  const { subject, text } = renderNotice(request.breachId, request.notice, deps.language, deps.organisation);
  const sent: string[] = [];
  const skipped: string[] = [];
  for (const person of recipients) {
    const messageId = messageIdFor(request.breachId, request.purpose, person.email);
    if (deps.register.hasEmail(messageId)) {
      skipped.push(person.email);
      continue;
    }
    await deps.transport.sendMail({
      from: deps.from,
      to: { name: person.name, address: person.email },
      subject,
      text,
      messageId,
      headers: { 'X-Lekdicht-Breach': request.breachId, 'X-Lekdicht-Purpose': request.purpose },
    });
    deps.register.recordEmail({
      message_id: messageId,
      breach_id: request.breachId,
      purpose: request.purpose,
      recipient: person.email,
      subject,
      sent_at: new Date().toISOString(),
    });
    sent.push(person.email);
  }
  return { sent, skipped };
}
