import {
  condition,
  executeChild,
  patched,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Assessment, CaseView, Decision, DuplicateReports, Facts, Outcome, Phase, Report } from '../domain/case';
import { authorityDeadline } from '../domain/deadlines';
import { finalRecord } from '../domain/report';
import { runDetails } from '../domain/run-details';
import { BREACH_TEAM, holdersOf, mayActFor } from '../domain/roles';
import { amendFacts, factsAmendmentSchema, type BreachFacts } from '../domain/facts';
import { assessSeverity } from '../domain/severity';
import { suggestNotification } from '../domain/decision';
import { describeSuggestion } from '../domain/explain';
import { describeIssues } from '../domain/errors';
import { interestTasksFor } from '../domain/interests';
import { dataSubjectTargetOf } from '../domain/regimes';
import { breachSignalSchema, type BreachSignal } from '../domain/signal';
import { activities } from './activities';
import { aftercareWorkflow } from './aftercare';
import { containmentWorkflow } from './containment';
import { evaluationWorkflow } from './evaluation';
import {
  amendFactsUpdate,
  caseViewQuery,
  dataSubjectsInformedSignal,
  duplicateReportsSignal,
  gdprNotificationsSettledSignal,
  notificationDecisionSignal,
  playbookReportSignal,
  reportSignal,
  type PlaybookState,
} from './messages';
import { notificationWorkflow } from './notification';
import { dataSubjectsWorkflow } from './data-subjects';
import { letterFor } from './letter';
import { ACTS_PATCH, PlaybookRuntime, operatorOf } from './playbook';
import { actBody, checkAct, describeOperator, type ActAuthority } from '../domain/act-proof';
import type { FactsAmendment } from '../domain/facts';

type AmendFactsArgs = { actor: string; amendment: FactsAmendment } & ActAuthority;
import { AUTHORITY_NOTIFIED, BREACH_PHASE, NOTIFICATION_DEADLINE, SEVERITY_BAND } from './search-attributes';

export interface BreachResult {
  outcome: Outcome;
  closedAt: string;
}

/**
 * One breach, from signal to closure (steps 1–11 of the procedure). Started by signal-with-start with an
 * id derived from the signal's source and event id, so every report of the same event lands here.
 * Containment, the notification deadline, aftercare and evaluation run as child workflows (the playbooks).
 */
export async function breachWorkflow(): Promise<BreachResult> {
  const breachId = workflowInfo().workflowId;
  const reports: Report[] = [];
  const decisions: Decision[] = [];
  const children = new Map<string, PlaybookState>();
  let phase: Phase = 'triage';
  let outcome: Outcome | undefined;
  let closedAt: string | undefined;
  const openedAt = new Date().toISOString();

  // Duplicates are counted, not kept: per source, the reports that reached us by signal (CLI, web form, reports
  // racing the first one) and the totals the HTTP intake's store counted. Decided once per run, at the first
  // duplicate: histories recorded before kept every duplicate's report and noted each (the old path below).
  const counted = new Map<string, DuplicateReports>();
  const intakeTotals = new Map<string, DuplicateReports>();
  let duplicatesChanged = 0;
  let compact: boolean | undefined;
  const compacted = () => (compact ??= patched('duplicates-compacted'));

  // Handlers first: the report that started us is already waiting in the first activation.
  setHandler(reportSignal, (signal: BreachSignal) => {
    if (reports.length > 0 && compacted()) {
      const at = new Date().toISOString();
      const known = counted.get(signal.source);
      counted.set(signal.source, { source: signal.source, count: (known?.count ?? 0) + 1, firstAt: known?.firstAt ?? at, lastAt: at });
      duplicatesChanged++;
      return;
    }
    reports.push({
      source: signal.source,
      eventId: signal.eventId,
      receivedAt: new Date().toISOString(),
      duplicate: reports.length > 0,
      summary: signal.summary,
    });
  });
  setHandler(duplicateReportsSignal, (totals: DuplicateReports) => {
    if (!isDuplicateTotals(totals)) return;
    // Totals, not increments: an old or repeated signal cannot lower or double a count.
    const known = intakeTotals.get(totals.source);
    const count = Math.max(known?.count ?? 0, totals.count);
    const firstAt = known && known.firstAt < totals.firstAt ? known.firstAt : totals.firstAt;
    const lastAt = known && known.lastAt > totals.lastAt ? known.lastAt : totals.lastAt;
    if (known && known.count === count && known.firstAt === firstAt && known.lastAt === lastAt) return;
    intakeTotals.set(totals.source, { source: totals.source, count, firstAt, lastAt });
    duplicatesChanged++;
  });
  const duplicates = (): DuplicateReports[] => {
    const bySource = new Map<string, DuplicateReports>();
    for (const d of [...intakeTotals.values(), ...counted.values()]) {
      const known = bySource.get(d.source);
      bySource.set(
        d.source,
        known
          ? { source: d.source, count: known.count + d.count, firstAt: known.firstAt < d.firstAt ? known.firstAt : d.firstAt, lastAt: known.lastAt > d.lastAt ? known.lastAt : d.lastAt }
          : { ...d },
      );
    }
    return [...bySource.values()].sort((a, b) => a.source.localeCompare(b.source));
  };
  let shownDeadline: string | undefined;
  let gdprNotificationsSettled = false;
  setHandler(gdprNotificationsSettledSignal, () => {
    gdprNotificationsSettled = true;
  });
  setHandler(playbookReportSignal, (state) => {
    const known = children.get(state.playbook);
    const seen = new Set(known?.timeline.map((e) => e.id));
    // An entry seen before with new text is a tally (PlaybookRuntime.tally) updated in place: take the new text.
    const fresh = new Map(state.timeline.map((e) => [e.id, e]));
    children.set(state.playbook, {
      ...state,
      timeline: [...(known?.timeline ?? []).map((e) => fresh.get(e.id) ?? e), ...state.timeline.filter((e) => !seen.has(e.id))],
    });
    // Only the initial notification to the AP under the GDPR counts; NIS2/DORA reports go to other authorities.
    if (state.notifications.some((n) => n.to === 'authority' && (n.regime ?? 'gdpr') === 'gdpr' && (n.phase ?? 'initial') === 'initial')) {
      upsertSearchAttributes([{ key: AUTHORITY_NOTIFIED, value: true }]);
    }
    if (runtime) setCurrentDetails(runtime.currentDetails());
    // A corrected awareness time moves the deadline: keep the FG's "due within 12 h" query true.
    const due = state.playbook === 'notification' ? state.facts.notificationDeadline : undefined;
    if (due !== undefined && due !== shownDeadline) {
      shownDeadline = due;
      upsertSearchAttributes([{ key: NOTIFICATION_DEADLINE, value: new Date(due) }]);
    }
  });

  // Registered before the first await, so the case can be read from the first moment.
  let runtime: PlaybookRuntime | undefined = undefined;
  const caseView = (): CaseView => {
    const states = [...(runtime ? [runtime.state(runtime.timeline)] : []), ...children.values()];
    return {
      breachId,
      phase,
      ...(outcome ? { outcome } : {}),
      openedAt,
      ...(closedAt ? { closedAt } : {}),
      reports: [...reports],
      ...(duplicatesChanged > 0 ? { duplicates: duplicates() } : {}),
      facts: states.reduce<Facts>((facts, s) => ({ ...facts, ...s.facts }), {}),
      tasks: states.flatMap((s) => s.tasks).sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
      decisions: [...decisions],
      deadlines: states.flatMap((s) => s.deadlines),
      notifications: states.flatMap((s) => s.notifications),
      timeline: states.flatMap((s) => s.timeline).sort((a, b) => a.at.localeCompare(b.at)),
      ...(assessment ? { assessment } : {}),
    };
  };
  setHandler(caseViewQuery, caseView);

  const settings = await activities.loadSettings();
  const breach = new PlaybookRuntime(breachId, 'breach', settings);
  runtime = breach;
  breach.details = () => {
    const view = caseView();
    return runDetails({ phase: view.phase, severityBand: view.assessment?.severity.band, tasks: view.tasks, deadlines: view.deadlines });
  };

  // The facts, and what they suggest: recomputed whenever they change, so the FG always sees the current view.
  let known: BreachFacts = {};
  let assessment: Assessment | undefined;
  const learn = async (facts: BreachFacts, actor: string, what: string) => {
    const before = assessment?.severity.band;
    known = facts;
    breach.facts.known = facts;
    const severity = assessSeverity(facts);
    assessment = { severity, suggestion: suggestNotification(facts, severity) };
    upsertSearchAttributes([{ key: SEVERITY_BAND, value: severity.band }]);
    await breach.note('facts', `Facts: ${what}; severity ${severity.score} (${severity.band})${before && before !== severity.band ? `, was ${before}` : ''}`, actor);
  };
  setHandler(
    amendFactsUpdate,
    async (args) => {
      const { actor, amendment } = args;
      const { facts, changed } = amendFacts(known, factsAmendmentSchema.parse(amendment));
      const via = patched(ACTS_PATCH) ? operatorOf(args) : undefined;
      const who = actor.trim().toLowerCase();
      if (changed.length > 0) await learn(facts, who, `amended ${changed.join(', ')}${via ? ` by ${describeOperator(who, via)} (operator act)` : ''}`);
      return known;
    },
    {
      validator: (args: AmendFactsArgs) => {
        const { actor, amendment } = args;
        if (outcome !== 'breach') throw new Error('facts: can only be amended once triage has found a personal-data breach');
        if (typeof actor !== 'string' || !BREACH_TEAM.some((role) => mayActFor(settings.directory, role, actor))) {
          throw new Error(`actor: ${String(actor)} is not on the breach team (FG, CISO, process owner) or their deputy`);
        }
        const parsed = factsAmendmentSchema.safeParse(amendment);
        if (!parsed.success) throw new Error(describeIssues(parsed.error, 'amendment'));
        const act = checkAct(args, { breachId, workflowId: breachId, message: 'amendFacts', actor, body: actBody(args) }, settings.acts, Date.now());
        if (!act.ok) throw new Error(act.message);
      },
    },
  );

  await condition(() => reports.length > 0);
  const first = reports[0]!;
  const setPhase = async (next: Phase) => {
    phase = next;
    upsertSearchAttributes([{ key: BREACH_PHASE, value: next }]);
    setCurrentDetails(breach.currentDetails());
    await breach.note('phase', `Phase: ${next}`, undefined, { phase: next });
  };

  upsertSearchAttributes([{ key: BREACH_PHASE, value: phase }]);
  await breach.note('signal-received', `Signal received from ${first.source}`, undefined, { source: first.source, opened_at: openedAt, phase });
  // Later reports of the same event join this breach. Before duplicates-compacted, each was kept and noted (and
  // registered) as it arrived; now they are counts, noted as one timeline line that grows (a tally).
  void (async () => {
    for (let noted = 1; ; noted++) {
      await condition(() => reports.length > noted);
      await breach.note('duplicate-report', `Duplicate report from ${reports[noted]!.source} received`);
    }
  })();
  void (async () => {
    for (let shown = 0; ; ) {
      await condition(() => duplicatesChanged > shown);
      shown = duplicatesChanged;
      breach.tally('duplicates', 'duplicate-report', describeDuplicates(duplicates()));
    }
  })();

  // 2. Assess the signal: is this a personal-data breach, and since when are we aware?
  const triage = await breach.ask('triage', { dueInMs: settings.timing.triageDue });
  const fg = breach.tasks.get('triage')!.completedBy!;
  decisions.push({ kind: 'triage', by: fg, at: new Date().toISOString(), summary: triage.isPersonalDataBreach ? 'Personal-data breach' : 'Security incident, not a personal-data breach' });
  breach.facts.isPersonalDataBreach = triage.isPersonalDataBreach;

  if (!triage.isPersonalDataBreach) {
    outcome = 'security-incident';
    await breach.note('not-a-breach', 'Recorded as a security incident; no personal data compromised', fg, { outcome });
    await breach.email('security-incident-closed', ['fg', 'ciso'], { kind: 'security-incident-closed' });
    return close(outcome);
  }

  outcome = 'breach';
  const awareAt = triage.awareAt!;
  const deadline = authorityDeadline(awareAt);
  breach.facts.awareAt = awareAt;
  upsertSearchAttributes([{ key: NOTIFICATION_DEADLINE, value: new Date(deadline) }]);
  shownDeadline = deadline;
  await breach.note('breach-confirmed', `Personal-data breach; aware since ${awareAt}`, fg, { outcome, aware_at: awareAt, notification_deadline: deadline });
  // The legal clock runs from awareness while the investigation goes on.
  const notification = await startChild(notificationWorkflow, {
    workflowId: `${breachId}.notification`,
    staticSummary: 'Notification deadlines: GDPR 72 h and every other regime that applies',
    args: [{ breachId, settings, awareAt }],
  });
  await breach.email('breach-confirmed', [...BREACH_TEAM], { kind: 'breach-confirmed', awareAt, deadline });

  // 3. First picture: the first version of the facts, amendable from then on.
  await setPhase('first-picture');
  const picture = await breach.ask('first-picture', { dueInMs: settings.timing.firstPictureDue });
  await learn(picture, breach.tasks.get('first-picture')!.completedBy!, 'first picture recorded');

  // 4. Containment.
  await setPhase('containment');
  const containment = await executeChild(containmentWorkflow, {
    workflowId: `${breachId}.containment`,
    staticSummary: 'Containment: evidence first, then the checklist until the leak is stopped',
    args: [{ breachId, settings }],
  });

  // Lessons learned are due a set time after containment, whatever aftercare and late reports still need.
  const evaluation = patched('evaluation-from-containment')
    ? await startChild(evaluationWorkflow, {
        workflowId: `${breachId}.evaluation`,
        staticSummary: 'Evaluation: lessons learned and improvement actions',
        args: [{ breachId, settings, containedAt: containment.containedAt }],
      })
    : undefined;

  // 5. Impact.
  await setPhase('impact');
  breach.facts.impact = await breach.ask('impact', { dueInMs: settings.timing.impactDue });
  await breach.note('impact', `Impact assessed; risk to the people concerned: ${breach.facts.impact.riskToPeople}`);

  // 6. Notification approach: the FG decides.
  await setPhase('decision');
  const suggested = assessment!.suggestion;
  const decision = await breach.ask('notification-decision', { dueInMs: settings.timing.decisionDue, detail: describeSuggestion(assessment!) });
  const decidedAt = new Date().toISOString();
  // The suggestion at the moment of deciding, as the facts stood then: a later amendment does not rewrite it.
  const override = decision.notifyAuthority !== suggested.notifyAuthority || decision.notifyDataSubjects !== suggested.notifyDataSubjects;
  const notificationDecision: Decision = {
    kind: 'notification',
    by: breach.tasks.get('notification-decision')!.completedBy!,
    at: decidedAt,
    summary: `Authority: ${decision.notifyAuthority ? 'notify' : 'do not notify'}; data subjects: ${decision.notifyDataSubjects ? 'inform' : 'do not inform'}${override ? ' (overrides the suggestion)' : ' (as suggested)'}. ${decision.justification}`,
    override,
    suggestion: { notifyAuthority: suggested.notifyAuthority, notifyDataSubjects: suggested.notifyDataSubjects, band: assessment!.severity.band },
  };
  decisions.push(notificationDecision);
  await breach.note('decision', `Notification decision — ${notificationDecision.summary}`, notificationDecision.by);
  await notification.signal(notificationDecisionSignal, {
    notifyAuthority: decision.notifyAuthority,
    notifyDataSubjects: decision.notifyDataSubjects,
    dataSubjectsBy: decision.dataSubjectsBy,
    decidedAt,
  });

  // 7. Notify. When lekdicht informs the people affected itself, the data-subjects playbook does it.
  await setPhase('notification');
  if (decision.notifyDataSubjects && decision.dataSubjectsBy !== 'own-channel') {
    const informed = await executeChild(dataSubjectsWorkflow, {
      workflowId: `${breachId}.data-subjects`,
    staticSummary: 'Informing the people affected (GDPR art. 34)',
      args: [
        {
          breachId,
          settings,
          letter: letterFor(breachId, known, breach.facts.impact, settings),
          publicCommunication: decision.dataSubjectsBy === 'public-communication',
          due: new Date(Date.parse(decidedAt) + dataSubjectTargetOf(settings.profile)).toISOString(),
        },
      ],
    });
    await notification.signal(dataSubjectsInformedSignal, { at: informed.notifiedAt, channel: informed.channel, recipients: informed.sent });
  }
  // The GDPR notifications made (or not required); an NIS2/DORA final report may be due weeks later.
  await Promise.race([notification.result(), condition(() => gdprNotificationsSettled)]);

  // 8–10. Recovery: aftercare for the people affected, and the organisation's interest where the facts call for it.
  await setPhase('aftercare');
  const interests = await Promise.all(
    interestTasksFor(known, assessment!.severity.band, decision.notifyDataSubjects).map((interest) =>
      breach.openTask('organisation-interest', {
        id: `interest-${interest.kind}`,
        // A role nobody holds in this organisation falls to the FG rather than to no one.
        role: holdersOf(settings.directory, interest.role).length > 0 ? interest.role : 'fg',
        title: interest.title[settings.language],
        detail: interest.reason,
        dueInMs: settings.timing.interestDue,
      }),
    ),
  );
  await executeChild(aftercareWorkflow, {
    workflowId: `${breachId}.aftercare`,
    staticSummary: 'Aftercare (nazorg): contact point, advice, follow-ups',
    args: [{ breachId, settings, dataCategories: known.dataCategories ?? [] }],
  });

  // 11. Evaluate and improve.
  await setPhase('evaluation');
  if (evaluation) await evaluation.result();
  else {
    await executeChild(evaluationWorkflow, {
      workflowId: `${breachId}.evaluation`,
      staticSummary: 'Evaluation: lessons learned and improvement actions',
      args: [{ breachId, settings, containedAt: containment.containedAt }],
    });
  }
  await condition(() => interests.every((task) => task.status === 'done'));
  // Every regime's reports made, NIS2's and DORA's final ones included.
  await notification.result();
  const record = finalRecord(caseView());
  await breach.note('final-record', 'Final register record written: facts, effects, remedial action (art. 33(5))', undefined, {
    facts_summary: record.facts,
    effects: record.effects,
    remedial_action: record.remedialAction,
  });
  await breach.email('breach-closed', [...BREACH_TEAM], { kind: 'breach-closed' });
  return close(outcome);

  async function close(how: Outcome): Promise<BreachResult> {
    closedAt = new Date().toISOString();
    await setPhase('closed');
    await breach.note('closed', how === 'breach' ? 'Breach closed' : 'Security incident closed', undefined, { closed_at: closedAt });
    return breach.finish({ outcome: how, closedAt });
  }
}

/** "3 duplicate reports: 2 from dlp (first …, last …); 1 from siem (…)": the tally's text, counts first. */
function describeDuplicates(duplicates: DuplicateReports[]): string {
  const total = duplicates.reduce((sum, d) => sum + d.count, 0);
  const parts = duplicates.map((d) => `${d.count} from ${d.source} (first ${d.firstAt}, last ${d.lastAt})`);
  return `${total} duplicate report${total === 1 ? '' : 's'}: ${parts.join('; ')}`;
}

/** The intake's totals as sent; anything else (a hand-made signal) is ignored rather than trusted. */
function isDuplicateTotals(value: unknown): value is DuplicateReports {
  const v = value as Partial<DuplicateReports> | null;
  const instant = (t: unknown) => typeof t === 'string' && t.length <= 40 && !Number.isNaN(Date.parse(t));
  return (
    typeof v === 'object' &&
    v !== null &&
    breachSignalSchema.shape.source.safeParse(v.source).success &&
    Number.isSafeInteger(v.count) &&
    (v.count ?? 0) > 0 &&
    instant(v.firstAt) &&
    instant(v.lastAt)
  );
}
