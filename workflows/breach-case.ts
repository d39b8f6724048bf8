import {
  ParentClosePolicy,
  condition,
  executeChild,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertSearchAttributes,
  type ChildWorkflowOptions,
  type WithWorkflowArgs,
  type Workflow,
  type WorkflowResultType,
} from '@temporalio/workflow';
import type { PlaybookSettings } from '../activities';
import type { Assessment, CaseView, Decision, DuplicateReports, Facts, Outcome, Phase, Report } from '../domain/case';
import type { Playbook } from '../domain/tasks';
import { describeOperator, type ActAuthority } from '../domain/act-proof';
import { describeIssues } from '../domain/errors';
import {
  amendFacts,
  factsAmendmentSchema,
  factsConflicts,
  type BreachFacts,
  type FactsAmendment,
} from '../domain/facts';
import { BREACH_TEAM, mayActFor } from '../domain/roles';
import { runDetails } from '../domain/run-details';
import { suggestNotification, type SuggestionOptions } from '../domain/decision';
import { viewNow } from '../domain/next-step';
import { assessSeverity } from '../domain/severity';
import { triageDetailsOf, type BreachSignal } from '../domain/signal';
import { Duplicates } from './duplicates';
import { actProven, operatorActOf, setValidatedUpdate, type Verdict } from './acts';
import {
  amendFactsUpdate,
  caseViewQuery,
  duplicateReportsSignal,
  gdprNotificationsSettledSignal,
  playbookReportSignal,
  reportSignal,
  type PlaybookChanges,
  type PlaybookState,
} from './messages';
import type { PlaybookRuntime, RuntimeSnapshot } from './playbook';
import { countRefusedSignal } from './refusals';
import type { Journal, Resumable } from './resumable';
import { AUTHORITY_NOTIFIED, BREACH_PHASE, NOTIFICATION_DEADLINE, SEVERITY_BAND } from './search-attributes';

type AmendFactsArgs = { actor: string; amendment: FactsAmendment } & ActAuthority;

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
 * The breach's case beside its procedure (workflows/breach.ts): what the breach workflow knows, the signals,
 * query and update that feed and show it, and the playbooks it runs as child workflows. The constructor
 * registers the handlers, so it comes before the workflow's first await.
 */
export class BreachCase {
  readonly reports: Report[];
  readonly decisions: Decision[];
  readonly children: Map<string, PlaybookState>;
  phase: Phase;
  outcome: Outcome | undefined;
  closedAt: string | undefined;
  readonly openedAt: string;
  shownDeadline: string | undefined;
  gdprNotificationsSettled: boolean;
  /** The facts, and what they suggest: recomputed whenever they change, so the FG always sees the current view. */
  known: BreachFacts;
  assessment: Assessment | undefined;

  /** Later reports of the same event: counted per source. */
  readonly duplicates: Duplicates;

  /** The breach's own tasks and timeline; set by `attach` once the settings are there (at once in a run carried on). */
  private runtime: PlaybookRuntime | undefined = undefined;
  private settings: PlaybookSettings | undefined = undefined;
  private journal: Resumable | undefined = undefined;

  constructor(
    readonly breachId: string,
    /** Runs recorded before breaches continued as new replay their old shape (children awaited, never moving on). */
    readonly resumable: boolean,
    carried: BreachCarry | undefined,
  ) {
    this.reports = carried?.reports ?? [];
    this.decisions = carried?.decisions ?? [];
    this.children = new Map((carried?.children ?? []).map((c) => [c.playbook, c]));
    this.phase = carried?.phase ?? 'triage';
    this.outcome = carried?.outcome;
    this.closedAt = carried?.closedAt;
    this.openedAt = carried?.openedAt ?? new Date().toISOString();
    this.duplicates = new Duplicates(carried);
    this.shownDeadline = carried?.shownDeadline;
    this.gdprNotificationsSettled = carried?.gdprNotificationsSettled ?? false;
    this.known = carried?.known ?? {};
    this.assessment = carried?.assessment;

    // Handlers first: the report that started us is already waiting in the first activation.
    setHandler(reportSignal, (signal: BreachSignal) => this.onReport(signal));
    setHandler(duplicateReportsSignal, (totals: DuplicateReports) => this.duplicates.addTotals(totals));
    setHandler(gdprNotificationsSettledSignal, (settled) => {
      // A resumable breach's notification playbook sends the breach's id, encrypted; one without a payload (which
      // no codec checks) came from someone on Temporal's frontend: refused and counted like an unencrypted one.
      if (resumable && settled?.breachId !== breachId) {
        countRefusedSignal();
        return;
      }
      this.gdprNotificationsSettled = true;
    });
    setHandler(playbookReportSignal, (state) => this.onPlaybookReport(state));
    // Registered before the first await, so the case can be read from the first moment.
    // What people read: the suggestion as it stands now (domain/next-step.ts); queries leave no history.
    setHandler(caseViewQuery, () => viewNow(this.view(), this.suggestionOptions()));
  }

  private onReport(signal: BreachSignal): void {
    if (this.reports.length > 0 && this.duplicates.count(signal)) return;
    this.reports.push({
      source: signal.source,
      eventId: signal.eventId,
      receivedAt: new Date().toISOString(),
      duplicate: this.reports.length > 0,
      summary: signal.summary,
      // What the FG triages on, of the first report: in the workflow's state only (never ids, attributes, logs).
      ...(this.reports.length === 0 ? triageDetailsOf(signal) : {}),
    });
  }

  private onPlaybookReport(report: PlaybookState | PlaybookChanges): void {
    if ('changes' in report && report.changes === true) {
      this.onPlaybookChanges(report);
      return;
    }
    const state = report as PlaybookState;
    const known = this.children.get(state.playbook);
    const seen = new Set(known?.timeline.map((e) => e.id));
    // An entry seen before with new text is a tally (PlaybookRuntime.tally) updated in place: take the new text.
    const fresh = new Map(state.timeline.map((e) => [e.id, e]));
    this.children.set(state.playbook, {
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
    if (this.runtime) setCurrentDetails(this.runtime.currentDetails());
    // A corrected awareness time moves the deadline: keep the FG's "due within 12 h" query true.
    const due = state.playbook === 'notification' ? state.facts.notificationDeadline : undefined;
    if (due !== undefined && due !== this.shownDeadline) {
      this.shownDeadline = due;
      upsertSearchAttributes([{ key: NOTIFICATION_DEADLINE, value: new Date(due) }]);
    }
  }

  /**
   * A playbook's changes since its last report (since `timeline-queued`): merged into what the breach holds of it,
   * so that it ends up what the playbook itself holds (its playbookView), as the full reports before did.
   */
  private onPlaybookChanges(changes: PlaybookChanges): void {
    // An older report of the same playbook arriving after a newer one (reports-ride): the newer holds all of it.
    const last = this.children.get(changes.playbook)?.reportSeq;
    if (changes.seq && last && changes.seq.chain === last.chain && changes.seq.seq <= last.seq) return;
    const known: PlaybookState = this.children.get(changes.playbook) ?? {
      playbook: changes.playbook,
      tasks: [],
      deadlines: [],
      timeline: [],
      notifications: [],
      facts: {},
    };
    const tasks = [...known.tasks];
    for (const task of changes.tasks ?? []) {
      const at = tasks.findIndex((t) => t.id === task.id);
      if (at >= 0) tasks[at] = task;
      else tasks.push(task);
    }
    const fresh = new Map((changes.timeline ?? []).map((e) => [e.id, e]));
    const seen = new Set(known.timeline.map((e) => e.id));
    const facts: Partial<Facts> = { ...known.facts, ...changes.facts };
    for (const key of changes.factsRemoved ?? []) delete facts[key];
    const finished = changes.finished ?? known.finished;
    this.children.set(changes.playbook, {
      playbook: changes.playbook,
      tasks,
      deadlines: changes.deadlines ?? known.deadlines,
      timeline: [
        ...known.timeline.map((e) => fresh.get(e.id) ?? e),
        ...(changes.timeline ?? []).filter((e) => !seen.has(e.id)),
      ],
      notifications: changes.notifications ?? known.notifications,
      facts,
      ...(finished ? { finished } : {}),
      ...(changes.seq ? { reportSeq: changes.seq } : {}),
    });
    // As onPlaybookReport, but only when the notifications changed: a report of other changes leaves it as it is.
    if (
      changes.notifications?.some(
        (n) => n.to === 'authority' && (n.regime ?? 'gdpr') === 'gdpr' && (n.phase ?? 'initial') === 'initial',
      )
    ) {
      upsertSearchAttributes([{ key: AUTHORITY_NOTIFIED, value: true }]);
    }
    if (this.runtime) setCurrentDetails(this.runtime.currentDetails());
    const due = changes.playbook === 'notification' ? facts.notificationDeadline : undefined;
    if (due !== undefined && due !== this.shownDeadline) {
      this.shownDeadline = due;
      upsertSearchAttributes([{ key: NOTIFICATION_DEADLINE, value: new Date(due) }]);
    }
  }

  /** The whole case: the breach's own tasks and timeline and those its playbooks reported. */
  view(): CaseView {
    const runtime = this.runtime;
    const states = [...(runtime ? [runtime.state(runtime.timeline)] : []), ...this.children.values()];
    return {
      breachId: this.breachId,
      phase: this.phase,
      ...(this.outcome ? { outcome: this.outcome } : {}),
      openedAt: this.openedAt,
      ...(this.closedAt ? { closedAt: this.closedAt } : {}),
      reports: [...this.reports],
      ...(this.duplicates.changed > 0 ? { duplicates: this.duplicates.list() } : {}),
      facts: states.reduce<Facts>((facts, s) => ({ ...facts, ...s.facts }), {}),
      tasks: states.flatMap((s) => s.tasks).sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
      decisions: [...this.decisions],
      deadlines: states.flatMap((s) => s.deadlines),
      notifications: states.flatMap((s) => s.notifications),
      timeline: states.flatMap((s) => s.timeline).sort((a, b) => a.at.localeCompare(b.at)),
      ...(this.assessment ? { assessment: this.assessment } : {}),
    };
  }

  /**
   * Joins the breach's own runtime and journal, once the settings are there: the run's details in the Temporal UI
   * show the case, and the facts can be amended from then on.
   */
  attach(breach: PlaybookRuntime, r: Resumable, settings: PlaybookSettings): void {
    this.runtime = breach;
    this.journal = r;
    this.settings = settings;
    breach.details = () => {
      const view = this.view();
      return runDetails({
        phase: view.phase,
        severityBand: view.assessment?.severity.band,
        tasks: view.tasks,
        deadlines: view.deadlines,
      });
    };
    if (breach.queued) setCurrentDetails(breach.currentDetails());
    const checkAmendment = ({ actor, amendment }: AmendFactsArgs): Verdict => {
      if (this.outcome !== 'breach')
        return { ok: false, message: 'facts: can only be amended once triage has found a personal-data breach' };
      if (typeof actor !== 'string' || !BREACH_TEAM.some((role) => mayActFor(settings.directory, role, actor)))
        return {
          ok: false,
          code: 'actor-not-on-team',
          params: { actor: String(actor) },
          message: `actor: ${String(actor)} is not on the breach team (FG, CISO, process owner) or their deputy`,
        };
      const parsed = factsAmendmentSchema.safeParse(amendment);
      if (!parsed.success) return { ok: false, message: describeIssues(parsed.error, 'amendment') };
      // Each field may be right on its own and wrong beside the facts it joins (an end before the known start).
      const conflicts = factsConflicts(amendFacts(this.known ?? {}, parsed.data).facts);
      return conflicts.length === 0
        ? { ok: true }
        : {
            ok: false,
            code: conflicts[0]!.params.code,
            message: conflicts.map((c) => `amendment.${c.path.join('.')}: ${c.message}`).join('; '),
          };
    };
    setValidatedUpdate(
      amendFactsUpdate,
      async (args) => {
        const { actor, amendment } = args;
        const { facts, changed } = amendFacts(this.known, factsAmendmentSchema.parse(amendment));
        const via = operatorActOf(args);
        const who = actor.trim().toLowerCase();
        if (changed.length > 0)
          await this.learn(
            facts,
            who,
            `amended ${changed.join(', ')}${via ? ` by ${describeOperator(who, via)} (operator act)` : ''}`,
          );
        return this.known;
      },
      [checkAmendment, actProven(this.breachId, settings, 'amendFacts')],
    );
  }

  /** The organisation's thresholds; runs started before one was configurable get its default (thresholdsOf). */
  private suggestionOptions(): SuggestionOptions {
    const thresholds = this.settings?.thresholds;
    return thresholds ? { thresholds } : {};
  }

  /** New facts: the severity and the suggestion follow, and the timeline says so. */
  async learn(facts: BreachFacts, actor: string, what: string): Promise<void> {
    const breach = this.runtime!;
    const before = this.assessment?.severity.band;
    this.known = facts;
    breach.facts.known = facts;
    const severity = assessSeverity(facts);
    this.assessment = { severity, suggestion: suggestNotification(facts, severity, this.suggestionOptions()) };
    upsertSearchAttributes([{ key: SEVERITY_BAND, value: severity.band }]);
    await breach.note(
      'facts',
      `Facts: ${what}; severity ${severity.score} (${severity.band})${before && before !== severity.band ? `, was ${before}` : ''}`,
      actor,
      // The register's severity columns: its filter and gauges answer without this workflow.
      { severity_score: severity.score, severity_band: severity.band },
      {
        band: severity.band,
        score: severity.score,
        amended: what.startsWith('amended'),
        ...(before && before !== severity.band ? { before } : {}),
      },
    );
  }

  async setPhase(next: Phase): Promise<void> {
    this.phase = next;
    upsertSearchAttributes([{ key: BREACH_PHASE, value: next }]);
    setCurrentDetails(this.runtime!.currentDetails());
    await this.runtime!.note('phase', `Phase: ${next}`, undefined, { phase: next }, { phase: next });
  }

  /** A step of the procedure that changes the phase: once across runs (resumable.ts). */
  enter(next: Phase): Promise<void> {
    return this.journal!.once(`phase:${next}`, () => this.setPhase(next));
  }

  /**
   * Later reports of the same event join this breach. Before duplicates-compacted, each was kept and noted (and
   * registered) as it arrived; now they are counts, noted as one timeline line that grows (a tally).
   */
  watchDuplicates(): void {
    const breach = this.runtime!;
    void (async () => {
      for (let noted = 1; ; noted++) {
        await condition(() => this.reports.length > noted);
        const source = this.reports[noted]!.source;
        await breach.note('duplicate-report', `Duplicate report from ${source} received`, undefined, undefined, {
          source,
        });
      }
    })();
    void (async () => {
      for (let shown = 0; ;) {
        await condition(() => this.duplicates.changed > shown);
        shown = this.duplicates.changed;
        breach.tally('duplicates', 'duplicate-report', this.duplicates.describe(), this.duplicates.params());
      }
    })();
  }

  // A playbook runs as a child workflow. A resumable breach starts it apart (ABANDON: the breach's own run may
  // continue as new meanwhile) and hears its result in the child's last report; an older one awaits the child.

  /** Child workflow options that start a playbook apart in a resumable breach. */
  get apart(): { parentClosePolicy?: ParentClosePolicy } {
    return this.resumable ? { parentClosePolicy: ParentClosePolicy.ABANDON } : {};
  }

  /** Starts a playbook once across runs. */
  begin(playbook: Playbook, start: () => Promise<unknown>): Promise<void> {
    return this.journal!.once(`start:${playbook}`, async () => {
      await start();
    });
  }

  /** A playbook's result, from its last report. */
  async resultOf<T>(playbook: Playbook): Promise<T> {
    await condition(() => this.children.get(playbook)?.finished !== undefined);
    return this.children.get(playbook)!.finished!.result as T;
  }

  finished(playbook: Playbook): boolean {
    return this.children.get(playbook)?.finished !== undefined;
  }

  /** Runs a playbook to its result: started apart and heard from (resumable), or awaited as a child (older runs). */
  runPlaybook<W extends Workflow>(
    playbook: Playbook,
    workflow: W,
    options: WithWorkflowArgs<W, Omit<ChildWorkflowOptions, 'typeInfo'> & { typeInfo?: never }>,
  ): Promise<WorkflowResultType<W>> {
    return this.resumable
      ? this.begin(playbook, () => startChild(workflow, options)).then(() =>
          this.resultOf<WorkflowResultType<W>>(playbook),
        )
      : executeChild(workflow, options);
  }

  /** What the next run needs to carry on (continue-as-new). */
  carry(journal: Journal): BreachCarry {
    return {
      journal,
      settings: this.settings!,
      runtime: this.runtime!.snapshot(),
      openedAt: this.openedAt,
      reports: this.reports,
      decisions: this.decisions,
      children: [...this.children.values()],
      phase: this.phase,
      ...(this.outcome ? { outcome: this.outcome } : {}),
      ...(this.closedAt ? { closedAt: this.closedAt } : {}),
      ...this.duplicates.carry(),
      ...(this.shownDeadline ? { shownDeadline: this.shownDeadline } : {}),
      gdprNotificationsSettled: this.gdprNotificationsSettled,
      known: this.known,
      ...(this.assessment ? { assessment: this.assessment } : {}),
    };
  }
}
