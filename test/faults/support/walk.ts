import type { Phase } from '../../../domain/case';
import type { ConfigInput } from '../../../domain/config';
import { answers } from '../../support/answers';
import { CISO, COMMS, FG, ICT, PROCESS_OWNER } from '../../support/people';
import type { FaultRig } from './rig';

/** Short timings so a whole breach, aftercare and evaluation included, takes seconds. */
export const FAST_TIMING: NonNullable<ConfigInput['timing']> = {
  containmentRecheck: '1s',
  aftercareFollowUps: ['1s'],
  evaluationAfter: '1s',
};

export interface Step {
  taskId: string;
  actor: string;
  answer: () => unknown;
  /** The phase the breach waits in while this task is open. */
  phase: Phase;
}

/** Every task of a notified breach (authority and people affected via the organisation's own channel), in order. */
export const STEPS: Step[] = [
  { taskId: 'triage', actor: FG, answer: () => answers.triageBreach(), phase: 'triage' },
  { taskId: 'first-picture', actor: CISO, answer: () => answers.firstPicture(), phase: 'first-picture' },
  { taskId: 'containment-1', actor: ICT, answer: () => answers.containment(false), phase: 'containment' },
  {
    taskId: 'containment-confirmation-1',
    actor: CISO,
    answer: () => answers.confirmContainment(true),
    phase: 'containment',
  },
  { taskId: 'impact', actor: PROCESS_OWNER, answer: () => answers.impact(), phase: 'impact' },
  { taskId: 'notification-decision', actor: FG, answer: () => answers.decision(true, true), phase: 'decision' },
  { taskId: 'authority-notification', actor: FG, answer: () => answers.authorityNotification(), phase: 'notification' },
  {
    taskId: 'data-subject-notification',
    actor: COMMS,
    answer: () => answers.dataSubjectNotification(),
    phase: 'notification',
  },
  { taskId: 'interest-legal', actor: FG, answer: () => ({ outcome: 'No claims expected.' }), phase: 'aftercare' },
  { taskId: 'interest-insurance', actor: FG, answer: () => ({ outcome: 'Insurer informed.' }), phase: 'aftercare' },
  {
    taskId: 'interest-kcc-script',
    actor: COMMS,
    answer: () => ({ outcome: 'Q&A script published.' }),
    phase: 'aftercare',
  },
  { taskId: 'aftercare', actor: COMMS, answer: () => answers.aftercare(), phase: 'aftercare' },
  { taskId: 'aftercare-follow-up-1', actor: PROCESS_OWNER, answer: () => answers.followUp(false), phase: 'aftercare' },
  {
    taskId: 'aftercare-close-2',
    actor: FG,
    answer: () => ({ close: true, note: 'No more questions.' }),
    phase: 'aftercare',
  },
  { taskId: 'evaluation', actor: FG, answer: () => answers.evaluation(), phase: 'evaluation' },
  {
    taskId: 'improvement-1',
    actor: ICT,
    answer: () => ({ done: true, note: 'Autocomplete disabled.' }),
    phase: 'evaluation',
  },
];

/** The tasks a notified breach has when it closes (STEPS), for "nothing lost". */
export const ALL_TASKS = STEPS.map((s) => s.taskId).sort();

/**
 * Completes every task of the breach (not done yet) through updates, calling `before(step)` when the task is open and the
 * breach waits for it (the moment to inject a fault), then waits for the breach's result.
 */
export async function walkBreach(
  rig: FaultRig,
  breachId: string,
  before?: (step: Step) => Promise<void>,
): Promise<unknown> {
  for (const step of STEPS) {
    // Steps a test already took itself are skipped.
    const done = await rig.view(breachId).then(
      (view) => view.tasks.some((t) => t.id === step.taskId && t.status === 'done'),
      () => false, // not queryable yet (its first workflow task still to run): nothing done
    );
    if (done) continue;
    await rig.openTask(breachId, step.taskId);
    await before?.(step);
    await rig.complete(breachId, step.taskId, step.actor, step.answer());
  }
  return rig.result(breachId);
}
