import {
  ApplicationFailure,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  patched,
  setHandler,
} from '@temporalio/workflow';
import type { PlaybookSettings } from '../activities';
import type { BreachPatch } from '../domain/register';
import type { Deadline, NotificationRecord } from '../domain/case';
import { describeIssues, type Refused } from '../domain/errors';
import {
  classifyIncidentArgsSchema,
  describeClassification,
  mergeClassification,
  organisationProfileSchema,
  type IncidentClassification,
} from '../domain/regimes/profile';
import {
  checkNotification,
  deadlineKindFor,
  describeNotification,
  recordNotificationArgsSchema,
  regimeMomentsFrom,
  type RecordedNotificationArgs,
} from '../domain/regimes/notifications';
import type { RegimeDeadlineKind } from '../domain/regimes/deadlines';
import {
  correctAwareness,
  correctAwarenessArgsSchema,
  type AwarenessContext,
  type AwarenessCorrection,
} from '../domain/regimes/awareness';
import { findPerson, mayActFor, type Role } from '../domain/roles';
import type { Answer } from '../domain/tasks';
import {
  classifyIncidentUpdate,
  correctAwarenessUpdate,
  dataSubjectsInformedSignal,
  gdprNotificationsSettledSignal,
  notificationDecisionSignal,
  type DataSubjectsInformed,
  recordNotificationUpdate,
  type NotificationDecision,
} from './messages';
import { activities } from './activities';
import { DeadlineClocks, phasedOf } from './deadline-clocks';
import { startPlaybook, type RuntimeSnapshot } from './playbook';
import { actProven, operatorActOf, setValidatedUpdate } from './acts';
import { runResumable, type Journal } from './resumable';
import { describeOperator } from '../domain/act-proof';

export interface NotificationInput {
  breachId: string;
  /** With `profile` (organisation.profile) once loadSettings passes it; without it: a controller, no NIS2, no DORA. */
  settings: PlaybookSettings;
  awareAt: string;
  /** Set when a previous run continued as new (workflows/resumable.ts): what it knew, and where it was. */
  resume?: {
    runtime: RuntimeSnapshot;
    journal: Journal;
    awareAt: string;
    classification: IncidentClassification;
    decision?: NotificationDecision;
    informed?: DataSubjectsInformed;
    /** The due instants that passed unmet, per deadline. */
    missed: [RegimeDeadlineKind, string][];
  };
}

export interface NotificationResult {
  authority: Deadline['status'];
  dataSubjects: Deadline['status'];
}

type Checked<T> = ({ ok: true; actor: string } & T) | Refused;

/**
 * The notification-deadline playbook. Every legal clock that applies (domain/regimes.ts: the GDPR authority
 * deadline, the processor's towards the controller, NIS2's and DORA's) runs from awareness while the
 * investigation goes on: reminders to the FG and their deputy, and at a deadline unmet an escalation to the FG
 * and the executive sponsor. Each deadline has one small timer loop that starts again whenever the deadline
 * moves (a corrected awareness, a classification, a notification that starts the next clock). The FG records
 * the incident's classification, corrections of the moment of awareness and every notification in phases as
 * updates; the FG's `authority-notification` task is the initial GDPR notification. The playbook ends when
 * the FG has decided and every deadline is met or not required.
 */
export async function notificationWorkflow(input: NotificationInput): Promise<NotificationResult> {
  const { resume } = input;
  const { playbook, r } = startPlaybook(input.breachId, 'notification', input.settings, input.breachId, resume);
  const { timing, directory, language } = input.settings;
  const profile = input.settings.profile ?? organisationProfileSchema.parse({});

  let decision: NotificationDecision | undefined = resume?.decision;
  let awareAt = resume?.awareAt ?? input.awareAt;
  let classification: IncidentClassification = resume?.classification ?? {};
  const clocks = new DeadlineClocks(
    playbook,
    profile,
    language,
    timing.notificationReminders,
    r.on,
    () => ({ awareAt, classification, notifyAuthority: decision?.notifyAuthority }),
    resume?.missed ?? [],
  );
  const phased = () => phasedOf(playbook.notifications);

  // ------------------------------------------------------------------------------------------------------
  // Messages: the FG's decision (from the breach), classification, correction of awareness, notifications
  // ------------------------------------------------------------------------------------------------------

  let informed: DataSubjectsInformed | undefined = resume?.informed;
  setHandler(dataSubjectsInformedSignal, (i) => {
    informed = i;
  });
  setHandler(notificationDecisionSignal, (d) => {
    decision = d;
  });

  const checkActor = (actor: string, roles: Role[]): Refused | undefined => {
    const person = findPerson(directory, actor);
    if (!person)
      return {
        ok: false,
        code: 'actor-unknown',
        params: { actor },
        message: `actor: ${actor} is not in the directory`,
      };
    if (!roles.some((role) => mayActFor(directory, role, actor)))
      return {
        ok: false,
        code: 'actor-lacks-role',
        params: { actor, roles: roles.join(',') },
        message: `actor: ${actor} does not hold the role ${roles.map((r) => `"${r}"`).join(' or ')} this needs`,
      };
    return undefined;
  };
  const emailOf = (actor: string) => findPerson(directory, actor)?.email ?? actor;
  const deadlinesNow = () => playbook.deadlines.map((d) => ({ ...d }));
  /** How an operator act reads in the timeline: " (by … via CLI, OS user …; operator act)". */
  const operatorSuffix = (args: unknown, actor: string): string => {
    const via = operatorActOf(args);
    return via ? ` (by ${describeOperator(actor, via)}; operator act)` : '';
  };

  const checkClassification = (args: unknown): Checked<{ classification: IncidentClassification }> => {
    const parsed = classifyIncidentArgsSchema.safeParse(args);
    if (!parsed.success) return { ok: false, message: describeIssues(parsed.error) };
    const who = checkActor(parsed.data.actor, ['fg', 'ciso']);
    if (who) return who;
    const merged = mergeClassification(classification, parsed.data, awareAt, Date.now());
    if (!merged.ok) return merged;
    return { ok: true, actor: emailOf(parsed.data.actor), classification: merged.classification };
  };
  setValidatedUpdate(
    classifyIncidentUpdate,
    async (args) => {
      const checked = checkClassification(args);
      if (!checked.ok) throw ApplicationFailure.nonRetryable(checked.message);
      const before = describeClassification(classification);
      classification = checked.classification;
      playbook.facts.classification = { ...classification };
      const changes = clocks.recompute();
      await playbook.note(
        'incident-classified',
        `Incident classified by ${checked.actor}${operatorSuffix(args, checked.actor)}: ${describeClassification(classification)} (before: ${before}). ${changes.length > 0 ? `Deadlines: ${changes.join('; ')}` : 'No deadline changes.'}`,
        checked.actor,
      );
      return deadlinesNow();
    },
    [checkClassification, actProven(input.breachId, input.settings, 'classifyIncident')],
  );

  const awarenessContext = (by?: string): AwarenessContext => ({
    profile,
    classification,
    ...(decision?.notifyDataSubjects ? { decidedAt: decision.decidedAt } : {}),
    ...regimeMomentsFrom(phased()),
    ...(by ? { by } : {}),
  });
  const checkCorrection = (
    args: unknown,
  ): Checked<{ correction: AwarenessCorrection & { ok: true }; reason: string }> => {
    const parsed = correctAwarenessArgsSchema.safeParse(args);
    if (!parsed.success) return { ok: false, message: describeIssues(parsed.error) };
    const who = checkActor(parsed.data.actor, ['fg']);
    if (who) return who;
    const actor = emailOf(parsed.data.actor);
    const correction = correctAwareness(awareAt, parsed.data.awareAt, Date.now(), awarenessContext(actor));
    if (!correction.ok)
      return { ok: false, message: correction.message.replace(/^(newAwareAt|oldAwareAt):/, 'awareAt:') };
    return { ok: true, actor, correction, reason: parsed.data.reason };
  };
  setValidatedUpdate(
    correctAwarenessUpdate,
    async (args) => {
      const checked = checkCorrection(args);
      if (!checked.ok) throw ApplicationFailure.nonRetryable(checked.message);
      const { correction, actor, reason } = checked;
      const wasLate = clocks.tracked.get('gdpr-authority')?.status === 'late';
      awareAt = correction.to;
      playbook.facts.awareAt = awareAt;
      clocks.recompute();
      const authority = clocks.tracked.get('gdpr-authority');
      const patch: BreachPatch = {
        aware_at: awareAt,
        ...(authority ? { notification_deadline: authority.due } : {}),
        ...(wasLate && authority?.status !== 'late' ? { notification_late: false } : {}),
      };
      await playbook.note(
        'awareness-corrected',
        `${correction.summary.en} (UTC: from ${correction.from} to ${correction.to}). Reason: ${reason}${operatorSuffix(args, actor)}`,
        actor,
        patch,
      );
      // The FG's open notification task follows its deadline (past it: still due, within the hour).
      if (authority !== undefined && patched('authority-task-follows-deadline')) {
        const due =
          Date.now() >= Date.parse(authority.due) ? new Date(Date.now() + 3_600_000).toISOString() : authority.due;
        await playbook.reschedule('authority-notification', due, 'the moment of awareness was corrected');
      }
      return {
        from: correction.from,
        to: correction.to,
        moves: correction.moves.map(({ kind, from, to, shiftMs }) => ({ kind, from, to, shiftMs })),
        deadlines: deadlinesNow(),
      };
    },
    [checkCorrection, actProven(input.breachId, input.settings, 'correctAwareness')],
  );

  const checkRecord = (args: unknown): Checked<{ notification: RecordedNotificationArgs }> => {
    const parsed = recordNotificationArgsSchema.safeParse(args);
    if (!parsed.success) return { ok: false, message: describeIssues(parsed.error) };
    const who = checkActor(parsed.data.actor, ['fg']);
    if (who) return who;
    // The FG's task was just answered and its notification is about to be recorded: it is the initial one.
    const task = playbook.tasks.get('authority-notification');
    if (
      parsed.data.regime === 'gdpr' &&
      parsed.data.phase === 'initial' &&
      task?.status === 'done' &&
      clocks.computed.find((d) => d.kind === 'gdpr-authority')?.metAt === undefined
    ) {
      return {
        ok: false,
        message:
          'phase: the initial GDPR notification is being recorded from task authority-notification; try again in a moment, as a supplement',
      };
    }
    const problem = checkNotification(parsed.data, {
      now: Date.now(),
      awareAt,
      recorded: phased(),
      deadlines: clocks.computed,
    });
    if (problem) return { ok: false, message: problem };
    return { ok: true, actor: emailOf(parsed.data.actor), notification: parsed.data };
  };
  setValidatedUpdate(
    recordNotificationUpdate,
    async (args) => {
      const checked = checkRecord(args);
      if (!checked.ok) throw ApplicationFailure.nonRetryable(checked.message);
      const record = await recordNotification(checked.notification, checked.actor, operatorSuffix(args, checked.actor));
      return { notification: { ...record }, deadlines: deadlinesNow() };
    },
    [checkRecord, actProven(input.breachId, input.settings, 'recordNotification')],
  );

  /**
   * Records a notification and meets its deadline. Everything up to the first await is synchronous, so a
   * second message in the same activation sees it. An initial GDPR notification recorded this way closes the
   * FG's open `authority-notification` task, which would otherwise ask for it a second time.
   */
  async function recordNotification(
    notification: RecordedNotificationArgs,
    actor: string,
    how = '',
  ): Promise<NotificationRecord> {
    const { regime, phase, at, reference, reasonsForDelay } = notification;
    const kind = deadlineKindFor(regime, phase);
    const due = kind === undefined ? undefined : clocks.computed.find((d) => d.kind === kind)?.due;
    const late = due !== undefined && Date.parse(at) > Date.parse(due);
    const record: NotificationRecord = {
      to: regime === 'processor' ? 'controller' : 'authority',
      regime,
      phase,
      at,
      recordedBy: actor,
      late,
      reference,
      ...(reasonsForDelay ? { reasonsForDelay } : {}),
    };
    playbook.notifications.push(record);
    const changes = clocks.recompute();
    // Set before the first await: a completion of the task in the same activation is refused.
    const cancelled = kind === 'gdpr-authority' ? playbook.cancelTask('authority-notification') : undefined;

    const what = describeNotification(regime, phase);
    const delay = reasonsForDelay ? `; reasons for the delay: ${reasonsForDelay}` : '';
    const moved = changes.length > 0 ? `. Deadlines: ${changes.join('; ')}` : '';
    if (kind === 'gdpr-authority') {
      await playbook.note(
        'authority-notified',
        `Authority notified at ${at}, reference ${reference}${late ? ' (late)' : ''}${delay}${moved}${how}`,
        actor,
        {
          authority_notified_at: at,
          authority_reference: reference,
          notification_late: late,
        },
      );
    } else {
      const meets = kind === undefined ? '' : `; meets ${clocks.english(kind)}${late ? ' (late)' : ''}`;
      await playbook.note(
        'notification-recorded',
        `${what.charAt(0).toUpperCase()}${what.slice(1)} recorded: submitted ${at}, reference ${reference}${meets}${delay}${moved}${how}`,
        actor,
      );
    }
    if (cancelled) {
      await playbook.note(
        'task-cancelled',
        `Task ${cancelled.id} closed: the initial notification to the authority was recorded directly`,
        actor,
      );
      if (patched('task-before-ticket')) playbook.closeTicketBeside(cancelled, 'cancelled');
      else {
        await condition(() => cancelled.ticketRef !== undefined);
        await activities.closeTicket({ breachId: input.breachId, taskId: cancelled.id, resolution: 'cancelled' });
      }
    }
    return record;
  }

  // ------------------------------------------------------------------------------------------------------
  // The clocks start
  // ------------------------------------------------------------------------------------------------------

  clocks.recompute();
  playbook.facts.awareAt = awareAt;
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
            );
          } else {
            const when =
              deadline.due === undefined
                ? `no due time yet; waits for ${deadline.pendingOn?.text.en ?? 'an earlier step'}`
                : `due ${deadline.due}`;
            await playbook.note(
              'deadline-set',
              `${deadline.label.en} (${deadline.basis}): ${when}${deadline.provisional ? ` — provisional: ${deadline.note?.en ?? ''}` : ''}`,
            );
          }
        }
      });
      clocks.start();

      // ------------------------------------------------------------------------------------------------------
      // The FG's decision; the authority notification
      // ------------------------------------------------------------------------------------------------------

      await condition(() => decision !== undefined);
      const { notifyAuthority, notifyDataSubjects, decidedAt } = decision!;
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
              recordNotification(
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
      if (notifyDataSubjects && (decision!.dataSubjectsBy ?? 'own-channel') !== 'own-channel') {
        // lekdicht informs them itself (the data-subjects playbook); that playbook records the notification.
        await condition(() => informed !== undefined);
        await r.once('data-subjects-notified', async () => {
          const late = Date.parse(informed!.at) > Date.parse(people.due);
          people.status = late ? 'late' : 'met';
          people.metAt = informed!.at;
          await playbook.note(
            'data-subjects-notified',
            `The people affected were informed by ${informed!.channel} (${informed!.recipients} recipient(s)) at ${informed!.at}`,
            undefined,
            {
              data_subjects_notified_at: informed!.at,
            },
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
          );
        });
      } else {
        await r.once('data-subjects-not-required', () =>
          playbook.note('data-subjects-not-required', 'The FG decided the people affected need not be informed'),
        );
      }

      // Aftercare need not wait for a NIS2 or DORA final report due a month from now.
      if (r.on || patched('gdpr-notifications-settled-signal')) {
        await r.once('gdpr-settled', async () => {
          try {
            // With a payload, so only a holder of the payload keys can send it (workflows/messages.ts).
            if (r.on)
              await getExternalWorkflowHandle(input.breachId).signal(gdprNotificationsSettledSignal, {
                breachId: input.breachId,
              });
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
          awareAt,
          classification,
          ...(decision ? { decision } : {}),
          ...(informed ? { informed } : {}),
          missed: [...clocks.missed],
        },
      }),
  );
}
