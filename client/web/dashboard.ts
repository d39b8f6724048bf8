import type { Deadline } from '../../domain/case';
import type { RegimeDeadlineKind } from '../../domain/regimes/deadlines';
import type { SeverityBand } from '../../domain/severity';
import type { DashboardItem } from '../../domain/case';
import { badge, cardTable, cell, countdownConfig, countdownEl, timeEl, urgencyOf, type Urgency } from './components';
import { html, truncate } from './html';
import { texts } from './i18n';
import { BAND_LABELS, DEADLINE_LABELS, PHASE_LABELS } from '../../domain/labels';
import type { Wording } from '../../domain/language';
import { href, renderLayout, segment, type PageContext } from './layout';

export interface DashboardRow {
  breachId: string;
  phase?: string;
  summary?: string | undefined;
  next?: { kind?: RegimeDeadlineKind; due: string; provisional: boolean };
  msLeft?: number;
  urgency: Urgency;
  band?: SeverityBand;
  score?: number;
  openTasks?: number;
  overdueTasks?: number;
  openedAt: string;
}

/** Open deadlines: a due instant, not met, still required. A late one stays open until it is met. */
const isOpen = (d: Deadline) =>
  d.metAt === undefined && (d.status === 'pending' || d.status === 'late') && !Number.isNaN(Date.parse(d.due));

function rowFor(item: DashboardItem, now: number): DashboardRow | undefined {
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
      openedAt: s.startedAt,
    };
  }
  const v = item.view;
  if (v.phase === 'closed' || v.closedAt) return undefined;
  const next = v.deadlines.filter(isOpen).sort((a, b) => Date.parse(a.due) - Date.parse(b.due))[0];
  const msLeft = next ? Date.parse(next.due) - now : undefined;
  const open = v.tasks.filter((t) => t.status === 'open');
  return {
    breachId: v.breachId,
    phase: v.phase,
    ...((v.facts.known?.summary ?? v.reports[0]?.summary)
      ? { summary: v.facts.known?.summary ?? v.reports[0]?.summary }
      : {}),
    ...(next ? { next: { kind: next.kind, due: next.due, provisional: next.provisional === true } } : {}),
    ...(msLeft !== undefined ? { msLeft } : {}),
    // A deadline the workflow already marked late is late, whatever this machine's clock says.
    urgency: next?.status === 'late' ? 'late' : urgencyOf(msLeft),
    ...(v.assessment ? { band: v.assessment.severity.band, score: v.assessment.severity.score } : {}),
    openTasks: open.length,
    overdueTasks: open.filter((t) => t.overdue).length,
    openedAt: v.openedAt,
  };
}

/**
 * The open breaches, most urgent first: by time left to the next deadline (the most overdue first), then those
 * without a deadline yet (awareness not set) oldest first.
 */
export function dashboardRows(items: readonly DashboardItem[], now: number = Date.now()): DashboardRow[] {
  return items
    .map((item) => rowFor(item, now))
    .filter((row): row is DashboardRow => row !== undefined)
    .sort((a, b) => {
      if (a.msLeft !== undefined && b.msLeft !== undefined && a.msLeft !== b.msLeft) return a.msLeft - b.msLeft;
      if ((a.msLeft === undefined) !== (b.msLeft === undefined)) return a.msLeft === undefined ? 1 : -1;
      return a.openedAt.localeCompare(b.openedAt) || a.breachId.localeCompare(b.breachId);
    });
}

export function renderDashboard(items: readonly DashboardItem[], page: PageContext): string {
  const { lang } = page;
  const now = page.now ?? Date.now();
  const t = texts(lang);
  const rows = dashboardRows(items, now);
  const phaseLabel = (phase: string | undefined) =>
    phase ? ((PHASE_LABELS as Record<string, Wording | undefined>)[phase]?.[lang] ?? phase) : '–';
  const body = html`<h1>${t.dashboardTitle}</h1>
<p class="lead">${t.dashboardIntro}</p>
${
  rows.length === 0
    ? html`<p class="notice">${t.dashboardEmpty}</p>`
    : cardTable(
        t.dashboardTitle,
        [t.colBreach, t.colTimeLeft, t.colNextDeadline, t.colPhase, t.colSeverity, t.colOpenTasks],
        rows.map(
          (row) => html`<tr class="urgency-${row.urgency}" data-urgency="${row.urgency}" data-breach="${row.breachId}">
${cell(t.colBreach, html`<a href="${href(`/breaches/${segment(row.breachId)}`, lang)}">${row.breachId}</a>${row.summary ? html`<br><span class="muted">${truncate(row.summary, 160)}</span>` : ''}`)}
${cell(t.colTimeLeft, row.next ? html`${badge(row.urgency, lang)}<br>${countdownEl(row.next.due, now, lang)}` : html`${badge('none', lang)}`)}
${cell(
  t.colNextDeadline,
  row.next
    ? html`${row.next.kind ? DEADLINE_LABELS[row.next.kind][lang] : ''}${row.next.provisional ? html` <span class="muted">(${t.provisional})</span>` : ''}<br>${timeEl(row.next.due, lang)}`
    : html`<span class="muted">${t.noDeadlineYet}</span>`,
)}
${cell(t.colPhase, phaseLabel(row.phase))}
${cell(t.colSeverity, row.band ? html`${BAND_LABELS[row.band][lang]} <span class="muted">(${row.score})</span>` : '–')}
${cell(t.colOpenTasks, row.openTasks === undefined ? '–' : html`${row.openTasks}${row.overdueTasks ? html` <strong>(${t.overdueTasks(row.overdueTasks)})</strong>` : ''}`)}
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
