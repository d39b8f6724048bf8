import type { Decision, TimelineEntry } from '../../domain/case';
import type { Language } from '../../domain/language';
import { decisionSummary, timelineText } from '../../domain/timeline-text';
import { englishText } from './components';
import { html, type SafeHtml } from './html';

/** A timeline entry in the page's language; one recorded before entries carried their parameters, marked English. */
export function entryText(entry: TimelineEntry, lang: Language): SafeHtml {
  const text = timelineText(entry, lang);
  return text === undefined ? englishText(entry.text, lang) : html`${text}`;
}

/** A decision's summary in the page's language, its justification as written; older ones marked English. */
export function decisionText(decision: Decision, lang: Language): SafeHtml {
  const text = decisionSummary(decision, lang);
  return text === undefined ? englishText(decision.summary, lang) : html`${text}`;
}
