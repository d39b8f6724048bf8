import { answers } from './answers';
import type { Harness } from './harness';
import { CISO, COMMS, FG, ICT, PROCESS_OWNER } from './people';

/**
 * A whole breach, every task answered as people do (after its email went out): two containment rounds, a CISO who
 * does not confirm at first, both notifications, the three interest tasks, aftercare, evaluation and the one
 * improvement action. Needs a harness with short timing (containmentRecheck, aftercareFollowUps, evaluationAfter);
 * or anything that completes a task at rest the same way (bench/scenarios/history.ts).
 */
export async function completeWholeBreach(
  h: Pick<Harness, 'completeAtRest' | 'result'>,
  breachId: string,
  /** Called once the FG's notification decision is in, before anything is notified: to look at the breach then. */
  afterDecision?: () => Promise<void>,
): Promise<void> {
  const complete = (taskId: string, actor: string, answer: unknown) =>
    h.completeAtRest(breachId, taskId, actor, answer);
  await complete('triage', FG, answers.triageBreach());
  await complete('first-picture', CISO, answers.firstPicture());
  await complete('containment-1', ICT, answers.containment(true));
  // Still leaking: the question comes back after the recheck interval.
  await complete('containment-2', ICT, answers.containment(false));
  // The CISO does not confirm yet: another round.
  await complete('containment-confirmation-2', CISO, answers.confirmContainment(false));
  await complete('containment-3', ICT, answers.containment(false));
  await complete('containment-confirmation-3', CISO, answers.confirmContainment(true));
  await complete('impact', PROCESS_OWNER, answers.impact());
  await complete('notification-decision', FG, answers.decision(true, true));
  await afterDecision?.();
  await complete('authority-notification', FG, answers.authorityNotification());
  await complete('data-subject-notification', COMMS, answers.dataSubjectNotification());
  // Organisation's interest, from the facts: 120 people with BSNs (very high severity) and they are informed.
  // Nobody holds legal or finance in the test directory, so those fall to the FG.
  await complete('interest-legal', FG, { outcome: 'No claims expected; processor not involved.' });
  await complete('interest-insurance', FG, { outcome: 'Insurer informed.' });
  await complete('interest-kcc-script', COMMS, { outcome: 'Q&A script published to the KCC.' });
  await complete('aftercare', COMMS, answers.aftercare());
  await complete('aftercare-follow-up-1', PROCESS_OWNER, answers.followUp(true));
  await complete('aftercare-follow-up-2', PROCESS_OWNER, answers.followUp(false));
  await complete('aftercare-close-3', FG, { close: true, note: 'No more questions or reports of misuse.' });
  await complete('evaluation', FG, answers.evaluation());
  // The improvement action's owner, who holds no FG role, completes it.
  await complete('improvement-1', ICT, { done: true, note: 'External autocomplete disabled for all mailboxes.' });
  await h.result(breachId);
}
