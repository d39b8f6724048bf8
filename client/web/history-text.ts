import type { Decision, TimelineEntry } from '../../domain/case';
import type { Language } from '../../domain/language';
import { decisionSummary, timelineText } from '../../domain/timeline-text';
import { englishText } from './components';
import { domainErrorText } from './error-texts';
import { texts } from './i18n';
import { TASK_TITLES, taskTitle } from '../../domain/labels';
import type { TaskKind } from '../../domain/tasks';
import { isDomainErrorCode, type ErrorParams } from '../../domain/errors';
import { html, type SafeHtml } from './html';

/** A timeline entry in the page's language; one recorded before entries carried their parameters, marked English. */
export function entryText(entry: TimelineEntry, lang: Language): SafeHtml {
  // A refused completion says why in the words of the refusal's code (client/web/error-texts.ts).
  const code = entry.params?.code;
  if (entry.kind === 'completion-rejected' && isDomainErrorCode(code)) {
    const { code: _, ...params } = entry.params ?? {};
    const why = domainErrorText(code, params as ErrorParams, lang, entry.text);
    const kind = entry.params?.taskKind;
    const task = typeof kind === 'string' && kind in TASK_TITLES ? taskTitle(kind as TaskKind, lang) : undefined;
    return html`${texts(lang).completionRejected(task ?? String(entry.params?.taskId ?? ''), why)}`;
  }
  const text = timelineText(entry, lang);
  return text === undefined ? englishText(entry.text, lang) : html`${text}`;
}

/** A decision's summary in the page's language, its justification as written; older ones marked English. */
export function decisionText(decision: Decision, lang: Language): SafeHtml {
  const text = decisionSummary(decision, lang);
  return text === undefined ? englishText(decision.summary, lang) : html`${text}`;
}
