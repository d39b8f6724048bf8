import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One accepted message, as little as the scenarios count by: no body kept. */
export interface SunkMail {
  to: string[];
  bytes: number;
  breachId: string;
  purpose: string;
  messageId: string;
}

/** The message headers the bench reads (nodemailer writes them on one line each). */
function header(head: string, name: string): string {
  return new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
}

/**
 * An SMTP server on loopback that only counts: per message its recipients, size and the X-Lekdicht-* headers. A
 * message counts once the server has answered its DATA with 250, which is what a sender sees as delivered.
 * While `hold()` is on, DATA gets no answer at all (a mail server gone quiet): a test of a worker killed with
 * emails in flight, none of them delivered.
 */
export class SmtpSink {
  readonly mails: SunkMail[] = [];
  private held: (() => void)[] = [];
  private holding = false;
  /** Called after each accepted message (e.g. to kill a worker when half the letters are in). */
  onAccepted: ((mail: SunkMail) => void) | undefined;
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    // Senders' sockets that die mid-message (a killed worker) are not the sink's failure.
    onData: (stream, session, callback) => {
      let bytes = 0;
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (head.length < 4_096 && !head.includes('\r\n\r\n')) head += chunk.toString('latin1', 0, 4_096);
        bytes += chunk.length;
      });
      stream.on('error', () => {});
      stream.on('end', () => {
        const accept = () => {
          const mail: SunkMail = {
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            bytes,
            breachId: header(head, 'X-Lekdicht-Breach'),
            purpose: header(head, 'X-Lekdicht-Purpose'),
            messageId: header(head, 'Message-ID'),
          };
          this.mails.push(mail);
          callback();
          this.onAccepted?.(mail);
        };
        if (this.holding)
          this.held.push(() => callback(Object.assign(new Error('held by the bench sink'), { responseCode: 451 })));
        else accept();
      });
    },
  });

  async start(): Promise<number> {
    this.server.on('error', () => {});
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.server.address() as AddressInfo).port;
  }

  /** From now on DATA is not answered (nothing more is delivered) until release(). */
  hold(): void {
    this.holding = true;
  }

  /** Answers every held message with a temporary failure (451: not delivered) and accepts again. */
  release(): void {
    this.holding = false;
    for (const refuse of this.held.splice(0)) refuse();
  }

  /** Messages with this purpose (e.g. "task-assigned:triage"), of one breach if given. */
  withPurpose(purpose: string, breachId?: string): SunkMail[] {
    return this.mails.filter((m) => m.purpose === purpose && (breachId === undefined || m.breachId === breachId));
  }

  /** Per recipient address, how many messages it got (of the given purpose). */
  perRecipient(purpose?: string): Map<string, number> {
    const counts = new Map<string, number>();
    for (const mail of this.mails)
      if (purpose === undefined || mail.purpose === purpose)
        for (const to of mail.to) counts.set(to, (counts.get(to) ?? 0) + 1);
    return counts;
  }

  async stop(): Promise<void> {
    this.release();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
