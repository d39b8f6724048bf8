import { describe, expect, it } from 'vitest';
import type { CaseView } from '../../domain/case';
import { timingSchema } from '../../domain/config';
import { suggestNotification } from '../../domain/decision';
import type { BreachFacts } from '../../domain/facts';
import { assessmentNow, authorityStatusOf, waitsOf } from '../../domain/next-step';
import { assessSeverity } from '../../domain/severity';
import type { Task } from '../../domain/tasks';

const NOW = Date.parse('2026-11-28T10:00:00Z');
const HOUR = 3_600_000;
const at = (h: number) => new Date(NOW + h * HOUR).toISOString();
const timing = timingSchema.parse({
  containmentRecheck: '2h',
  aftercareFollowUps: ['1d', '3d'],
  evaluationAfter: '5d',
});

const leaking: BreachFacts = {
  dataCategories: ['location'],
  identifiability: 'maximum',
  impact: { confidentiality: 'significant', integrity: 'none', availability: 'none' },
  intentional: false,
  stillLeaking: true,
};

function view(extra: Partial<CaseView>): CaseView {
  return {
    breachId: 'b',
    phase: 'containment',
    openedAt: at(-10),
    reports: [],
    facts: {},
    tasks: [],
    decisions: [],
    deadlines: [],
    notifications: [],
    timeline: [],
    ...extra,
  };
}
const task = (kind: Task['kind'], extra: Partial<Task>): Task => ({
  id: kind,
  kind,
  role: 'fg',
  title: kind,
  playbook: 'breach',
  workflowId: 'w',
  createdAt: at(-5),
  due: at(5),
  status: 'open',
  overdue: false,
  ...extra,
});

describe('the advice after containment', () => {
  const severity = assessSeverity(leaking);
  const assessment = { severity, suggestion: suggestNotification(leaking, severity) };

  it('stops urging "still going on" once the CISO confirmed containment', () => {
    const before = view({ facts: { known: leaking }, assessment });
    expect(assessmentNow(before)).toBe(assessment);
    const after = view({
      facts: { known: leaking, containment: { rounds: 2, measures: {} as never, containedAt: at(-1) } },
      assessment,
    });
    const now = assessmentNow(after)!;
    expect(now.suggestion).toEqual(suggestNotification({ ...leaking, stillLeaking: false }, severity));
    expect(now.suggestion.reasons.length).toBe(assessment.suggestion.reasons.length - 1);
    expect(now.severity).toBe(severity);
  });
  it("recomputes with the organisation's threshold for a public communication", () => {
    const many: BreachFacts = {
      ...leaking,
      dataCategories: ['financial'],
      exfiltration: 'confirmed',
      approxPeople: 50,
    };
    const manySeverity = assessSeverity(many);
    const after = view({
      facts: { known: many, containment: { rounds: 2, measures: {} as never, containedAt: at(-1) } },
      assessment: { severity: manySeverity, suggestion: suggestNotification(many, manySeverity) },
    });
    const options = { publicCommunicationThreshold: 10 };
    const now = assessmentNow(after, options)!;
    expect(now.suggestion).toEqual(suggestNotification({ ...many, stillLeaking: false }, manySeverity, options));
    expect(now.suggestion.publicCommunication).toBe(true);
    expect(assessmentNow(after)!.suggestion.publicCommunication).toBe(false);
  });
});

describe('the timers a breach waits for', () => {
  it('the containment recheck after "still leaking: yes", gone once a new round opens', () => {
    const round1 = task('containment', {
      id: 'containment-1',
      status: 'done',
      completedAt: at(-1),
      answer: { stillLeaking: true },
    });
    expect(waitsOf(view({ tasks: [round1] }), timing)).toEqual([{ kind: 'containment-recheck', at: at(1) }]);
    const round2 = task('containment', { id: 'containment-2', createdAt: at(1) });
    expect(waitsOf(view({ tasks: [round1, round2] }), timing)).toEqual([]);
    const stopped = { ...round1, answer: { stillLeaking: false } };
    expect(waitsOf(view({ tasks: [stopped] }), timing)).toEqual([]);
  });

  it('the follow-ups from the start of aftercare, and the evaluation from containment', () => {
    const start = task('aftercare', { status: 'done', completedAt: at(-2) });
    const contained = { rounds: 1, measures: {} as never, containedAt: at(-48) };
    const followUp1 = task('aftercare-follow-up', { id: 'aftercare-follow-up-1', status: 'done', completedAt: at(-1) });
    expect(waitsOf(view({ phase: 'aftercare', facts: { containment: contained }, tasks: [start] }), timing)).toEqual([
      { kind: 'aftercare-follow-up', at: at(22), round: 1 },
      { kind: 'evaluation', at: at(72) },
    ]);
    expect(waitsOf(view({ phase: 'aftercare', tasks: [start, followUp1] }), timing)).toEqual([
      { kind: 'aftercare-follow-up', at: at(70), round: 2 },
    ]);
    expect(waitsOf(view({ phase: 'closed', closedAt: at(0), tasks: [start] }), timing)).toEqual([]);
  });
});

describe('the AP status', () => {
  it('notified, not required, late, or not yet assessed', () => {
    const due = { kind: 'gdpr-authority' as const, due: at(10), status: 'pending' as const };
    expect(authorityStatusOf(view({}), NOW)).toEqual({ kind: 'not-assessed' });
    expect(authorityStatusOf(view({ deadlines: [due] }), NOW)).toEqual({ kind: 'not-assessed', due: at(10) });
    expect(authorityStatusOf(view({ deadlines: [{ ...due, due: at(-1) }] }), NOW).kind).toBe('late');
    expect(authorityStatusOf(view({ deadlines: [{ ...due, status: 'not-required' }] }), NOW).kind).toBe('not-required');
    const notified = view({
      deadlines: [{ ...due, status: 'met', metAt: at(-2) }],
      notifications: [{ to: 'authority', regime: 'gdpr', phase: 'initial', at: at(-2), recordedBy: 'x', late: false }],
    });
    expect(authorityStatusOf(notified, NOW)).toEqual({ kind: 'notified', at: at(-2), late: false });
  });
});
