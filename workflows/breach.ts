import {
  ParentClosePolicy,
  type ChildWorkflowOptions,
  type WithWorkflowArgs,
  type Workflow,
  type WorkflowResultType,
  condition,
  continueAsNew,
  executeChild,
  getExternalWorkflowHandle,
  patched,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { PlaybookSettings } from '../activities';
import type {
  Assessment,
  CaseView,
  Decision,
  DuplicateReports,
  EvaluationResult,
  Facts,
  Outcome,
  Phase,
  Report,
} from '../domain/case';
import type { Playbook } from '../domain/tasks';
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
import { PlaybookRuntime, type RuntimeSnapshot } from './playbook';
import { actProven, operatorActOf, setValidatedUpdate, type Verdict } from './acts';
import { Resumable, runResumable, type Journal } from './resumable';
import { countRefusedSignal } from './refusals';
import { describeOperator, type ActAuthority } from '../domain/act-proof';
import type { FactsAmendment } from '../domain/facts';

type AmendFactsArgs = { actor: string; amendment: FactsAmendment } & ActAuthority;
import { AUTHORITY_NOTIFIED, BREACH_PHASE, NOTIFICATION_DEADLINE, SEVERITY_BAND } from './search-attributes';

export interface BreachResult {
  outcome: Outcome;
  closedAt: string;
}

/** What a breach run hands on when it continues as new (workflows/resumable.ts): all it knows, and where it was. */
export interface BreachCarry {
  journal: Journal;
  /** As the first run loaded them: the same for the whole breach, like its playbooks' (refreshActKeys for keys). */
  settings: PlaybookSettings;
  runtime: RuntimeSnapshot;
  openedAt: string;
  reports: Report[];
  decisions: Decision[];
  children: PlaybookState[];
  phase: Phase;
  outcome?: Outcome;
  closedAt?: string;
  counted: DuplicateReports[];
  intakeTotals: DuplicateReports[];
  duplicatesChanged: number;
  shownDeadline?: string;
  gdprNotificationsSettled: boolean;
  known: BreachFacts;
  assessment?: Assessment;
}

/**
 * One breach, from signal to closure (steps 1–11 of the procedure). Started by signal-with-start with an
 * id derived from the signal's source and event id, so every report of the same event lands here.
 * Containment, the notification deadline, aftercare and evaluation run as child workflows (the playbooks).
 */
export async function breachWorkflow(carried?: BreachCarry): Promise<BreachResult> {
  const breachId = workflowInfo().workflowId;
  // Runs recorded before breaches continued as new replay their old shape (children awaited, never moving on).
  const resumable = Resumable.decide(carried !== undefined);
  const reports: Report[] = carried?.reports ?? [];
  const decisions: Decision[] = carried?.decisions ?? [];
  const children = new Map<string, PlaybookState>((carried?.children ?? []).map((c) => [c.playbook, c]));
  let phase: Phase = carried?.phase ?? 'triage';
  let outcome: Outcome | undefined = carried?.outcome;
  let closedAt: string | undefined = carried?.closedAt;
  const openedAt = carried?.openedAt ?? new Date().toISOString();
  /** The breach's own tasks and timeline; set once the settings are there (at once in a run carried on). */
  let runtime: PlaybookRuntime | undefined = undefined;

  // Duplicates are counted, not kept: per source, the reports that reached us by signal (CLI, web form, reports
  // racing the first one) and the totals the HTTP intake's store counted. Decided once per run, at the first
  // duplicate: histories recorded before kept every duplicate's report and noted each (the old path below).
  const counted = new Map<string, DuplicateReports>((carried?.counted ?? []).map((d) => [d.source, d]));
  const intakeTotals = new Map<string, DuplicateReports>((carried?.intakeTotals ?? []).map((d) => [d.source, d]));
  let duplicatesChanged = carried?.duplicatesChanged ?? 0;
  // A carried-on run counts: its first run decided so (resumable runs are newer than duplicates-compacted).
  let compact: boolean | undefined = carried ? true : undefined;
  const compacted = () => (compact ??= patched('duplicates-compacted'));

  // Handlers first: the report that started us is already waiting in the first activation.
  setHandler(reportSignal, (signal: BreachSignal) => {
    if (reports.length > 0 && compacted()) {
      const at = new Date().toISOString();
      const known = counted.get(signal.source);
      counted.set(signal.source, {
        source: signal.source,
        count: (known?.count ?? 0) + 1,
        firstAt: known?.firstAt ?? at,
        lastAt: at,
      });
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
          ? {
              source: d.source,
              count: known.count + d.count,
              firstAt: known.firstAt < d.firstAt ? known.firstAt : d.firstAt,
              lastAt: known.lastAt > d.lastAt ? known.lastAt : d.lastAt,
            }
          : { ...d },
      );
    }
    return [...bySource.values()].sort((a, b) => a.source.localeCompare(b.source));
  };
  let shownDeadline: string | undefined = carried?.shownDeadline;
  let gdprNotificationsSettled = carried?.gdprNotificationsSettled ?? false;
  setHandler(gdprNotificationsSettledSignal, (settled) => {
    // A resumable breach's notification playbook sends the breach's id, encrypted; one without a payload (which no
    // codec checks) came from someone on Temporal's frontend: refused and counted like an unencrypted one.
    if (resumable && settled?.breachId !== breachId) {
      countRefusedSignal();
      return;
    }
    gdprNotificationsSettled = true;
  });
  setHandler(playbookReportSignal, (state) => {
    const known = children.get(state.playbook);
    const seen = new Set(known?.timeline.map((e) => e.id));
    // An entry seen before with new text is a tally (PlaybookRuntime.tally) updated in place: take the new text.
    const fresh = new Map(state.timeline.map((e) => [e.id, e]));
    children.set(state.playbook, {
      ...state,
      timeline: [
        ...(known?.timeline ?? []).map((e) => fresh.get(e.id) ?? e),
        ...state.timeline.filter((e) => !seen.has(e.id)),
      ],
    });
    // Only the initial notification to the AP under the GDPR counts; NIS2/DORA reports go to other authorities.
    if (
      state.notifications.some(
        (n) => n.to === 'authority' && (n.regime ?? 'gdpr') === 'gdpr' && (n.phase ?? 'initial') === 'initial',
      )
    ) {
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

  const settings = carried?.settings ?? (await activities.loadSettings());
  const breach = new PlaybookRuntime(breachId, 'breach', settings, undefined, carried?.runtime);
  const r = new Resumable(resumable, carried?.journal, settings.history?.eventsPerRun);
  breach.journal = r;
  runtime = breach;
  breach.details = () => {
    const view = caseView();
    return runDetails({
      phase: view.phase,
      severityBand: view.assessment?.severity.band,
      tasks: view.tasks,
      deadlines: view.deadlines,
    });
  };

  // The facts, and what they suggest: recomputed whenever they change, so the FG always sees the current view.
  let known: BreachFacts = carried?.known ?? {};
  let assessment: Assessment | undefined = carried?.assessment;
  const learn = async (facts: BreachFacts, actor: string, what: string) => {
    const before = assessment?.severity.band;
    known = facts;
    breach.facts.known = facts;
    const severity = assessSeverity(facts);
    assessment = { severity, suggestion: suggestNotification(facts, severity) };
    upsertSearchAttributes([{ key: SEVERITY_BAND, value: severity.band }]);
    await breach.note(
      'facts',
      `Facts: ${what}; severity ${severity.score} (${severity.band})${before && before !== severity.band ? `, was ${before}` : ''}`,
      actor,
    );
  };
  const checkAmendment = ({ actor, amendment }: AmendFactsArgs): Verdict => {
    if (outcome !== 'breach')
      return { ok: false, message: 'facts: can only be amended once triage has found a personal-data breach' };
    if (typeof actor !== 'string' || !BREACH_TEAM.some((role) => mayActFor(settings.directory, role, actor)))
      return {
        ok: false,
        message: `actor: ${String(actor)} is not on the breach team (FG, CISO, process owner) or their deputy`,
      };
    const parsed = factsAmendmentSchema.safeParse(amendment);
    return parsed.success ? { ok: true } : { ok: false, message: describeIssues(parsed.error, 'amendment') };
  };
  setValidatedUpdate(
    amendFactsUpdate,
    async (args) => {
      const { actor, amendment } = args;
      const { facts, changed } = amendFacts(known, factsAmendmentSchema.parse(amendment));
      const via = operatorActOf(args);
      const who = actor.trim().toLowerCase();
      if (changed.length > 0)
        await learn(
          facts,
          who,
          `amended ${changed.join(', ')}${via ? ` by ${describeOperator(who, via)} (operator act)` : ''}`,
        );
      return known;
    },
    [checkAmendment, actProven(breachId, settings, 'amendFacts')],
  );

  await condition(() => reports.length > 0);
  const first = reports[0]!;
  const setPhase = async (next: Phase) => {
    phase = next;
    upsertSearchAttributes([{ key: BREACH_PHASE, value: next }]);
    setCurrentDetails(breach.currentDetails());
    await breach.note('phase', `Phase: ${next}`, undefined, { phase: next });
  };
  /** A step of the procedure that changes the phase: once across runs (resumable.ts). */
  const enter = (next: Phase) => r.once(`phase:${next}`, () => setPhase(next));

  // A playbook runs as a child workflow. A resumable breach starts it apart (ABANDON: the breach's own run may
  // continue as new meanwhile) and hears its result in the child's last report; an older one awaits the child.
  const begin = (playbook: Playbook, start: () => Promise<unknown>) =>
    r.once(`start:${playbook}`, async () => {
      await start();
    });
  const apart = resumable ? { parentClosePolicy: ParentClosePolicy.ABANDON } : {};
  const resultOf = async <T>(playbook: Playbook): Promise<T> => {
    await condition(() => children.get(playbook)?.finished !== undefined);
    return children.get(playbook)!.finished!.result as T;
  };
  const finished = (playbook: Playbook) => children.get(playbook)?.finished !== undefined;
  /** Runs a playbook to its result: started apart and heard from (resumable), or awaited as a child (older runs). */
  const runPlaybook = <W extends Workflow>(
    playbook: Playbook,
    workflow: W,
    options: WithWorkflowArgs<W, Omit<ChildWorkflowOptions, 'typeInfo'> & { typeInfo?: never }>,
  ): Promise<WorkflowResultType<W>> =>
    resumable
      ? begin(playbook, () => startChild(workflow, options)).then(() => resultOf<WorkflowResultType<W>>(playbook))
      : executeChild(workflow, options);

  return runResumable(
    r,
    () => breach.quiet(),
    async () => {
      await r.once('opened', async () => {
        upsertSearchAttributes([{ key: BREACH_PHASE, value: phase }]);
        await breach.note('signal-received', `Signal received from ${first.source}`, undefined, {
          source: first.source,
          opened_at: openedAt,
          phase,
        });
      });
      // Later reports of the same event join this breach. Before duplicates-compacted, each was kept and noted (and
      // registered) as it arrived; now they are counts, noted as one timeline line that grows (a tally).
      void (async () => {
        for (let noted = 1; ; noted++) {
          await condition(() => reports.length > noted);
          await breach.note('duplicate-report', `Duplicate report from ${reports[noted]!.source} received`);
        }
      })();
      void (async () => {
        for (let shown = 0; ;) {
          await condition(() => duplicatesChanged > shown);
          shown = duplicatesChanged;
          breach.tally('duplicates', 'duplicate-report', describeDuplicates(duplicates()));
        }
      })();

      // 2. Assess the signal: is this a personal-data breach, and since when are we aware?
      const triage = await breach.ask('triage', { dueInMs: settings.timing.triageDue });
      const fg = breach.tasks.get('triage')!.completedBy!;
      await r.once('triaged', async () => {
        decisions.push({
          kind: 'triage',
          by: fg,
          at: new Date().toISOString(),
          summary: triage.isPersonalDataBreach
            ? 'Personal-data breach'
            : 'Security incident, not a personal-data breach',
        });
      });
      breach.facts.isPersonalDataBreach = triage.isPersonalDataBreach;

      if (!triage.isPersonalDataBreach) {
        outcome = 'security-incident';
        await r.once('not-a-breach', () =>
          breach.note('not-a-breach', 'Recorded as a security incident; no personal data compromised', fg, { outcome }),
        );
        await r.once('not-a-breach:email', () =>
          breach.email('security-incident-closed', ['fg', 'ciso'], { kind: 'security-incident-closed' }),
        );
        return close(outcome);
      }

      outcome = 'breach';
      const awareAt = triage.awareAt!;
      const deadline = authorityDeadline(awareAt);
      breach.facts.awareAt = awareAt;
      await r.once('confirmed', async () => {
        upsertSearchAttributes([{ key: NOTIFICATION_DEADLINE, value: new Date(deadline) }]);
        shownDeadline = deadline;
        await breach.note('breach-confirmed', `Personal-data breach; aware since ${awareAt}`, fg, {
          outcome,
          aware_at: awareAt,
          notification_deadline: deadline,
        });
      });
      // The legal clock runs from awareness while the investigation goes on.
      const notificationOptions = {
        workflowId: `${breachId}.notification`,
        staticSummary: 'Notification deadlines: GDPR 72 h and every other regime that applies',
        args: [{ breachId, settings, awareAt }] as Parameters<typeof notificationWorkflow>,
        ...apart,
      };
      const awaited = resumable ? undefined : await startChild(notificationWorkflow, notificationOptions);
      if (resumable) await begin('notification', () => startChild(notificationWorkflow, notificationOptions));
      const notification = awaited ?? getExternalWorkflowHandle(notificationOptions.workflowId);
      await r.once('confirmed:email', () =>
        breach.email('breach-confirmed', [...BREACH_TEAM], { kind: 'breach-confirmed', awareAt, deadline }),
      );

      // 3. First picture: the first version of the facts, amendable from then on.
      await enter('first-picture');
      const picture = await breach.ask('first-picture', { dueInMs: settings.timing.firstPictureDue });
      await r.once('first-picture:learnt', () =>
        learn(picture, breach.tasks.get('first-picture')!.completedBy!, 'first picture recorded'),
      );

      // 4. Containment.
      await enter('containment');
      const containmentOptions = {
        workflowId: `${breachId}.containment`,
        staticSummary: 'Containment: evidence first, then the checklist until the leak is stopped',
        args: [{ breachId, settings }] as Parameters<typeof containmentWorkflow>,
        ...apart,
      };
      const containment = await runPlaybook('containment', containmentWorkflow, containmentOptions);

      // Lessons learned are due a set time after containment, whatever aftercare and late reports still need.
      const evaluationOptions = {
        workflowId: `${breachId}.evaluation`,
        staticSummary: 'Evaluation: lessons learned and improvement actions',
        args: [{ breachId, settings, containedAt: containment.containedAt }] as Parameters<typeof evaluationWorkflow>,
        ...apart,
      };
      const evaluationFromContainment = resumable || patched('evaluation-from-containment');
      const evaluation = resumable
        ? undefined
        : evaluationFromContainment
          ? await startChild(evaluationWorkflow, evaluationOptions)
          : undefined;
      if (resumable) await begin('evaluation', () => startChild(evaluationWorkflow, evaluationOptions));

      // 5. Impact.
      await enter('impact');
      breach.facts.impact = await breach.ask('impact', { dueInMs: settings.timing.impactDue });
      await r.once('impact:noted', () =>
        breach.note('impact', `Impact assessed; risk to the people concerned: ${breach.facts.impact!.riskToPeople}`),
      );

      // 6. Notification approach: the FG decides.
      await enter('decision');
      // The suggestion as the facts stood when the task opened: a later amendment does not rewrite it.
      const suggested = await r.once('decision:suggested', async () => assessment!.suggestion);
      const decision = await breach.ask('notification-decision', {
        dueInMs: settings.timing.decisionDue,
        detail: describeSuggestion(assessment!),
      });
      const decidedAt = await r.once('decided', async () => {
        const at = new Date().toISOString();
        const override =
          decision.notifyAuthority !== suggested.notifyAuthority ||
          decision.notifyDataSubjects !== suggested.notifyDataSubjects;
        const notificationDecision: Decision = {
          kind: 'notification',
          by: breach.tasks.get('notification-decision')!.completedBy!,
          at,
          summary: `Authority: ${decision.notifyAuthority ? 'notify' : 'do not notify'}; data subjects: ${decision.notifyDataSubjects ? 'inform' : 'do not inform'}${override ? ' (overrides the suggestion)' : ' (as suggested)'}. ${decision.justification}`,
          override,
          suggestion: {
            notifyAuthority: suggested.notifyAuthority,
            notifyDataSubjects: suggested.notifyDataSubjects,
            band: assessment!.severity.band,
          },
        };
        decisions.push(notificationDecision);
        await breach.note(
          'decision',
          `Notification decision — ${notificationDecision.summary}`,
          notificationDecision.by,
        );
        return at;
      });
      await r.once('decided:told', () =>
        notification.signal(notificationDecisionSignal, {
          notifyAuthority: decision.notifyAuthority,
          notifyDataSubjects: decision.notifyDataSubjects,
          dataSubjectsBy: decision.dataSubjectsBy,
          decidedAt,
        }),
      );

      // 7. Notify. When lekdicht informs the people affected itself, the data-subjects playbook does it.
      await enter('notification');
      if (decision.notifyDataSubjects && decision.dataSubjectsBy !== 'own-channel') {
        const dataSubjectsOptions = {
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
          ] as Parameters<typeof dataSubjectsWorkflow>,
          ...apart,
        };
        const informed = await runPlaybook('data-subjects', dataSubjectsWorkflow, dataSubjectsOptions);
        await r.once('data-subjects:told', () =>
          notification.signal(dataSubjectsInformedSignal, {
            at: informed.notifiedAt,
            channel: informed.channel,
            recipients: informed.sent,
          }),
        );
      }
      // The GDPR notifications made (or not required); an NIS2/DORA final report may be due weeks later.
      if (awaited) await Promise.race([awaited.result(), condition(() => gdprNotificationsSettled)]);
      else await condition(() => gdprNotificationsSettled || finished('notification'));

      // 8–10. Recovery: aftercare for the people affected, and the organisation's interest where the facts call for it.
      await enter('aftercare');
      const interests = await Promise.all(
        interestTasksFor(known, assessment!.severity.band, decision.notifyDataSubjects).map((interest) =>
          breach.openTaskOnce('organisation-interest', {
            id: `interest-${interest.kind}`,
            // A role nobody holds in this organisation falls to the FG rather than to no one.
            role: holdersOf(settings.directory, interest.role).length > 0 ? interest.role : 'fg',
            title: interest.title[settings.language],
            detail: interest.reason,
            dueInMs: settings.timing.interestDue,
          }),
        ),
      );
      const aftercareOptions = {
        workflowId: `${breachId}.aftercare`,
        staticSummary: 'Aftercare (nazorg): contact point, advice, follow-ups',
        args: [{ breachId, settings, dataCategories: known.dataCategories ?? [] }] as Parameters<
          typeof aftercareWorkflow
        >,
        ...apart,
      };
      await runPlaybook('aftercare', aftercareWorkflow, aftercareOptions);

      // 11. Evaluate and improve.
      await enter('evaluation');
      if (resumable) await resultOf<EvaluationResult>('evaluation');
      else if (evaluation) await evaluation.result();
      else await executeChild(evaluationWorkflow, evaluationOptions);
      await condition(() => interests.every((task) => task.status === 'done'));
      // Every regime's reports made, NIS2's and DORA's final ones included.
      if (awaited) await awaited.result();
      else await resultOf('notification');
      await r.once('final-record', async () => {
        const record = finalRecord(caseView());
        await breach.note(
          'final-record',
          'Final register record written: facts, effects, remedial action (art. 33(5))',
          undefined,
          {
            facts_summary: record.facts,
            effects: record.effects,
            remedial_action: record.remedialAction,
          },
        );
      });
      await r.once('closed:email', () => breach.email('breach-closed', [...BREACH_TEAM], { kind: 'breach-closed' }));
      return close(outcome);
    },
    (journal) =>
      continueAsNew<typeof breachWorkflow>({
        journal,
        settings,
        runtime: breach.snapshot(),
        openedAt,
        reports,
        decisions,
        children: [...children.values()],
        phase,
        ...(outcome ? { outcome } : {}),
        ...(closedAt ? { closedAt } : {}),
        counted: [...counted.values()],
        intakeTotals: [...intakeTotals.values()],
        duplicatesChanged,
        ...(shownDeadline ? { shownDeadline } : {}),
        gdprNotificationsSettled,
        known,
        ...(assessment ? { assessment } : {}),
      }),
  );

  async function close(how: Outcome): Promise<BreachResult> {
    await r.once('closed', async () => {
      closedAt = new Date().toISOString();
      await setPhase('closed');
      await breach.note('closed', how === 'breach' ? 'Breach closed' : 'Security incident closed', undefined, {
        closed_at: closedAt,
      });
    });
    return breach.finish({ outcome: how, closedAt: closedAt! });
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
