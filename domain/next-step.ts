import type { Assessment, CaseView } from './case';
import { suggestNotification, type SuggestionOptions } from './decision';
import type { Timing } from './config';
import type { Task } from './tasks';

/**
 * What a breach waits for, read from its case view: the open tasks (someone must act), or a timer of a playbook
 * (nobody acts until a given moment). The timers live in the child workflows' journals, not in the view; their
 * moments follow from the view and the configured timing exactly as the playbooks compute them
 * (workflows/containment.ts, aftercare.ts, evaluation.ts), so reading them here needs no workflow change.
 */
export type Wait =
  /** "Lekt het nog?" is asked again: the last round said the leak goes on. */
  | { kind: 'containment-recheck'; at: string }
  /** The next follow-up with the people affected (1-based round). */
  | { kind: 'aftercare-follow-up'; at: string; round: number }
  /** Lessons learned are gathered this long after containment. */
  | { kind: 'evaluation'; at: string };

const ms = (iso: string | undefined) => (iso === undefined ? Number.NaN : Date.parse(iso));
const iso = (at: number) => new Date(at).toISOString();

function byCreation(tasks: readonly Task[], kind: Task['kind']): Task[] {
  return tasks.filter((t) => t.kind === kind).sort((a, b) => ms(a.createdAt) - ms(b.createdAt));
}

function stillLeaking(task: Task): boolean {
  const answer = task.answer as { stillLeaking?: unknown } | undefined;
  return answer?.stillLeaking === true;
}

function containmentWait(view: CaseView, timing: Timing): Wait | undefined {
  if (view.facts.containment?.containedAt) return undefined;
  const rounds = byCreation(view.tasks, 'containment');
  const last = rounds.at(-1);
  if (!last || last.status !== 'done' || !last.completedAt || !stillLeaking(last)) return undefined;
  return { kind: 'containment-recheck', at: iso(ms(last.completedAt) + timing.containmentRecheck) };
}

function aftercareWait(view: CaseView, timing: Timing): Wait | undefined {
  const start = byCreation(view.tasks, 'aftercare')[0];
  if (!start || start.status !== 'done' || !start.completedAt) return undefined;
  const followUps = byCreation(view.tasks, 'aftercare-follow-up');
  const closes = byCreation(view.tasks, 'aftercare-close');
  if ([...followUps, ...closes].some((t) => t.status === 'open')) return undefined;
  const done = followUps.filter((t) => t.status === 'done').length;
  const scheduled = timing.aftercareFollowUps[done];
  if (scheduled !== undefined) {
    return { kind: 'aftercare-follow-up', at: iso(ms(start.completedAt) + scheduled), round: done + 1 };
  }
  // After the scheduled follow-ups the FG decides; "continue" brings another follow-up a recheck later.
  const close = closes.at(-1);
  const answer = close?.answer as { close?: unknown } | undefined;
  if (!close?.completedAt || close.status !== 'done' || answer?.close !== false) return undefined;
  return { kind: 'aftercare-follow-up', at: iso(ms(close.completedAt) + timing.aftercareRecheck), round: done + 1 };
}

function evaluationWait(view: CaseView, timing: Timing): Wait | undefined {
  const containedAt = view.facts.containment?.containedAt;
  if (!containedAt || view.tasks.some((t) => t.kind === 'evaluation')) return undefined;
  return { kind: 'evaluation', at: iso(ms(containedAt) + timing.evaluationAfter) };
}

/** The timers a breach runs now, earliest first; none once it is closed. */
export function waitsOf(view: CaseView, timing: Timing): Wait[] {
  if (view.phase === 'closed' || view.closedAt) return [];
  return [containmentWait(view, timing), aftercareWait(view, timing), evaluationWait(view, timing)]
    .filter((w): w is Wait => w !== undefined && !Number.isNaN(ms(w.at)))
    .sort((a, b) => ms(a.at) - ms(b.at));
}

/** Where the notification to the AP (GDPR art. 33) stands, as the dashboard says it. */
export type AuthorityStatus =
  | { kind: 'notified'; at: string; late: boolean }
  | { kind: 'not-required' }
  | { kind: 'late'; due: string }
  /** Not yet decided: the awareness is not set, or the FG has not decided whether to notify. */
  | { kind: 'not-assessed'; due?: string };

export function authorityStatusOf(view: CaseView, now: number): AuthorityStatus {
  const made = view.notifications.find(
    (n) =>
      n.to === 'authority' &&
      (n.regime === undefined || n.regime === 'gdpr') &&
      (n.phase === undefined || n.phase === 'initial'),
  );
  const deadline = view.deadlines.find((d) => d.kind === 'gdpr-authority');
  if (made) return { kind: 'notified', at: made.at, late: made.late };
  if (deadline?.metAt) return { kind: 'notified', at: deadline.metAt, late: deadline.status === 'late' };
  if (deadline?.status === 'not-required') return { kind: 'not-required' };
  if (deadline && (deadline.status === 'late' || ms(deadline.due) < now)) return { kind: 'late', due: deadline.due };
  return { kind: 'not-assessed', ...(deadline ? { due: deadline.due } : {}) };
}

/** The open tasks of a breach, earliest due first: what needs whom next. */
export function openTasksOf(view: CaseView): Task[] {
  return view.tasks.filter((t) => t.status === 'open').sort((a, b) => ms(a.due) - ms(b.due));
}

/**
 * The assessment as it stands now. The suggestion is computed from the facts as last recorded; a first picture
 * that said "still leaking" keeps saying so until someone amends it, while the containment playbook may since have
 * confirmed the leak stopped. Once containment is confirmed the advice must not urge "the breach is still going
 * on" (art. 33(4)): the suggestion is recomputed as if the facts said it stopped. Only for reading (the case-view
 * query); what the workflow decided on stays as recorded.
 */
export function assessmentNow(
  view: Pick<CaseView, 'assessment' | 'facts'>,
  options: SuggestionOptions = {},
): Assessment | undefined {
  const { assessment } = view;
  const known = view.facts.known;
  if (!assessment || !known || known.stillLeaking !== true || !view.facts.containment?.containedAt) return assessment;
  return {
    ...assessment,
    suggestion: suggestNotification({ ...known, stillLeaking: false }, assessment.severity, options),
  };
}

/** The case view as people read it: with the assessment as it stands now. */
export function viewNow(view: CaseView, options: SuggestionOptions = {}): CaseView {
  const assessment = assessmentNow(view, options);
  return assessment ? { ...view, assessment } : view;
}
