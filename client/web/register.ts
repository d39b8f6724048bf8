import {
  filterRegister,
  REGISTER_STATUSES,
  endedOutside,
  type RegisterFilter,
  type RegisterRow,
} from '../../domain/register';
import { SEVERITY_BANDS, type SeverityBand } from '../../domain/severity';
import { cardTable, cell, timeEl } from './components';
import { attr, html, truncate } from './html';
import { texts } from './i18n';
import { BAND_LABELS, PHASE_LABELS } from '../../domain/labels';
import type { Language, Wording } from '../../domain/language';
import { href, renderLayout, segment, type PageContext } from './layout';

const filterParams = (filter: RegisterFilter) => ({
  from: filter.from,
  to: filter.to,
  status: filter.status,
  severity: filter.severity,
});

/** Rows on one page of the register: years of breaches stay one quick page each; the CSV has them all. */
export const REGISTER_PAGE_SIZE = 100;

/** `?page=` as a page number from 1 (anything else: the first page). */
export function parseRegisterPage(value: unknown): number {
  const n = typeof value === 'string' && /^[1-9][0-9]{0,6}$/.test(value) ? Number(value) : 1;
  return n;
}

/** The CSV export of the same selection, its headers and words in the page's language. */
export function registerCsvHref(filter: RegisterFilter, lang: Language = 'nl'): string {
  return href('/register.csv', lang, filterParams(filter));
}

/**
 * The register page: the breaches the filter selects, newest first, REGISTER_PAGE_SIZE at a time (`pageNumber`
 * beyond the last shows the last).
 */
export function renderRegister(
  rows: readonly RegisterRow[],
  filter: RegisterFilter,
  page: PageContext,
  pageNumber = 1,
): string {
  const { lang } = page;
  const t = texts(lang);
  const selected = filterRegister(rows, filter);
  const pages = Math.max(1, Math.ceil(selected.length / REGISTER_PAGE_SIZE));
  const current = Math.min(Math.max(1, Math.floor(pageNumber)), pages);
  const first = (current - 1) * REGISTER_PAGE_SIZE;
  const shown = [...selected].reverse().slice(first, first + REGISTER_PAGE_SIZE);
  const pageHref = (n: number) =>
    href('/register', lang, { ...filterParams(filter), page: n === 1 ? undefined : String(n) });
  const pager =
    pages === 1
      ? ''
      : html`<nav class="pager" aria-label="${t.registerPages}"><span>${t.registerShowing(first + 1, first + shown.length, selected.length)}</span>${
          current > 1 ? html` · <a href="${pageHref(current - 1)}" rel="prev">${t.previousPage}</a>` : ''
        }${current < pages ? html` · <a href="${pageHref(current + 1)}" rel="next">${t.nextPage}</a>` : ''}</nav>`;
  const phaseLabel = (phase: string | null) =>
    phase ? ((PHASE_LABELS as Record<string, Wording | undefined>)[phase]?.[lang] ?? phase) : '–';
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
${SEVERITY_BANDS.map((b) => html`<option value="${b}"${attr('selected', filter.severity === b)}>${BAND_LABELS[b][lang]}</option>`)}
</select></div>
<div class="field"><button type="submit">${t.filter}</button></div>
</form>
<p><a href="${registerCsvHref(filter, lang)}" download>${t.downloadCsv}</a> · <span>${t.registerCount(selected.length)}</span></p>
${pager}
${
  shown.length === 0
    ? html`<p class="notice">${t.registerEmpty}</p>`
    : cardTable(
        t.registerTitle,
        [
          t.colBreach,
          t.openedAt,
          t.colPhase,
          t.colSeverity,
          t.colDeadline,
          t.colAuthorityNotified,
          t.colDataSubjectsNotified,
          t.closedAt,
        ],
        shown.map(
          (row) => html`<tr>
${cell(
  t.colBreach,
  html`<a href="${href(`/breaches/${segment(row.breach_id)}`, lang)}">${row.breach_id}</a>${
    row.outcome === 'security-incident'
      ? html`<br><span class="muted">${t.registerStatus['security-incident']}</span>`
      : ''
  }${
    endedOutside(row)
      ? html`<br><strong class="badge urgency-late">${t.registerStatus['ended-outside']}</strong> <span class="muted">${t.endedOutsideHow(row.ended_outside_status ?? '', row.ended_outside_run ?? '', row.ended_outside_cause ?? '')}</span>`
      : ''
  }${row.facts_summary ? html`<br><span class="muted">${truncate(row.facts_summary, 200)}</span>` : ''}`,
)}
${cell(t.openedAt, timeEl(row.opened_at, lang))}
${cell(t.colPhase, phaseLabel(row.phase))}
${cell(t.colSeverity, row.severity_band ? (BAND_LABELS[row.severity_band as SeverityBand]?.[lang] ?? row.severity_band) : '–')}
${cell(t.colDeadline, html`${timeEl(row.notification_deadline, lang)}${row.notification_late ? html` <strong class="badge urgency-late">${t.lateMarker}</strong>` : ''}`)}
${cell(t.colAuthorityNotified, html`${timeEl(row.authority_notified_at, lang)}${row.authority_reference ? html`<br>${row.authority_reference}` : ''}`)}
${cell(t.colDataSubjectsNotified, timeEl(row.data_subjects_notified_at, lang))}
${cell(t.closedAt, timeEl(row.closed_at, lang))}
</tr>`,
        ),
      )
}
${pager}`;
  return renderLayout({ ...page, title: t.registerTitle, body, current: 'register' });
}
