import type { Assessment } from './case';
import { BAND_LABELS } from './labels';
import type { Language } from './language';
import { formatNumber } from './numbers';
import { renderReason } from './reasons';

/**
 * The suggestion as the FG reads it in the decision task's email: the score, the factors and the reasons, in the
 * organisation's language. The page shows the same from the assessment itself (client/web/reasoning.ts).
 */
export function describeSuggestion({ severity, suggestion }: Assessment, lang: Language = 'en'): string {
  const n = (v: number) => formatNumber(v, lang);
  const reason = (why: Parameters<typeof renderReason>[0] | undefined, recorded: string) =>
    why ? renderReason(why, lang) : recorded;
  const reasons = suggestion.why?.map((w) => renderReason(w, lang)) ?? suggestion.reasons;
  const after = severity.weighedAfterWhy?.map((w) => renderReason(w, lang)) ?? severity.weighedAfter;
  if (lang === 'en') {
    const yes = (b: boolean) => (b ? 'yes' : 'no');
    return [
      `Suggested by lekdicht (ENISA severity ${severity.score}, ${severity.band}); you decide:`,
      `- notify the authority (art. 33): ${yes(suggestion.notifyAuthority)}`,
      `- inform the people affected (art. 34): ${yes(suggestion.notifyDataSubjects)}${suggestion.publicCommunication ? ', by public communication' : ''}`,
      `Why: DPC ${severity.dpc.value} (${reason(severity.dpc.why, severity.dpc.reason)}) × EI ${severity.ei.value} (${reason(severity.ei.why, severity.ei.reason)}) + CB ${severity.cb.value}.`,
      ...reasons.map((r) => `- ${r}`),
      ...after.map((r) => `- ${r}`),
    ].join('\n');
  }
  const ja = (b: boolean) => (b ? 'ja' : 'nee');
  return [
    `Voorstel van lekdicht (ernst volgens ENISA: ${BAND_LABELS[severity.band].nl.toLowerCase()}, score ${n(severity.score)}); u besluit:`,
    `- melden bij de Autoriteit Persoonsgegevens (art. 33 AVG): ${ja(suggestion.notifyAuthority)}`,
    `- betrokkenen informeren (art. 34 AVG): ${ja(suggestion.notifyDataSubjects)}${suggestion.publicCommunication ? ', via een openbare mededeling' : ''}`,
    `Onderbouwing: verwerkingscontext ${n(severity.dpc.value)} (${reason(severity.dpc.why, severity.dpc.reason)}) × identificeerbaarheid ${n(severity.ei.value)} (${reason(severity.ei.why, severity.ei.reason)}) + omstandigheden ${n(severity.cb.value)}.`,
    ...reasons.map((r) => `- ${r}`),
    ...after.map((r) => `- ${r}`),
  ].join('\n');
}
