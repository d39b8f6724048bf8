/**
 * How lekdicht reads nodemailer's SMTP errors: one place for what is final and what is worth retrying. Two
 * readings on purpose: an email to the roles is final on any 5xx (the FG is told and the breach goes on); a
 * batch of letters to the people affected is final for a person only when the person is refused, and retried
 * whole when the server refuses lekdicht itself.
 */

/** An SMTP error from nodemailer: `responseCode` is the server's reply code, `command` the step that failed. */
export interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  command?: string;
}

/**
 * A 5xx reply (RFC 5321: permanent negative completion): sending the same message again gets the same answer,
 * whatever the step (RCPT TO: this address; MAIL FROM, AUTH, DATA: this message or this sender). Anything else —
 * a 4xx, no connection, a timeout — may succeed later.
 */
export function isPermanentSmtpFailure(err: unknown): boolean {
  const code = (err as SmtpError)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** "550 RCPT TO" / "ECONNREFUSED CONN": what failed, without the server's text (it may quote the address). */
export function smtpCode(err: unknown): string {
  const e = err as SmtpError;
  return [e?.responseCode ?? e?.code ?? 'error', e?.command].filter((p) => p !== undefined && p !== '').join(' ');
}

/**
 * Refused for good for this one recipient: a 5xx reply to RCPT TO or to the message (DATA), or an address
 * nodemailer itself refuses. Anything else — no connection, a timeout, a 4xx, a 5xx to MAIL FROM or AUTH
 * (the server refuses us, not the person) — is worth retrying for the whole batch.
 */
export function isPermanentForRecipient(err: unknown): boolean {
  const e = err as SmtpError;
  if (typeof e?.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600)
    return e.command === 'RCPT TO' || e.command === 'DATA';
  return e?.code === 'EENVELOPE' && e.command === 'API';
}
