import { continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { PlaybookSettings } from '../activities';
import type { createDataSubjectActivities } from '../activities/data-subjects';
import type { DataSubjectProgress } from '../domain/case';
import { renderDataSubjectLetter, type DataSubjectLetter } from '../domain/letters';
import type { Language } from '../domain/language';
import { dataSubjectTargetOf } from '../domain/regimes/profile';
import { approvedLetter } from './letter-approval';
import { dataSubjectLetterQuery } from './messages';
import { startPlaybook, type PlaybookRuntime, type RuntimeSnapshot } from './playbook';
import { runResumable, type Journal, type Resumable } from './resumable';

/**
 * Emails per activity call. A retried batch redoes only the people it had not marked yet (the register says who is
 * pending), so the size is about the cost between batches: each one's result goes through the workflow (a workflow
 * task, the progress note) before the next batch starts, ~35 ms on a local server. At 200 that was a fifth of the
 * sending time on a fast SMTP server (bench: letters at 0.56× raw nodemailer against 0.81× at 1,000).
 */
export const DATA_SUBJECT_BATCH_SIZE = 1_000;
/** Batches per run before continuing as new; 100,000 people are 100 batches, a history of about a thousand events. */
export const DATA_SUBJECT_BATCHES_PER_RUN = 100;

const { sendDataSubjectBatch } = proxyActivities<ReturnType<typeof createDataSubjectActivities>>({
  // A batch of 1,000 takes seconds on a fast server, and may take an SMTP server that accepts one email per three
  // seconds most of the hour; heartbeats after the register writes tell a slow batch from a dead worker.
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export interface DataSubjectsInput {
  breachId: string;
  settings: PlaybookSettings;
  /**
   * The letter, once approved; no personal data (names are added per person when sending). Runs recorded before
   * letters were approved got one made from the case here (workflows/letter.ts). Absent, the playbook has it
   * written and approved first (workflows/letter-approval.ts) and carries it on from there.
   */
  letter?: DataSubjectLetter;
  /** Kinds of data that leaked: the advice the letter starts with. */
  dataCategories?: string[];
  /** Art. 34(3)(c): informing everyone one by one would take disproportionate effort; a public communication instead. */
  publicCommunication: boolean;
  /** When the people should be informed by (the data-subjects deadline); default: `organisation.profile.dataSubjectTarget` from now. */
  due?: string;
  /** Only for tests: batches per run before continue-as-new. */
  batchesPerRun?: number;
  /** Only for tests: emails per batch (DATA_SUBJECT_BATCH_SIZE). */
  batchSize?: number;
  /**
   * Set when a previous run continued as new: in the middle of sending (runs recorded before resumable runs have
   * no journal, and were always sending), or anywhere else with its journal (workflows/resumable.ts).
   */
  resume?: { runtime: RuntimeSnapshot; batches: number; journal?: Journal; sending?: boolean };
}

export interface DataSubjectsResult {
  channel: 'email' | 'public-communication';
  /** When the people were informed: the last email, or the publication. */
  notifiedAt: string;
  total: number;
  sent: number;
  failed: number;
  toPrint: number;
  /** The contact point the KCC set up before the letters went: aftercare's contact point. */
  contactPoint?: string;
}

const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * Informing the people affected (GDPR art. 34). One by one: communications uploads the list into the register
 * (`lekdicht recipients upload`), then every person gets the letter by email — in batches, each a retried,
 * heartbeating activity, with progress in the case view — and people with only a postal address are set aside
 * for a printed letter. Or, when that would take disproportionate effort (art. 34(3)(c)), one public
 * communication. Names and addresses never enter this workflow: only counts do.
 */
export async function dataSubjectsWorkflow(input: DataSubjectsInput): Promise<DataSubjectsResult> {
  const { breachId, settings, resume } = input;
  let letter = input.letter;
  let contactPoint: string | undefined;
  setHandler(dataSubjectLetterQuery, () => {
    if (letter === undefined) throw new Error('the letter is not approved yet');
    return letter;
  });
  // Run on its own (a test, a replay), there is no breach workflow to report to.
  const reportTo = breachId === workflowInfo().workflowId ? undefined : breachId;
  // A run carried on by one from before resumable runs has no journal: it was sending, and replays as it ran.
  const { playbook, r } = startPlaybook(breachId, 'data-subjects', settings, reportTo, resume);
  const due = input.due ?? new Date(Date.now() + dataSubjectTargetOf(settings.profile)).toISOString();
  let sending = resume !== undefined && (resume.journal === undefined || resume.sending === true);
  let batches = resume?.batches ?? 0;
  const batchSize = input.batchSize ?? DATA_SUBJECT_BATCH_SIZE;

  return runResumable(
    r,
    () => playbook.quiet(),
    async () => {
      // Nothing leaves before the FG approved the letter; the public communication publishes the same text.
      if (letter === undefined) {
        ({ letter, contactPoint } = await approvedLetter(
          playbook,
          r,
          breachId,
          settings,
          input.dataCategories ?? [],
          due,
        ));
      }
      contactPoint ??= playbook.facts.letter?.contactPoint?.text;
      const approved = letter;
      const withContact = <T extends object>(result: T) =>
        contactPoint === undefined ? result : { ...result, contactPoint };
      if (input.publicCommunication) {
        const answer = await playbook.ask('public-communication', {
          due,
          ...(input.letter === undefined ? { detail: publicationDetail(approved, settings.language) } : {}),
        });
        await r.once('published', async () => {
          playbook.notifications.push({
            to: 'data-subjects',
            at: answer.publishedAt,
            recordedBy: playbook.tasks.get('public-communication')!.completedBy!,
            // Late against the organisation's target for informing people (its profile), as the deadline says.
            late: Date.parse(answer.publishedAt) > Date.parse(due),
            channel: 'public-communication',
            reference: answer.reference,
          });
          await playbook.note(
            'data-subjects-notified',
            `Data subjects informed by public communication (art. 34(3)(c)) at ${answer.publishedAt} via ${answer.channel}: ${answer.reference}`,
            undefined,
            { data_subjects_notified_at: answer.publishedAt },
            { channel: 'public-communication', at: answer.publishedAt },
          );
        });
        return playbook.finish(
          withContact({
            channel: 'public-communication' as const,
            notifiedAt: answer.publishedAt,
            total: 0,
            sent: 0,
            failed: 0,
            toPrint: 0,
          }),
        );
      }

      // Everyone informed, and the run moved on while it finished: only the ending is left.
      if (r.done('done'))
        return playbook.finish(withContact(await done(playbook, r, playbook.facts.dataSubjects!, due)));

      let progress: DataSubjectProgress = playbook.facts.dataSubjects ?? { total: 0, sent: 0, failed: 0, toPrint: 0 };
      if (!sending) {
        // An upload to a different register (another config) leaves nothing to send: ask again rather than inform nobody.
        for (let attempt = 1; ; attempt++) {
          const id = attempt === 1 ? 'recipient-list' : `recipient-list-${attempt}`;
          const detail = `npx lekdicht recipients upload ${breachId} --file <people.csv> --as <email>  (columns: name,email,address,language)`;
          const answer = await playbook.ask('recipient-list', { id, due, detail });
          await r.once(`uploaded-${attempt}`, () =>
            playbook.note(
              'recipients-uploaded',
              `Recipient list uploaded: ${thousands(answer.uploaded)} people`,
              undefined,
              undefined,
              { uploaded: answer.uploaded },
            ),
          );
          const first = await r.once(`first-batch-${attempt}`, () =>
            sendDataSubjectBatch({ breachId, letter: approved, batchSize }),
          );
          if (first.totals.total > 0) {
            sending = true;
            batches += 1;
            progress = await recordBatch(playbook, batches, first);
            if (first.remaining === 0) return playbook.finish(withContact(await done(playbook, r, progress, due)));
            break;
          }
          await r.once(`missing-${attempt}`, () =>
            playbook.note(
              'recipients-missing',
              'The register holds no recipients for this breach: the list is asked for again',
            ),
          );
        }
      }

      const perRun = input.batchesPerRun ?? DATA_SUBJECT_BATCHES_PER_RUN;
      const runStart = batches;
      for (;;) {
        if (batches - runStart >= perRun || workflowInfo().continueAsNewSuggested) {
          await playbook.settle();
          // Sending from here on, in a new run with a journal of its own.
          const next = r.on ? { journal: { steps: {}, wakeAt: {} }, sending: true } : {};
          return continueAsNew<typeof dataSubjectsWorkflow>({
            ...input,
            // The same target in every run: lateness is measured against it.
            due,
            letter: approved,
            resume: { runtime: playbook.snapshot(), batches, ...next },
          });
        }
        const result = await sendDataSubjectBatch({ breachId, letter: approved, batchSize });
        batches += 1;
        progress = await recordBatch(playbook, batches, result);
        if (result.remaining === 0) return playbook.finish(withContact(await done(playbook, r, progress, due)));
      }
    },
    (journal) =>
      continueAsNew<typeof dataSubjectsWorkflow>({
        ...input,
        ...(letter !== undefined ? { letter } : {}),
        resume: { runtime: playbook.snapshot(), batches, journal, sending },
      }),
  );
}

/**
 * What communications publishes (art. 34(3)(c)): the approved letter without a greeting by name, in the
 * organisation's language, so the public text is the one the FG approved.
 */
function publicationDetail(letter: DataSubjectLetter, language: Language): string {
  const intro =
    language === 'nl' ? 'Publiceer deze door de FG goedgekeurde tekst:' : 'Publish this text, as approved by the FG:';
  return `${intro}\n\n${renderDataSubjectLetter(letter, language).text}`;
}

/** Progress into the case (facts → the breach's case view) and one line on the timeline per batch. */
async function recordBatch(
  playbook: PlaybookRuntime,
  n: number,
  result: { sent: number; failed: number; toPrint: number; remaining: number; totals: DataSubjectProgress },
): Promise<DataSubjectProgress> {
  const progress = { ...result.totals };
  playbook.facts.dataSubjects = progress;
  const handled = progress.total - result.remaining;
  await playbook.note(
    'data-subjects-batch',
    `Batch ${n}: ${thousands(result.sent)} sent, ${thousands(result.failed)} failed${result.toPrint > 0 ? `, ${thousands(result.toPrint)} to print` : ''}; ${thousands(handled)} of ${thousands(progress.total)} done`,
    undefined,
    undefined,
    {
      batch: n,
      sent: result.sent,
      failed: result.failed,
      toPrint: result.toPrint,
      handled,
      total: progress.total,
    },
  );
  // note() reports to the breach workflow; the facts above travel with it.
  return progress;
}

/** Everyone handled: the notification recorded and noted (once across runs); the playbook's result. */
function done(
  playbook: PlaybookRuntime,
  r: Resumable,
  progress: DataSubjectProgress,
  due: string,
): Promise<DataSubjectsResult> {
  return r.once('done', async () => {
    const at = new Date().toISOString();
    const late = Date.parse(at) > Date.parse(due);
    playbook.notifications.push({ to: 'data-subjects', at, recordedBy: 'lekdicht', late, channel: 'email' });
    await playbook.note(
      'data-subjects-notified',
      `Data subjects informed by email: ${thousands(progress.sent)} of ${thousands(progress.total)} sent, ${thousands(progress.failed)} failed, ${thousands(progress.toPrint)} to print (postal address only)`,
      undefined,
      { data_subjects_notified_at: at },
      {
        channel: 'email',
        sent: progress.sent,
        total: progress.total,
        failed: progress.failed,
        toPrint: progress.toPrint,
      },
    );
    return { channel: 'email' as const, notifiedAt: at, ...progress };
  });
}
