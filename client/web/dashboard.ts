import type { Deadline } from '../../domain/case';
import type { RegimeDeadlineKind } from '../../domain/regimes/deadlines';
import type { SeverityBand } from '../../domain/severity';
import type { CaseView, DashboardItem } from '../../domain/case';
import { authorityStatusOf, openTasksOf, type AuthorityStatus } from '../../domain/next-step';
import type { Directory } from '../../domain/roles';
import {
  badge,
  cardTable,
  cell,
  words,
  countdownConfig,
  countdownEl,
  timeEl,
  urgencyOf,
  type Urgency,
} from './components';
import { html, truncate, type SafeHtml } from './html';
import { texts } from './i18n';
import { nextTexts } from './next-texts';
import { BAND_LABELS, DEADLINE_LABELS, PHASE_LABELS, roleLabel } from '../../domain/labels';
import type { Language, Wording } from '../../domain/language';
import { href, renderLayout, segment, type PageContext } from './layout';
import { displayTaskTitle, holderNames } from './task-title';

/** One open task as the dashboard names it: what, and who holds it. */
export interface NextTask {
  id: string;
  title: string;
  /** The people who may complete it (the assignee, else the role's holders), by name; empty: nobody does. */
  holders: string[];
  /** The role that holds it; none for a task given to one person (an improvement action's owner), whose role
   * would not say why they hold it. */
  role?: string;
  overdue: boolean;
}

export interface DashboardRow {
  breachId: string;
  phase?: string;
  summary?: string | undefined;
  /** The next legal deadline, or for an untriaged breach the triage task's due time. */
  next?: { kind?: RegimeDeadlineKind | 'triage'; due: string; provisional: boolean };
  msLeft?: number;
  urgency: Urgency;
  band?: SeverityBand;
  score?: number;
  openTasks?: number;
  overdueTasks?: number;
  tasks?: NextTask[];
  authority?: AuthorityStatus;
  /** Whether the moment of awareness is set (else no legal clock runs yet). */
  aware?: boolean;
  openedAt: string;
}

export type DashboardFilter = 'all' | 'triage' | 'critical' | 'late' | 'aftercare';
export const DASHBOARD_FILTERS: readonly DashboardFilter[] = ['all', 'triage', 'critical', 'late', 'aftercare'];

export interface DashboardOptions {
  /** For the names of who holds each open task. */
  directory?: Directory;
  filter?: DashboardFilter;
  /** Words that must all appear in the breach id or its description (case-insensitive). */
  search?: string;
}

/** Open deadlines: a due instant, not met, still required. A late one stays open until it is met. */
const isOpen = (d: Deadline) =>
  d.metAt === undefined && (d.status === 'pending' || d.status === 'late') && !Number.isNaN(Date.parse(d.due));

type Next = { kind: RegimeDeadlineKind | 'triage'; due: string; provisional: boolean; late?: boolean };

function nextOf(v: CaseView): Next | undefined {
  const deadline = v.deadlines.filter(isOpen).sort((a, b) => Date.parse(a.due) - Date.parse(b.due))[0];
  if (deadline)
    return {
      kind: deadline.kind,
      due: deadline.due,
      provisional: deadline.provisional === true,
      late: deadline.status === 'late',
    };
  // Before triage no legal clock runs: the triage task's own due time is what is urgent then.
  const triage = v.tasks.find((t) => t.kind === 'triage' && t.status === 'open');
  if (triage && !Number.isNaN(Date.parse(triage.due))) return { kind: 'triage', due: triage.due, provisional: false };
  return undefined;
}

function rowFor(
  item: DashboardItem,
  now: number,
  directory: Directory | undefined,
  lang: Language,
): DashboardRow | undefined {
  if ('summary' in item) {
    const s = item.summary;
    if (s.status !== 'RUNNING' || s.phase === 'closed') return undefined;
    const due = s.authorityNotified ? undefined : s.notificationDeadline;
    const msLeft = due ? Date.parse(due) - now : undefined;
    return {
      breachId: s.breachId,
      ...(s.phase ? { phase: s.phase } : {}),
      ...(due ? { next: { kind: 'gdpr-authority' as const, due, provisional: false } } : {}),
      ...(msLeft !== undefined ? { msLeft } : {}),
      urgency: urgencyOf(msLeft),
      ...(s.authorityNotified ? { authority: { kind: 'notified' as const, at: '', late: false } } : {}),
      openedAt: s.startedAt,
    };
  }
  const v = item.view;
  if (v.phase === 'closed' || v.closedAt) return undefined;
  const next = nextOf(v);
  const msLeft = next ? Date.parse(next.due) - now : undefined;
  const open = openTasksOf(v);
  const summary = v.facts.known?.summary ?? v.reports[0]?.summary;
  return {
    breachId: v.breachId,
    phase: v.phase,
    ...(summary ? { summary } : {}),
    ...(next ? { next: { kind: next.kind, due: next.due, provisional: next.provisional } } : {}),
    ...(msLeft !== undefined ? { msLeft } : {}),
    // A deadline the workflow already marked late is late, whatever this machine's clock says.
    urgency: next?.late ? 'late' : urgencyOf(msLeft),
    ...(v.assessment ? { band: v.assessment.severity.band, score: v.assessment.severity.score } : {}),
    openTasks: open.length,
    overdueTasks: open.filter((t) => t.overdue).length,
    tasks: open.map((t) => ({
      id: t.id,
      title: displayTaskTitle(t, lang),
      holders: holderNames(t, directory),
      ...(t.assignee ? {} : { role: t.role }),
      overdue: t.overdue,
    })),
    authority: authorityStatusOf(v, now),
    aware: v.facts.awareAt !== undefined,
    openedAt: v.openedAt,
  };
}

/**
 * The open breaches, most urgent first: by time left to the next deadline (for an untriaged breach its triage
 * due time; the most overdue first), then those with nothing due, oldest first.
 */
export function dashboardRows(
  items: readonly DashboardItem[],
  now: number = Date.now(),
  directory?: Directory,
  lang: Language = 'nl',
): DashboardRow[] {
  return items
    .map((item) => rowFor(item, now, directory, lang))
    .filter((row): row is DashboardRow => row !== undefined)
    .sort((a, b) => {
      if (a.msLeft !== undefined && b.msLeft !== undefined && a.msLeft !== b.msLeft) return a.msLeft - b.msLeft;
      if ((a.msLeft === undefined) !== (b.msLeft === undefined)) return a.msLeft === undefined ? 1 : -1;
      return a.openedAt.localeCompare(b.openedAt) || a.breachId.localeCompare(b.breachId);
    });
}

const HOUR_MS = 3_600_000;

/** Which rows each filter (and summary count) takes. */
const FILTERS: Record<DashboardFilter, (row: DashboardRow) => boolean> = {
  all: () => true,
  triage: (row) => row.phase === 'triage',
  critical: (row) => row.urgency !== 'late' && row.msLeft !== undefined && row.msLeft >= 0 && row.msLeft < 12 * HOUR_MS,
  late: (row) => row.urgency === 'late',
  aftercare: (row) => row.phase === 'aftercare',
};

export function parseDashboardFilter(value: unknown): DashboardFilter {
  return DASHBOARD_FILTERS.includes(value as DashboardFilter) ? (value as DashboardFilter) : 'all';
}

function matches(row: DashboardRow, search: string | undefined): boolean {
  const words = (search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const hay = `${row.breachId} ${row.summary ?? ''}`.toLowerCase();
  return words.every((w) => hay.includes(w));
}

function authorityCell(status: AuthorityStatus | undefined, lang: Language): SafeHtml {
  const n = nextTexts(lang);
  if (!status) return html`<span class="muted">–</span>`;
  switch (status.kind) {
    case 'notified':
      return html`<span data-authority="notified">${status.late ? n.authorityNotifiedLate : n.authorityNotified}</span>${status.at ? html`<br>${timeEl(status.at, lang)}` : ''}`;
    case 'not-required':
      return html`<span data-authority="not-required">${n.authorityNotRequired}</span>`;
    case 'late':
      return html`<strong data-authority="late">${n.authorityLate}</strong>`;
    case 'not-assessed':
      return html`<span data-authority="not-assessed">${n.authorityNotAssessed}</span>`;
  }
}

function nextStepCell(row: DashboardRow, lang: Language): SafeHtml {
  const n = nextTexts(lang);
  const t = texts(lang);
  if (!row.tasks) return html`<span class="muted">–</span>`;
  if (row.tasks.length === 0) return html`<span class="muted">${n.noOpenTask}</span>`;
  return html`<ul class="plain">${row.tasks.map(
    (task) =>
      html`<li data-task="${task.id}"><a href="${href(`/breaches/${segment(row.breachId)}/tasks/${segment(task.id)}`, lang)}">${task.title}</a> ${n.heldBy} ${task.holders.length ? truncate(task.holders.join(', '), 160) : html`<span class="muted">${n.nobodyHolds}</span>`}${task.role ? html` <span class="muted">(${roleLabel(task.role, lang)})</span>` : ''}${task.overdue ? html` <strong class="badge urgency-late">${t.overdue}</strong>` : ''}</li>`,
  )}</ul>`;
}

function deadlineCell(row: DashboardRow, lang: Language): SafeHtml {
  const t = texts(lang);
  const n = nextTexts(lang);
  if (!row.next)
    return html`<span class="muted">${row.aware === false || row.aware === undefined ? t.noDeadlineYet : n.noOpenDeadline}</span>`;
  const label =
    row.next.kind === 'triage' ? n.triageDeadline : row.next.kind ? DEADLINE_LABELS[row.next.kind][lang] : '';
  return html`${label}${row.next.provisional ? html` <span class="muted">(${t.provisional})</span>` : ''}<br>${timeEl(row.next.due, lang)}`;
}

function summaryStrip(rows: readonly DashboardRow[], options: DashboardOptions, lang: Language): SafeHtml {
  const n = nextTexts(lang);
  const chosen = options.filter ?? 'all';
  const labels: Record<DashboardFilter, string> = {
    all: n.all,
    triage: n.toTriage,
    critical: n.under12h,
    late: n.late,
    aftercare: n.inAftercare,
  };
  const link = (filter: DashboardFilter) =>
    href('/', lang, { filter: filter === 'all' ? undefined : filter, q: options.search });
  return html`<nav aria-label="${n.summaryTitle}"><ul class="summary-strip">${DASHBOARD_FILTERS.map(
    (filter) =>
      html`<li><a href="${link(filter)}" data-filter="${filter}"${filter === chosen ? html` aria-current="true"` : ''}><strong>${rows.filter(FILTERS[filter]).length}</strong> ${labels[filter]}</a></li>`,
  )}</ul></nav>
<form method="get" action="/" class="search" role="search">
${chosen !== 'all' ? html`<input type="hidden" name="filter" value="${chosen}">` : ''}${lang === 'en' ? html`<input type="hidden" name="lang" value="en">` : ''}
<label for="dashboard-q">${n.searchLabel}</label>
<input type="search" id="dashboard-q" name="q" value="${options.search ?? ''}">
<button type="submit">${n.searchButton}</button>
</form>`;
}

export function renderDashboard(
  items: readonly DashboardItem[],
  page: PageContext,
  options: DashboardOptions = {},
): string {
  const { lang } = page;
  const now = page.now ?? Date.now();
  const t = texts(lang);
  const n = nextTexts(lang);
  const all = dashboardRows(items, now, options.directory, lang);
  const rows = all.filter(FILTERS[options.filter ?? 'all']).filter((row) => matches(row, options.search));
  const narrowed = rows.length !== all.length;
  const phaseLabel = (phase: string | undefined) =>
    phase ? ((PHASE_LABELS as Record<string, Wording | undefined>)[phase]?.[lang] ?? phase) : '–';
  const body = html`<h1>${t.dashboardTitle}</h1>
<p class="lead">${n.dashboardIntro}</p>
${all.length === 0 ? '' : summaryStrip(all, options, lang)}
${narrowed ? html`<p class="muted" role="status">${n.filtered(rows.length, all.length)}</p>` : ''}
${
  all.length === 0
    ? html`<p class="notice">${t.dashboardEmpty}</p>`
    : rows.length === 0
      ? html`<p class="notice">${n.noMatch}</p>`
      : cardTable(
          t.dashboardTitle,
          [t.colBreach, n.colNextStep, t.colTimeLeft, t.colNextDeadline, n.colAuthority, t.colPhase, t.colSeverity],
          rows.map(
            (
              row,
            ) => html`<tr class="urgency-${row.urgency}" data-urgency="${row.urgency}" data-breach="${row.breachId}">
${cell(t.colBreach, html`<a href="${href(`/breaches/${segment(row.breachId)}`, lang)}">${row.breachId}</a>${row.summary ? html`<br><span class="muted">${truncate(row.summary, 160)}</span>` : ''}`)}
${cell(n.colNextStep, nextStepCell(row, lang))}
${words(t.colTimeLeft, row.next ? html`${badge(row.urgency, lang)}<br>${countdownEl(row.next.due, now, lang)}` : html`${badge('none', lang)}`)}
${words(t.colNextDeadline, deadlineCell(row, lang))}
${words(n.colAuthority, authorityCell(row.authority, lang))}
${words(t.colPhase, phaseLabel(row.phase))}
${words(t.colSeverity, row.band ? html`${BAND_LABELS[row.band][lang]} <span class="muted">(${row.score})</span>` : '–')}
</tr>`,
          ),
        )
}`;
  return renderLayout({
    ...page,
    title: t.dashboardTitle,
    body,
    current: 'dashboard',
    countdown: countdownConfig(lang),
  });
}
