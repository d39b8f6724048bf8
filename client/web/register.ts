import type { BreachRow } from '../../activities/register';
import type { SeverityBand } from '../../domain/severity';
import { cardTable, cell, timeEl } from './components';
import { attr, html, truncate } from './html';
import { BAND_LABELS, PHASE_LABELS, texts, type Lang } from './i18n';
import { href, renderLayout, segment, type PageContext } from './layout';
import { localDate } from './time';

/**
 * A register row as the page shows it. The register has no severity column yet; the caller adds the band
 * from the case view (or from a future `severity_band` column) so the filter can use it.
 */
export type RegisterRow = BreachRow & { severity_band?: SeverityBand | null };

export const REGISTER_STATUSES = ['open', 'ended-outside', 'closed', 'late', 'security-incident'] as const;
export type RegisterStatus = (typeof REGISTER_STATUSES)[number];
const BANDS: readonly SeverityBand[] = ['low', 'medium', 'high', 'very-high'];

export interface RegisterFilter {
  /** Opened on or after this Amsterdam date, "2026-11-01". */
  from?: string;
  /** Opened on or before this Amsterdam date (inclusive). */
  to?: string;
  status?: RegisterStatus;
  severity?: SeverityBand;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The filter from a query string; values that are not one of the options are ignored rather than refused. */
export function parseRegisterFilter(query: URLSearchParams | Readonly<Record<string, unknown>>): RegisterFilter {
  const get = (key: string): string | undefined => {
    const value = query instanceof URLSearchParams ? query.get(key) : query[key];
    return typeof value === 'string' ? value : undefined;
  };
  const from = get('from');
  const to = get('to');
  const status = get('status');
  const severity = get('severity');
  return {
    ...(from && DATE.test(from) ? { from } : {}),
    ...(to && DATE.test(to) ? { to } : {}),
    ...(status && (REGISTER_STATUSES as readonly string[]).includes(status) ? { status: status as RegisterStatus } : {}),
    ...(severity && (BANDS as readonly string[]).includes(severity) ? { severity: severity as SeverityBand } : {}),
  };
}

/** A run of the breach ended outside lekdicht (worker/watch.ts) and it is not closed: nobody watches its clock. */
export function endedOutside(row: RegisterRow): boolean {
  return row.closed_at === null && row.ended_outside_at != null;
}

function hasStatus(row: RegisterRow, status: RegisterStatus): boolean {
  switch (status) {
    case 'open':
      return row.closed_at === null && !endedOutside(row);
    case 'ended-outside':
      return endedOutside(row);
    case 'closed':
      return row.closed_at !== null;
    case 'late':
      return row.notification_late === 1;
    case 'security-incident':
      return row.outcome === 'security-incident';
  }
}

/** The rows the filter keeps; the same for the page and the CSV export, so both show the same breaches. */
export function filterRegister<R extends RegisterRow>(rows: readonly R[], filter: RegisterFilter): R[] {
  return rows.filter((row) => {
    const opened = row.opened_at ? localDate(row.opened_at) : undefined;
    if (filter.from && (!opened || opened < filter.from)) return false;
    if (filter.to && (!opened || opened > filter.to)) return false;
    if (filter.status && !hasStatus(row, filter.status)) return false;
    if (filter.severity && row.severity_band !== filter.severity) return false;
    return true;
  });
}

const filterParams = (filter: RegisterFilter) => ({ from: filter.from, to: filter.to, status: filter.status, severity: filter.severity });

/** The CSV export of the same selection. */
export function registerCsvHref(filter: RegisterFilter): string {
  return href('/register.csv', 'nl', filterParams(filter));
}

export function renderRegister(rows: readonly RegisterRow[], filter: RegisterFilter, page: PageContext): string {
  const { lang } = page;
  const t = texts(lang);
  const shown = filterRegister(rows, filter);
  const phaseLabel = (phase: string | null) => (phase ? (PHASE_LABELS as Record<string, Record<Lang, string> | undefined>)[phase]?.[lang] ?? phase : '–');
  const body = html`<h1>${t.registerTitle}</h1>
<p class="lead">${t.registerIntro}</p>
<form method="get" action="/register" class="filters" role="search" aria-label="${t.filterLegend}">
${lang === 'en' ? html`<input type="hidden" name="lang" value="en">` : ''}
<div class="field"><label for="filter-from">${t.periodFrom}</label><input type="date" id="filter-from" name="from" value="${filter.from ?? ''}"></div>
<div class="field"><label for="filter-to">${t.periodTo}</label><input type="date" id="filter-to" name="to" value="${filter.to ?? ''}"></div>
<div class="field"><label for="filter-status">${t.status}</label><select id="filter-status" name="status">
<option value="">${t.all}</option>
${REGISTER_STATUSES.map((s) => html`<option value="${s}"${attr('selected', filter.status === s)}>${t.registerStatus[s]}</option>`)}
</select></div>
<div class="field"><label for="filter-severity">${t.colSeverity}</label><select id="filter-severity" name="severity">
<option value="">${t.all}</option>
${BANDS.map((b) => html`<option value="${b}"${attr('selected', filter.severity === b)}>${BAND_LABELS[b][lang]}</option>`)}
</select></div>
<div class="field"><button type="submit">${t.filter}</button></div>
</form>
<p><a href="${registerCsvHref(filter)}" download>${t.downloadCsv}</a> · <span>${t.registerCount(shown.length)}</span></p>
${
  shown.length === 0
    ? html`<p class="notice">${t.registerEmpty}</p>`
    : cardTable(
        t.registerTitle,
        [t.colBreach, t.openedAt, t.colPhase, t.colSeverity, t.colDeadline, t.colAuthorityNotified, t.colDataSubjectsNotified, t.closedAt],
        shown.map(
          (row) => html`<tr>
${cell(t.colBreach, html`<a href="${href(`/breaches/${segment(row.breach_id)}`, lang)}">${row.breach_id}</a>${
            row.outcome === 'security-incident' ? html`<br><span class="muted">${t.registerStatus['security-incident']}</span>` : ''
          }${
            endedOutside(row)
              ? html`<br><strong class="badge urgency-late">${t.registerStatus['ended-outside']}</strong> <span class="muted">${t.endedOutsideHow(row.ended_outside_status ?? '', row.ended_outside_run ?? '', row.ended_outside_cause ?? '')}</span>`
              : ''
          }${row.facts_summary ? html`<br><span class="muted">${truncate(row.facts_summary, 200)}</span>` : ''}`)}
${cell(t.openedAt, timeEl(row.opened_at, lang))}
${cell(t.colPhase, phaseLabel(row.phase))}
${cell(t.colSeverity, row.severity_band ? BAND_LABELS[row.severity_band][lang] : '–')}
${cell(t.colDeadline, html`${timeEl(row.notification_deadline, lang)}${row.notification_late ? html` <strong class="badge urgency-late">${t.lateMarker}</strong>` : ''}`)}
${cell(t.colAuthorityNotified, html`${timeEl(row.authority_notified_at, lang)}${row.authority_reference ? html`<br>${row.authority_reference}` : ''}`)}
${cell(t.colDataSubjectsNotified, timeEl(row.data_subjects_notified_at, lang))}
${cell(t.closedAt, timeEl(row.closed_at, lang))}
</tr>`,
        ),
      )
}`;
  return renderLayout({ ...page, title: t.registerTitle, body, current: 'register' });
}
