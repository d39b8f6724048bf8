import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { simpleParser, type AddressObject } from 'mailparser';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';

export interface CaughtMail {
  to: string[];
  subject: string;
  messageId: string;
  text: string;
  purpose: string;
  /** What the server answered: a mail answered with an error was still stored (its reply got lost, say). */
  answered: 'ok' | 'error' | 'never';
}

/** Decides, per message (after DATA), what the server answers: nothing (accept), an SMTP error, or hang. */
export type DataFault = (
  mail: Omit<CaughtMail, 'answered'>,
) => { code: number; message: string; store?: boolean } | 'hang' | undefined;
/** Decides, per recipient (RCPT TO), whether the server refuses it. */
export type RcptFault = (address: string) => { code: number; message: string } | undefined;

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/**
 * A real SMTP server on loopback whose answers a test can turn bad: 4xx or 5xx to RCPT TO or to the message,
 * a message stored but answered with an error (its "250" lost), or a message never answered at all (a server
 * or network hanging while the worker waits). Everything it stores is kept, so a test can prove that no message
 * arrived twice with different content.
 */
export class FaultySmtp {
  readonly mails: CaughtMail[] = [];
  /** Replies per code, e.g. how many 451s were given. */
  readonly refusals = new Map<number, number>();
  rcptFault: RcptFault | undefined;
  dataFault: DataFault | undefined;
  private readonly held: (() => void)[] = [];
  private server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo: (address, _session: SMTPServerSession, callback) => {
      const fault = this.rcptFault?.(address.address.toLowerCase());
      if (fault) {
        this.refusals.set(fault.code, (this.refusals.get(fault.code) ?? 0) + 1);
        return callback(smtpError(fault.code, fault.message));
      }
      callback();
    },
    onData: (stream: Readable, _session, callback) => {
      simpleParser(stream)
        .then((parsed) => {
          const mail = {
            to: ([] as AddressObject[])
              .concat(parsed.to ?? [])
              .flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase())),
            subject: parsed.subject ?? '',
            messageId: parsed.messageId ?? '',
            text: parsed.text ?? '',
            purpose: String(parsed.headers.get('x-lekdicht-purpose') ?? ''),
          };
          const fault = this.dataFault?.(mail);
          if (fault === 'hang') {
            this.mails.push({ ...mail, answered: 'never' });
            // Never answered: the client waits until it gives up or dies.
            this.held.push(() => callback(smtpError(421, 'closing')));
            return;
          }
          if (fault) {
            this.refusals.set(fault.code, (this.refusals.get(fault.code) ?? 0) + 1);
            if (fault.store) this.mails.push({ ...mail, answered: 'error' });
            return callback(smtpError(fault.code, fault.message));
          }
          this.mails.push({ ...mail, answered: 'ok' });
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });

  /**
   * Connections the client broke off mid-transaction (ECONNRESET when a worker is SIGKILLed while it waits for
   * the "250"). smtp-server emits these as 'error' events on the server; unheard, they would crash the test run.
   */
  readonly brokenConnections: string[] = [];

  async start(port = 0): Promise<number> {
    this.server.on('error', (err: NodeJS.ErrnoException) => this.brokenConnections.push(err.code ?? err.message));
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    return (this.server.server.address() as AddressInfo).port;
  }

  withPurpose(purpose: string): CaughtMail[] {
    return this.mails.filter((m) => m.purpose === purpose);
  }

  /** The messages as a reader with Message-ID deduplication (a mail client, a list server) sees them. */
  distinct(): CaughtMail[] {
    return [...new Map(this.mails.map((m) => [m.messageId, m])).values()];
  }

  /** Copies of one Message-ID that differ in recipient, subject or text: must always be empty. */
  conflicts(): string[] {
    const first = new Map<string, CaughtMail>();
    const bad: string[] = [];
    for (const mail of this.mails) {
      const seen = first.get(mail.messageId);
      if (!seen) first.set(mail.messageId, mail);
      else if (seen.subject !== mail.subject || seen.text !== mail.text || seen.to.join() !== mail.to.join())
        bad.push(mail.messageId);
    }
    return bad;
  }

  /** Answers every message held so far (with a 421) and stops holding. */
  release(): void {
    this.dataFault = undefined;
    for (const answer of this.held.splice(0)) answer();
  }

  async stop(): Promise<void> {
    this.release();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
