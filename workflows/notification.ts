import { condition, continueAsNew, getExternalWorkflowHandle, log } from '@temporalio/workflow';
import type { PlaybookSettings } from '../activities';
import type { Deadline } from '../domain/case';
import { organisationProfileSchema } from '../domain/regimes/profile';
import type { Answer } from '../domain/tasks';
import { gdprNotificationsSettledSignal } from './messages';
import { NotificationDesk, type DeskCarry } from './notification-desk';
import { startPlaybook, type RuntimeSnapshot } from './playbook';
import { runResumable, type Journal } from './resumable';
import { signalUntilTaken } from './signal-again';
import { isPatched } from './patches';

export interface NotificationInput {
  breachId: string;
  /** With `profile` (organisation.profile) once loadSettings passes it; without it: a controller, no NIS2, no DORA. */
  settings: PlaybookSettings;
  awareAt: string;
  /** Set when a previous run continued as new (workflows/resumable.ts): what it knew, and where it was. */
  resume?: { runtime: RuntimeSnapshot; journal: Journal } & DeskCarry;
}

export interface NotificationResult {
  authority: Deadline['status'];
  dataSubjects: Deadline['status'];
}

/**
 * The notification-deadline playbook. Every legal clock that applies (domain/regimes.ts: the GDPR authority
 * deadline, the processor's towards the controller, NIS2's and DORA's) runs from awareness while the
 * investigation goes on: reminders to the FG and their deputy, and at a deadline unmet an escalation to the FG
 * and the executive sponsor. Each deadline has one small timer loop that starts again whenever the deadline
 * moves (a corrected awareness, a classification, a notification that starts the next clock). The FG records
 * the incident's classification, corrections of the moment of awareness and every notification in phases as
 * updates (handled beside this body: workflows/notification-desk.ts); the FG's `authority-notification` task is
 * the initial GDPR notification. The playbook ends when the FG has decided and every deadline is met or not
 * required.
 */
export async function notificationWorkflow(input: NotificationInput): Promise<NotificationResult> {
  const { resume } = input;
  const { playbook, r } = startPlaybook(input.breachId, 'notification', input.settings, input.breachId, resume);
  const profile = input.settings.profile ?? organisationProfileSchema.parse({});

  const desk = new NotificationDesk(input.breachId, input.settings, playbook, profile, r.on, input.awareAt, resume);
  const { clocks } = desk;

  // ------------------------------------------------------------------------------------------------------
  // The clocks start
  // ------------------------------------------------------------------------------------------------------

  clocks.recompute();
  playbook.facts.awareAt = desk.awareAt;
  playbook.deadlineFor = (task) =>
    task.kind === 'authority-notification' ? clocks.tracked.get('gdpr-authority')?.due : undefined;
  return runResumable(
    r,
    () => playbook.quiet(),
    async () => {
      await r.once('deadlines-set', async () => {
        for (const deadline of clocks.computed) {
          if (deadline.kind === 'gdpr-authority') {
            await playbook.note(
              'deadline-set',
              `Authority notification deadline (72 h after awareness): ${deadline.due}`,
              undefined,
              { notification_deadline: deadline.due },
              { deadline: deadline.kind, due: deadline.due ?? '' },
            );
          } else {
            const when =
              deadline.due === undefined
                ? `no due time yet; waits for ${deadline.pendingOn?.text.en ?? 'an earlier step'}`
                : `due ${deadline.due}`;
            await playbook.note(
              'deadline-set',
              `${deadline.label.en} (${deadline.basis}): ${when}${deadline.provisional ? ` — provisional: ${deadline.note?.en ?? ''}` : ''}`,
              undefined,
              undefined,
              // Without a due time yet the entry keeps its recorded text: the step it waits for is English only.
              deadline.due === undefined
                ? undefined
                : { deadline: deadline.kind, due: deadline.due, provisional: !!deadline.provisional },
            );
          }
        }
      });
      clocks.start();

      // ------------------------------------------------------------------------------------------------------
      // The FG's decision; the authority notification
      // ------------------------------------------------------------------------------------------------------

      await condition(() => desk.decision !== undefined);
      const { notifyAuthority, notifyDataSubjects, decidedAt } = desk.decision!;
      clocks.recompute(); // not notifying the authority: its deadline is no longer required (unless already met)
      const authority = () => clocks.tracked.get('gdpr-authority');

      // Met already (also in an earlier run of this playbook): nothing more to do for the authority.
      if (authority() !== undefined && authority()!.metAt === undefined) {
        if (notifyAuthority) {
          const due = authority()!.due;
          const lateAlready = Date.now() >= Date.parse(due);
          const task = await playbook.openTaskOnce('authority-notification', {
            // Past the deadline the task is still due, and urgently: give it an hour.
            due: lateAlready ? new Date(Date.now() + 3_600_000).toISOString() : due,
          });
          // Answered through the task, or recorded directly with recordNotification (which closes the task).
          await condition(() => task.status !== 'open' || authority()?.metAt !== undefined);
          if (task.status === 'done') {
            const answer = task.answer as Answer<'authority-notification'>;
            // What counts is when the AP was notified, not when it was recorded here.
            await r.once('authority-recorded', () =>
              desk.recordNotification(
                {
                  regime: 'gdpr',
                  phase: 'initial',
                  at: answer.notifiedAt,
                  reference: answer.reference,
                  ...(answer.reasonsForDelay ? { reasonsForDelay: answer.reasonsForDelay } : {}),
                  actor: task.completedBy!,
                },
                task.completedBy!,
              ),
            );
          }
        } else {
          await r.once('authority-not-required', () =>
            playbook.note(
              'authority-not-required',
              'The FG decided not to notify the authority (unlikely to result in a risk)',
            ),
          );
        }
      }

      // ------------------------------------------------------------------------------------------------------
      // The people affected (art. 34)
      // ------------------------------------------------------------------------------------------------------

      // Carried by a run that continued as new: the same deadline, not a second one.
      let dataSubjects = r.on ? playbook.deadlines.find((d) => d.kind === 'data-subjects') : undefined;
      if (dataSubjects === undefined) {
        dataSubjects = {
          kind: 'data-subjects',
          due: new Date(Date.parse(decidedAt) + profile.dataSubjectTarget).toISOString(),
          status: notifyDataSubjects ? 'pending' : 'not-required',
        };
        playbook.deadlines.push(dataSubjects);
      }
      const people = dataSubjects;
      if (notifyDataSubjects && (desk.decision!.dataSubjectsBy ?? 'own-channel') !== 'own-channel') {
        // lekdicht informs them itself (the data-subjects playbook); that playbook records the notification.
        await condition(() => desk.informed !== undefined);
        await r.once('data-subjects-notified', async () => {
          const late = Date.parse(desk.informed!.at) > Date.parse(people.due);
          people.status = late ? 'late' : 'met';
          people.metAt = desk.informed!.at;
          await playbook.note(
            'data-subjects-notified',
            `The people affected were informed by ${desk.informed!.channel} (${desk.informed!.recipients} recipient(s)) at ${desk.informed!.at}`,
            undefined,
            {
              data_subjects_notified_at: desk.informed!.at,
            },
            { informedBy: desk.informed!.channel, recipients: desk.informed!.recipients, at: desk.informed!.at },
          );
        });
      } else if (notifyDataSubjects) {
        const answer = await playbook.ask('data-subject-notification', { due: people.due });
        await r.once('data-subjects-notified', async () => {
          const late = Date.parse(answer.notifiedAt) > Date.parse(people.due);
          people.status = late ? 'late' : 'met';
          people.metAt = answer.notifiedAt;
          playbook.notifications.push({
            to: 'data-subjects',
            at: answer.notifiedAt,
            recordedBy: playbook.tasks.get('data-subject-notification')!.completedBy!,
            late,
            channel: answer.channel,
          });
          await playbook.note(
            'data-subjects-notified',
            `About ${answer.approxRecipients} data subject(s) informed by ${answer.channel} at ${answer.notifiedAt}`,
            undefined,
            {
              data_subjects_notified_at: answer.notifiedAt,
            },
            { ownChannel: answer.channel, approx: answer.approxRecipients, at: answer.notifiedAt },
          );
        });
      } else {
        await r.once('data-subjects-not-required', () =>
          playbook.note('data-subjects-not-required', 'The FG decided the people affected need not be informed'),
        );
      }

      // Aftercare need not wait for a NIS2 or DORA final report due a month from now.
      if (r.on || isPatched('gdpr-notifications-settled-signal')) {
        await r.once('gdpr-settled', async () => {
          // The breach moves on to aftercare when it hears this: its case view first gets this playbook's changes.
          if (playbook.queued) await playbook.heard();
          try {
            // With a payload, so only a holder of the payload keys can send it (workflows/messages.ts).
            if (r.on)
              await signalUntilTaken(() =>
                getExternalWorkflowHandle(input.breachId).signal(gdprNotificationsSettledSignal, {
                  breachId: input.breachId,
                }),
              );
            else await getExternalWorkflowHandle(input.breachId).signal(gdprNotificationsSettledSignal);
          } catch (err) {
            // Only when the playbook runs without its breach (tests, a manual start): nobody waits for the signal.
            log.warn('Could not tell the breach workflow the GDPR notifications are settled', { error: String(err) });
          }
        });
      }

      // ------------------------------------------------------------------------------------------------------
      // The end: every deadline met or not required (NIS2 and DORA reports can run a month beyond this point)
      // ------------------------------------------------------------------------------------------------------

      await condition(() => clocks.allSettled());
      await condition(() => clocks.running === 0);
      return playbook.finish({ authority: authority()?.status ?? 'not-required', dataSubjects: people.status });
    },
    (journal) =>
      continueAsNew<typeof notificationWorkflow>({
        ...input,
        resume: {
          runtime: playbook.snapshot(),
          journal,
          ...desk.carry(),
        },
      }),
  );
}
