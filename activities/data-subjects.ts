import { Context } from '@temporalio/activity';
import { writeAfterSend } from './after-send';
import { isPermanentForRecipient, type SmtpError } from './smtp-errors';
import type { Transporter } from 'nodemailer';
import { letterRenderer, type DataSubjectLetter } from '../domain/letters';
import type { BreachRegister, RecipientMark } from '../register/store';
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
  /** Only for tests: ATTEMPT_GROUP, MARK_GROUP and MARK_FLUSH_MS. */
  attemptGroup?: number;
  markGroup?: number;
  markFlushMs?: number;
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

/** Letters whose tries are counted in the register together, in one statement, before any of them is sent. */
export const ATTEMPT_GROUP = 20;
/**
 * Outcomes ("sent", refused, set aside) written to the register together, in one statement. No letter is started
 * while this many outcomes wait to be written, so at most MARK_GROUP + concurrency − 1 letters (24 with the default
 * 5 in flight) are accepted by the SMTP server and not yet marked sent at any moment, and none of them for longer
 * than MARK_FLUSH_MS plus one register write: the letters a worker dying then would send again.
 */
export const MARK_GROUP = 20;
/** How long an outcome waits, at most, for the rest of its group before it is written anyway. */
export const MARK_FLUSH_MS = 50;
/** Heartbeats at most this often (the batch's heartbeat timeout is 30 s; every heartbeat is encoded and sent). */
const HEARTBEAT_EVERY_MS = 1_000;

/** One person to email: the row and the letter's deterministic Message-ID. */
interface Addressee {
  person: RecipientRow & { email: string };
  messageId: string;
}

/**
 * Informs the people affected, a batch at a time (art. 34), with the register written per group, not per letter:
 *
 * - Tries are counted before the emails go out, ATTEMPT_GROUP at a time in one statement: a locked register stops
 *   the batch there, before anyone of that group is emailed, and nobody is emailed without a counted try (a batch
 *   that stops counts at most a group of tries for letters it then does not send).
 * - Each email is marked sent once the server accepted it, in groups of MARK_GROUP written in one statement: when
 *   the group is full, when no email is in flight, MARK_FLUSH_MS after its first outcome, and at the end of the
 *   batch. A write that finds the register locked is retried in place (activities/after-send.ts).
 *
 * So a retried batch resumes with the people still pending; only a worker dying between "accepted" and "marked"
 * resends the ones then unmarked (at most MARK_GROUP + concurrency − 1), identical, with the same Message-ID.
 */
export function createDataSubjectActivities(deps: DataSubjectDeps) {
  return {
    async sendDataSubjectBatch(input: DataSubjectBatchInput): Promise<DataSubjectBatchResult> {
      const { breachId } = input;
      const ctx = Context.current();
      const batchSize = Math.max(1, Math.floor(input.batchSize));
      const concurrency = Math.max(1, Math.floor(deps.concurrency ?? DEFAULT_CONCURRENCY));
      const attemptGroup = Math.max(1, Math.floor(deps.attemptGroup ?? ATTEMPT_GROUP));
      const render = letterRenderer(input.letter);
      const from = { name: deps.organisation, address: addressOf(deps.from) };
      const done = { sent: 0, failed: 0, toPrint: 0 };
      let lastBeat = Date.now();
      const marks = new PendingMarks(deps.register, breachId, {
        group: Math.max(1, Math.floor(deps.markGroup ?? MARK_GROUP)),
        flushMs: deps.markFlushMs ?? MARK_FLUSH_MS,
        written: (written) => {
          for (const mark of written)
            if (mark.status === 'sent') done.sent += 1;
            else if (mark.status === 'failed') done.failed += 1;
            else if (mark.status === 'to-print') done.toPrint += 1;
          if (Date.now() - lastBeat < HEARTBEAT_EVERY_MS) return;
          lastBeat = Date.now();
          ctx.heartbeat({ sent: done.sent });
        },
      });
      let stop: { error: unknown } | undefined;

      // People not emailed are set aside without a try: a postal address (printed letter), or in practice mode
      // anyone without a test address.
      const addressees: Addressee[] = [];
      for (const person of await deps.register.pendingRecipients(breachId, batchSize)) {
        if (deps.practice && (person.email === null || !isTestAddress(person.email)))
          marks.add({ seq: person.seq, status: 'failed', error: PRACTICE_NOT_SENT });
        else if (person.email === null) marks.add({ seq: person.seq, status: 'to-print' });
        else
          addressees.push({
            person: person as Addressee['person'],
            messageId: messageIdFor(breachId, DATA_SUBJECT_PURPOSE, person.email),
          });
      }

      // Taken by the lanes only once their try is counted, a group at a time.
      const counted: Addressee[] = [];
      let toCount = 0;
      let counting: Promise<void> | undefined;
      const take = async (): Promise<Addressee | undefined> => {
        for (;;) {
          const next = counted.shift();
          if (next !== undefined || stop !== undefined || toCount >= addressees.length) return next;
          counting ??= (async () => {
            const group = addressees.slice(toCount, toCount + attemptGroup);
            // Before sending: a locked register fails the batch now, with this group pending and not emailed.
            await deps.register.recordEmailAttempts(
              group.map(({ person, messageId }) => ({
                message_id: messageId,
                breach_id: breachId,
                purpose: DATA_SUBJECT_PURPOSE,
                recipient: person.email,
              })),
            );
            toCount += group.length;
            counted.push(...group);
          })().finally(() => (counting = undefined));
          try {
            await counting;
          } catch (error) {
            stop ??= { error };
            return undefined;
          }
        }
      };

      // A few emails in flight at once: each waits mostly on the SMTP server's replies.
      let inFlight = 0;
      const lane = async () => {
        while (stop === undefined) {
          const addressee = await take();
          if (addressee === undefined) return;
          // Nothing starts while a group's outcomes wait to be written: that bounds the letters a dying worker resends.
          await marks.room();
          if (marks.failure !== undefined) stop ??= marks.failure;
          // Worker shutting down, or the server gave this attempt up (e.g. heartbeat timeout): no next email.
          if (ctx.cancellationSignal.aborted) stop ??= { error: ctx.cancellationSignal.reason };
          if (stop !== undefined) return;
          inFlight += 1;
          try {
            // The server has it (or refused it for good): marked whatever the register's lock, or the retried
            // batch would email this person again.
            marks.add(await sendLetter(deps, breachId, render, from, addressee));
          } catch (error) {
            // Transient: let the emails in flight finish and be marked, then fail the attempt so Temporal retries.
            stop ??= { error };
            return;
          } finally {
            inFlight -= 1;
          }
          if (inFlight === 0) await marks.flush();
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, addressees.length)) }, lane));
      await marks.finish();
      if (stop !== undefined) throw stop.error;

      const { pending, ...totals } = await deps.register.recipientCounts(breachId);
      return { ...done, remaining: pending, totals };
    },
  };
}

/** Sends one letter: its outcome to be written, or a transient failure thrown (the batch is retried). */
async function sendLetter(
  deps: DataSubjectDeps,
  breachId: string,
  render: ReturnType<typeof letterRenderer>,
  from: { name: string; address: string },
  { person, messageId }: Addressee,
): Promise<RecipientMark> {
  const rendered = render(person.language, person.name);
  const { subject, text } = deps.practice
    ? {
        subject: `${PRACTICE_SUBJECT_PREFIX[person.language]} ${rendered.subject}`,
        text: `${PRACTICE_NOTICE[person.language]}\n\n${rendered.text}`,
      }
    : rendered;
  try {
    await deps.transport.sendMail({
      // People see who writes to them: the organisation, not lekdicht.
      from: { ...from },
      to: { name: person.name, address: person.email },
      subject,
      text,
      messageId,
      headers: { 'X-Lekdicht-Breach': breachId, 'X-Lekdicht-Purpose': DATA_SUBJECT_PURPOSE },
    });
  } catch (err) {
    if (!isPermanentForRecipient(err)) throw new Error(describeTransient(err, person.seq));
    return { seq: person.seq, status: 'failed', error: String((err as Error).message ?? err).slice(0, 1_000) };
  }
  return { seq: person.seq, status: 'sent', message_id: messageId, sent_at: new Date().toISOString() };
}

/**
 * The outcomes not yet in the register, written a group at a time (one write at a time, retried in place while
 * the register is locked). A write that fails for good is kept as `failure` (the batch stops) and tried once more
 * by finish().
 */
class PendingMarks {
  private waiting: RecipientMark[] = [];
  private writing = 0;
  private flushing: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  failure: { error: unknown } | undefined;

  constructor(
    private readonly register: BreachRegister,
    private readonly breachId: string,
    private readonly options: { group: number; flushMs: number; written: (marks: RecipientMark[]) => void },
  ) {}

  add(mark: RecipientMark): void {
    this.waiting.push(mark);
    if (this.waiting.length >= this.options.group) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.options.flushMs);
  }

  /** Resolves once fewer than a group's outcomes wait to be written (or writing failed). */
  async room(): Promise<void> {
    while (this.waiting.length + this.writing >= this.options.group && this.failure === undefined) await this.flush();
  }

  /** Writes every outcome waiting, including ones added while it writes. */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  /** The end of the batch: everything written, or the write's error thrown. */
  async finish(): Promise<void> {
    await this.flushing;
    // What a failed write left waiting gets one more try.
    this.failure = undefined;
    await this.flush();
    clearTimeout(this.timer);
    // (flush() may have set it again: not narrowed away.)
    const failure = this.failure as PendingMarks['failure'];
    if (failure !== undefined) throw failure.error;
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0 && this.failure === undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
      const marks = this.waiting;
      this.waiting = [];
      this.writing = marks.length;
      try {
        await writeAfterSend(() => this.register.markRecipients(this.breachId, marks));
        this.options.written(marks);
      } catch (error) {
        this.failure = { error };
        this.waiting = [...marks, ...this.waiting];
      } finally {
        this.writing = 0;
      }
    }
  }
}
