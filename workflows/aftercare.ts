import { continueAsNew } from '@temporalio/workflow';
import type { PlaybookSettings } from '../activities';
import { adviceFor } from '../domain/advice';
import { startPlaybook, type RuntimeSnapshot } from './playbook';
import { runResumable, type Journal } from './resumable';
import { isPatched } from './patches';

export interface AftercareInput {
  breachId: string;
  settings: PlaybookSettings;
  /** Kinds of data that leaked: they choose the advice for the people affected. */
  dataCategories: string[];
  /** Whether the FG decided to inform the people affected (absent in runs from before it was passed). */
  peopleInformed?: boolean;
  /** The contact point the KCC set up before the letters went (workflows/letter-approval.ts): not asked again. */
  contactPoint?: string;
  /**
   * Set when a previous run continued as new: aftercare runs for months. `startedAt` is absent while the contact
   * point is still being set up; `journal` is absent in runs recorded before runs continued as new mid-round.
   */
  resume?: { startedAt?: string; followUps: number; runtime: RuntimeSnapshot; journal?: Journal };
}

const NOT_INFORMED = {
  nl: 'De FG heeft besloten de betrokkenen niet te informeren: stuur hun geen bericht. Richt wel een contactpunt in voor wie zich met vragen meldt (wie, telefoon, e-mail, bereikbaarheid).',
  en: 'The FG decided not to inform the people affected: do not contact them. Do set up a contact point for anyone who comes with questions (who, phone, email, hours).',
} as const;

/**
 * Aftercare (nazorg): a contact point for the people affected and advice on what they can do themselves,
 * chosen by the kind of data; follow-ups at the configured moments (two weeks, three months); then the FG
 * decides whether aftercare can end, with a further follow-up each recheck interval until it does.
 * Each follow-up round is a new run (continue-as-new), so months of aftercare keep a short history; a round that
 * grows long (workflows/resumable.ts) continues as new within the round too.
 */
export async function aftercareWorkflow(input: AftercareInput): Promise<{ followUps: number }> {
  const { breachId, settings, resume } = input;
  // A round carried on by a run from before resumable runs has no journal: it replays as it ran.
  const { playbook, r } = startPlaybook(breachId, 'aftercare', settings, breachId, resume);
  const { timing } = settings;
  let startedAt = resume?.startedAt;
  const done = resume?.followUps ?? 0;
  const round = done + 1;
  return runResumable(
    r,
    () => playbook.quiet(),
    async () => {
      // Since the patch, a contact point set up before the letters is not asked for again, and people the FG decided
      // not to inform are not to be advised: the KCC only sets up a contact point for questions that come in.
      const contactPointFirst =
        startedAt === undefined &&
        isPatched('aftercare-contact-point') &&
        (input.contactPoint !== undefined || input.peopleInformed === false);
      if (contactPointFirst && input.contactPoint !== undefined) {
        startedAt = await r.once('started', async () => {
          const at = new Date().toISOString();
          await playbook.note(
            'aftercare-started',
            'Aftercare started with the contact point set up before the letters',
          );
          return at;
        });
      } else if (contactPointFirst) {
        await playbook.ask('contact-point', {
          dueInMs: timing.aftercareDue,
          detail: NOT_INFORMED[settings.language],
        });
        startedAt = await r.once('started', async () => {
          const at = new Date().toISOString();
          await playbook.note(
            'aftercare-started',
            'Contact point set up for questions; the FG decided not to inform the people affected',
            undefined,
            undefined,
            { informed: false },
          );
          return at;
        });
      }
      if (startedAt === undefined) {
        const advice = adviceFor(input.dataCategories)
          .map((a) => `- ${a[settings.language]}`)
          .join('\n');
        await playbook.ask('aftercare', { dueInMs: timing.aftercareDue, detail: advice });
        startedAt = await r.once('started', async () => {
          const at = new Date().toISOString();
          await playbook.note('aftercare-started', 'Contact point set up and advice given to the people affected');
          return at;
        });
      }
      const since = startedAt;

      const scheduled = timing.aftercareFollowUps[done];
      // From the start of aftercare, or a recheck interval from the start of this round.
      const followUpAt = r.fix('follow-up-due', () =>
        scheduled !== undefined ? Date.parse(since) + scheduled : Date.now() + timing.aftercareRecheck,
      );
      if (scheduled === undefined) {
        const close = await playbook.ask('aftercare-close', {
          id: `aftercare-close-${round}`,
          dueInMs: timing.aftercareFollowUpDue,
        });
        if (close.close) {
          await r.once('finished', () =>
            playbook.note(
              'aftercare-finished',
              `Aftercare closed by the FG after ${done} follow-up(s)`,
              undefined,
              undefined,
              {
                followUps: done,
              },
            ),
          );
          return playbook.finish({ followUps: done });
        }
        await r.once('continues', () =>
          playbook.note('aftercare-continues', `Aftercare continues: ${close.note}`, undefined, undefined, {
            note: close.note,
          }),
        );
      }
      await r.sleepUntil('follow-up-due', () => followUpAt);
      const answer = await playbook.ask('aftercare-follow-up', {
        id: `aftercare-follow-up-${round}`,
        dueInMs: timing.aftercareFollowUpDue,
      });
      await r.once('followed-up', () =>
        playbook.note(
          'aftercare-follow-up',
          `Follow-up ${round}: ${answer.questionsReceived} question(s), harm reported: ${answer.harmReported ? 'yes' : 'no'}, further action needed: ${answer.furtherActionNeeded ? 'yes' : 'no'}`,
          undefined,
          undefined,
          {
            round,
            questions: answer.questionsReceived,
            harm: answer.harmReported,
            further: answer.furtherActionNeeded,
          },
        ),
      );
      await playbook.settle();
      // The next round starts a journal of its own.
      const next = r.on ? { journal: { steps: {}, wakeAt: {} } } : {};
      return continueAsNew<typeof aftercareWorkflow>({
        ...input,
        resume: { startedAt: since, followUps: round, runtime: playbook.snapshot(), ...next },
      });
    },
    (journal) =>
      continueAsNew<typeof aftercareWorkflow>({
        ...input,
        resume: { ...(startedAt ? { startedAt } : {}), followUps: done, runtime: playbook.snapshot(), journal },
      }),
  );
}
