import type { Assessment } from '../../domain/case';
import { BAND_LABELS } from '../../domain/labels';
import type { Language } from '../../domain/language';
import { formatNumber } from '../../domain/numbers';
import { factorName, renderReason, type Reason } from '../../domain/reasons';
import type { Explained, SeverityAssessment } from '../../domain/severity';
import { englishText, yesNo } from './components';
import { html, type SafeHtml } from './html';
import { texts } from './i18n';

/**
 * The severity and the suggestion as a reader sees them: each reason a sentence in the page's language, in a
 * real list. Assessments recorded before the reasons were data carry English text only, marked as English.
 */

function sentence(why: Reason | undefined, recorded: string, lang: Language): SafeHtml {
  return why ? html`${renderReason(why, lang)}` : englishText(recorded, lang);
}

function sentences(whys: readonly Reason[] | undefined, recorded: readonly string[], lang: Language): SafeHtml[] {
  return whys ? whys.map((w) => html`${renderReason(w, lang)}`) : recorded.map((r) => englishText(r, lang));
}

const explained = (e: Explained, lang: Language) => sentence(e.why, e.reason, lang);

/** "Hoog (ernstscore 4,75 volgens ENISA)": the band in words, the score in the page's number format. */
export function severityText(severity: Pick<SeverityAssessment, 'band' | 'score'>, lang: Language): string {
  const score = formatNumber(severity.score, lang);
  return lang === 'nl'
    ? `${BAND_LABELS[severity.band].nl} (ernstscore ${score} volgens ENISA)`
    : `${BAND_LABELS[severity.band].en} (ENISA severity score ${score})`;
}

/** The suggestion's reasons, one list item each. */
export function suggestionReasons(a: Assessment, lang: Language): SafeHtml {
  const items = sentences(a.suggestion.why, a.suggestion.reasons, lang);
  return items.length === 0
    ? html``
    : html`<h3>${texts(lang).reasons}</h3><ul class="reasons">${items.map((i) => html`<li>${i}</li>`)}</ul>`;
}

/** The whole assessment: the ENISA factors with their reasons, the suggestion and what is weighed after the score. */
export function renderAssessment(a: Assessment, lang: Language): SafeHtml {
  const t = texts(lang);
  const s = a.severity;
  const n = (v: number) => formatNumber(v, lang);
  const after = sentences(s.weighedAfterWhy, s.weighedAfter, lang);
  const labels =
    lang === 'nl'
      ? {
          dpc: 'Verwerkingscontext (DPC)',
          ei: 'Identificeerbaarheid (EI)',
          cb: 'Omstandigheden (CB)',
          after: 'Verder gewogen',
        }
      : {
          dpc: 'Data processing context (DPC)',
          ei: 'Ease of identification (EI)',
          cb: 'Circumstances (CB)',
          after: 'Also weighed',
        };
  return html`<dl class="facts">
<dt>${t.severity}</dt><dd>${severityText(s, lang)}</dd>
<dt>${labels.dpc}</dt><dd>${n(s.dpc.value)}: ${explained(s.dpc, lang)}</dd>
<dt>${labels.ei}</dt><dd>${n(s.ei.value)}: ${explained(s.ei, lang)}</dd>
<dt>${labels.cb}</dt><dd>${n(s.cb.value)}${s.cb.parts.length ? html`<ul class="reasons">${s.cb.parts.map((p) => html`<li>${factorName(p.factor, lang)} ${n(p.value)}: ${explained(p, lang)}</li>`)}</ul>` : ''}</dd>
<dt>${t.suggestNotifyAuthority}</dt><dd>${yesNo(a.suggestion.notifyAuthority, lang)}</dd>
<dt>${t.suggestNotifyDataSubjects}</dt><dd>${yesNo(a.suggestion.notifyDataSubjects, lang)}${a.suggestion.publicCommunication ? html` (${t.suggestPublicCommunication})` : ''}</dd>
</dl>
${suggestionReasons(a, lang)}
${after.length ? html`<h3>${labels.after}</h3><ul class="reasons">${after.map((i) => html`<li>${i}</li>`)}</ul>` : ''}`;
}
