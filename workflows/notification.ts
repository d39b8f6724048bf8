import { condition, setHandler } from '@temporalio/workflow';
import type { PlaybookSettings } from '../activities';
import type { Deadline } from '../domain/case';
import { authorityDeadline, upcomingReminders } from '../domain/deadlines';
import { notificationDecisionSignal, type NotificationDecision } from './messages';
import { PlaybookRuntime } from './playbook';

export interface NotificationInput {
  breachId: string;
  settings: PlaybookSettings;
  awareAt: string;
}

export interface NotificationResult {
  authority: Deadline['status'];
  dataSubjects: Deadline['status'];
}

/**
 * The notification-deadline playbook. The 72-hour clock runs from awareness, while the investigation goes
 * on (it does not pause): reminders to the FG, and at the deadline unmet an escalation to the FG and the
 * executive sponsor. After the FG's decision it records the notifications themselves.
 */
export async function notificationWorkflow(input: NotificationInput): Promise<NotificationResult> {
  const playbook = new PlaybookRuntime(input.breachId, 'notification', input.settings, input.breachId);
  const { timing } = input.settings;
  let decision: NotificationDecision | undefined;
  setHandler(notificationDecisionSignal, (d) => {
    decision = d;
  });

  const authority: Deadline = { kind: 'gdpr-authority', due: authorityDeadline(input.awareAt), status: 'pending' };
  playbook.deadlines.push(authority);
  const deadlinePassed = () => Date.now() >= Date.parse(authority.due);
  playbook.deadlineFor = (task) => (task.kind === 'authority-notification' ? authority.due : undefined);
  await playbook.note('deadline-set', `Authority notification deadline (72 h after awareness): ${authority.due}`, undefined, {
    notification_deadline: authority.due,
  });

  const settled = () => authority.status !== 'pending';
  const clock = (async () => {
    for (const reminder of upcomingReminders(input.awareAt, authority.due, timing.notificationReminders, Date.now())) {
      if (await condition(settled, Math.max(Date.parse(reminder.at) - Date.now(), 1))) return;
      await playbook.email(`deadline-reminder:${reminder.afterMs}`, ['fg'], { kind: 'deadline-reminder', deadline: authority.due, hoursLeft: reminder.hoursLeft }, { escalateFrom: 'fg' });
    }
    if (await condition(settled, Math.max(Date.parse(authority.due) - Date.now(), 1))) return;
    authority.status = 'late';
    await playbook.note('deadline-missed', `Authority notification deadline ${authority.due} passed without a notification`, undefined, {
      notification_late: true,
    });
    await playbook.email('deadline-missed', ['fg', 'executive-sponsor'], { kind: 'deadline-missed', deadline: authority.due });
  })();

  await condition(() => decision !== undefined);
  const { notifyAuthority, notifyDataSubjects, decidedAt } = decision!;

  if (notifyAuthority) {
    const lateAlready = deadlinePassed();
    const answer = await playbook.ask('authority-notification', {
      // Past the deadline the task is still due, and urgently: give it an hour.
      due: lateAlready ? new Date(Date.now() + 3_600_000).toISOString() : authority.due,
    });
    // What counts is when the AP was notified, not when it was recorded here.
    const late = Date.parse(answer.notifiedAt) > Date.parse(authority.due);
    authority.status = late ? 'late' : 'met';
    authority.metAt = answer.notifiedAt;
    playbook.notifications.push({
      to: 'authority',
      at: answer.notifiedAt,
      recordedBy: playbook.tasks.get('authority-notification')!.completedBy!,
      late,
      reference: answer.reference,
      ...(answer.reasonsForDelay ? { reasonsForDelay: answer.reasonsForDelay } : {}),
    });
    await playbook.note('authority-notified', `Authority notified at ${answer.notifiedAt}, reference ${answer.reference}${late ? ' (late)' : ''}`, undefined, {
      authority_notified_at: answer.notifiedAt,
      authority_reference: answer.reference,
      notification_late: late,
    });
  } else {
    authority.status = 'not-required';
    await playbook.note('authority-not-required', 'The FG decided not to notify the authority (unlikely to result in a risk)');
  }
  await clock;

  const dataSubjects: Deadline = {
    kind: 'data-subjects',
    due: new Date(Date.parse(decidedAt) + timing.dataSubjectNotificationDue).toISOString(),
    status: notifyDataSubjects ? 'pending' : 'not-required',
  };
  playbook.deadlines.push(dataSubjects);
  if (notifyDataSubjects) {
    const answer = await playbook.ask('data-subject-notification', { due: dataSubjects.due });
    const late = Date.parse(answer.notifiedAt) > Date.parse(dataSubjects.due);
    dataSubjects.status = late ? 'late' : 'met';
    dataSubjects.metAt = answer.notifiedAt;
    playbook.notifications.push({
      to: 'data-subjects',
      at: answer.notifiedAt,
      recordedBy: playbook.tasks.get('data-subject-notification')!.completedBy!,
      late,
      channel: answer.channel,
    });
    await playbook.note('data-subjects-notified', `About ${answer.approxRecipients} data subject(s) informed by ${answer.channel} at ${answer.notifiedAt}`, undefined, {
      data_subjects_notified_at: answer.notifiedAt,
    });
  } else {
    await playbook.note('data-subjects-not-required', 'The FG decided the people affected need not be informed');
  }
  return playbook.finish({ authority: authority.status, dataSubjects: dataSubjects.status });
}
