import { html, type SafeHtml } from './html';
import { texts } from './i18n';
import type { Language } from '../../domain/language';
import { formatDateTime, formatSpan, isoDuration } from './time';

/** An instant as people read it (Amsterdam) with the machine-readable UTC value beside it. */
export function timeEl(iso: string | undefined | null, lang: Language): SafeHtml {
  if (!iso) return html`<span class="muted">–</span>`;
  return html`<time datetime="${iso}">${formatDateTime(iso, lang)}</time>`;
}

export type Urgency = 'late' | 'critical' | 'soon' | 'ok' | 'none';

const HOUR_MS = 3_600_000;

/** Late, under 12 hours, under 24 hours, later; the same thresholds as the countdown script. */
export function urgencyOf(msLeft: number | undefined): Urgency {
  if (msLeft === undefined) return 'none';
  if (msLeft < 0) return 'late';
  if (msLeft < 12 * HOUR_MS) return 'critical';
  if (msLeft < 24 * HOUR_MS) return 'soon';
  return 'ok';
}

export function urgencyLabels(lang: Language): Record<Urgency, string> {
  const t = texts(lang);
  return {
    late: t.urgencyLate,
    critical: t.urgencyCritical,
    soon: t.urgencySoon,
    ok: t.urgencyOk,
    none: t.urgencyNone,
  };
}

/** What the countdown script needs to speak the page's language. */
export function countdownConfig(lang: Language): Record<string, unknown> {
  const t = texts(lang);
  return { units: t.units, late: t.lateBy, labels: urgencyLabels(lang) };
}

/** The time left, right as of rendering; the script keeps it ticking. Late is said in words, not only colour. */
export function countdownEl(due: string, now: number, lang: Language): SafeHtml {
  const t = texts(lang);
  const ms = Date.parse(due) - now;
  return html`<time class="countdown" data-due="${due}" datetime="${isoDuration(ms)}">${ms < 0 ? `${t.lateBy} ` : ''}${formatSpan(ms, t.units)}</time>`;
}

export function badge(urgency: Urgency, lang: Language): SafeHtml {
  return html`<span class="badge" data-urgency-label>${urgencyLabels(lang)[urgency]}</span>`;
}

export function yesNo(value: boolean | undefined, lang: Language): string {
  const t = texts(lang);
  return value === undefined ? t.unknown : value ? t.yes : t.no;
}

/** Text lekdicht's workflows and rules write in English: marked as such on a Dutch page, for screen readers. */
export function englishText(text: string, lang: Language): SafeHtml {
  return lang === 'en' ? html`${text}` : html`<span lang="en">${text}</span>`;
}

/** A table that becomes a stack of cards on a phone; `data-label` repeats the header in each cell. */
export function cardTable(
  caption: string,
  headers: readonly string[],
  rows: readonly SafeHtml[],
  options: { captionHidden?: boolean } = {},
): SafeHtml {
  return html`<table class="cards"><caption${options.captionHidden === false ? '' : html` class="visually-hidden"`}>${caption}</caption>
<thead><tr>${headers.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>${rows}</tbody></table>`;
}

export function cell(label: string, content: SafeHtml | string | number): SafeHtml {
  return html`<td data-label="${label}">${content}</td>`;
}

/** A cell of lekdicht's own words (a status, a phase, a time): never broken inside a word, as typed text may be. */
export function words(label: string, content: SafeHtml | string | number): SafeHtml {
  return html`<td class="words" data-label="${label}">${content}</td>`;
}
