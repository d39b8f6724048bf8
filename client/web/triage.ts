import type { CaseView } from '../../domain/case';
import type { Language } from '../../domain/language';
import { timeEl } from './components';
import { html, type SafeHtml } from './html';
import { nextTexts } from './next-texts';
import { formatDateTime, toDutchInput } from './time';
import type { FormBody } from './task-form-parse';

/**
 * The triage form's context: what the source sent (the FG decides on it), and the moment of awareness it
 * suggests. The page is only shown to people who may see the case (the responder checks involvement).
 */
export function triageContext(view: CaseView | undefined, lang: Language): SafeHtml {
  const first = view?.reports[0];
  if (!first) return html``;
  const n = nextTexts(lang);
  const reporter = [first.reporter?.name, first.reporter?.email].filter(Boolean).join(', ');
  return html`<section class="notice" aria-labelledby="signal-title">
<h2 id="signal-title">${n.signalTitle}</h2>
<dl class="facts">
<dt>${n.signalSource}</dt><dd>${first.source}</dd>
<dt>${n.signalEventId}</dt><dd>${first.eventId}</dd>
<dt>${n.signalReceivedAt}</dt><dd>${timeEl(first.receivedAt, lang)}</dd>
${first.observedAt ? html`<dt>${n.signalObservedAt}</dt><dd>${timeEl(first.observedAt, lang)}</dd>` : ''}
${reporter ? html`<dt>${n.signalReporter}</dt><dd>${reporter}</dd>` : ''}
${first.systems?.length ? html`<dt>${n.signalSystems}</dt><dd>${first.systems.join(', ')}</dd>` : ''}
<dt>${n.signalSummary}</dt><dd>${first.summary}</dd>
${first.details ? html`<dt>${n.signalDetails}</dt><dd>${first.details}</dd>` : ''}
</dl>
<p>${n.awareDefault(formatDateTime(first.receivedAt, lang))}</p>
</section>`;
}

/** A new triage form starts with the source's observation time as the moment of awareness, if it sent one. */
export function triageDefaults(view: CaseView | undefined): { awareAt: string } | undefined {
  const observedAt = view?.reports[0]?.observedAt;
  return observedAt ? { awareAt: observedAt } : undefined;
}

/**
 * "Sinds wanneer …" is optional: left empty for a personal-data breach, the moment the report came in counts,
 * as the form says. Filled in before validation, so the workflow gets a complete answer.
 */
export function withAwarenessDefault(body: FormBody, view: CaseView): FormBody {
  const receivedAt = view.reports[0]?.receivedAt;
  const form = typeof body === 'string' || body instanceof URLSearchParams ? new URLSearchParams(body) : toParams(body);
  if (!receivedAt || form.get('isPersonalDataBreach') !== 'true' || (form.get('awareAt') ?? '').trim() !== '')
    return body;
  form.set('awareAt', toDutchInput(receivedAt) ?? receivedAt);
  return form;
}

function toParams(body: Readonly<Record<string, string | readonly string[] | undefined>>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(body)) {
    if (value === undefined) continue;
    for (const item of typeof value === 'string' ? [value] : value) params.append(key, item);
  }
  return params;
}
