import type { Assessment } from './case';

/** The suggestion as the FG reads it in the decision task: the score, the factors and the reasons. */
export function describeSuggestion({ severity, suggestion }: Assessment): string {
  const yes = (b: boolean) => (b ? 'yes' : 'no');
  return [
    `Suggested by lekdicht (ENISA severity ${severity.score}, ${severity.band}); you decide:`,
    `- notify the authority (art. 33): ${yes(suggestion.notifyAuthority)}`,
    `- inform the people affected (art. 34): ${yes(suggestion.notifyDataSubjects)}${suggestion.publicCommunication ? ', by public communication' : ''}`,
    `Why: DPC ${severity.dpc.value} (${severity.dpc.reason}) × EI ${severity.ei.value} (${severity.ei.reason}) + CB ${severity.cb.value}.`,
    ...suggestion.reasons.map((r) => `- ${r}`),
    ...severity.weighedAfter.map((r) => `- ${r}`),
  ].join('\n');
}
