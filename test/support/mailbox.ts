import { SMTPServer } from 'smtp-server';
import { simpleParser, type AddressObject } from 'mailparser';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  to: string[];
  subject: string;
  messageId: string;
  text: string;
  purpose: string;
}

/** A real SMTP server on loopback that keeps what it receives, for asserting on the emails lekdicht sends. */
export class Mailbox {
  readonly mails: ReceivedMail[] = [];
  /** While set, every recipient is refused with this reply (e.g. 451: try later), as a busy mail server does. */
  refuseWith: { code: number; message: string } | undefined;
  private server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo: (_address, _session, callback) => {
      const refusal = this.refuseWith;
      if (!refusal) return callback();
      callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
    },
    onData: (stream, _session, callback) => {
      simpleParser(stream)
        .then((mail) => {
          const to = ([] as AddressObject[]).concat(mail.to ?? []).flatMap((a) => a.value.map((v) => v.address ?? ''));
          this.mails.push({
            to,
            subject: mail.subject ?? '',
            messageId: mail.messageId ?? '',
            text: mail.text ?? '',
            purpose: String(mail.headers.get('x-lekdicht-purpose') ?? ''),
          });
          callback();
        })
        .catch(callback);
    },
  });

  /** Connections a client broke off mid-transaction (a worker stopped while sending); smtp-server reports them as
   * 'error' events, which would otherwise crash the test run. */
  readonly brokenConnections: string[] = [];

  async start(): Promise<number> {
    this.server.on('error', (err: NodeJS.ErrnoException) => this.brokenConnections.push(err.code ?? err.message));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.server.address() as AddressInfo).port;
  }

  to(email: string): ReceivedMail[] {
    return this.mails.filter((m) => m.to.includes(email));
  }

  withPurpose(purpose: string): ReceivedMail[] {
    return this.mails.filter((m) => m.purpose === purpose);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
