import type { PlaybookSettings } from '../activities';
import { adviceFor } from '../domain/advice';
import type { Facts } from '../domain/case';
import type { BreachFacts } from '../domain/facts';
import type { DataSubjectLetter } from '../domain/letters';
import { holdersOf } from '../domain/roles';
import type { Language } from '../domain/language';

/** The art. 34(2) letter's content, chosen from the case: what happened, consequences, measures, contact, advice. */
export function letterFor(
  breachId: string,
  known: BreachFacts,
  impact: Facts['impact'],
  settings: PlaybookSettings,
): DataSubjectLetter {
  const nl = settings.language === 'nl';
  const fg = holdersOf(settings.directory, 'fg')[0];
  const advice = adviceFor(known.dataCategories ?? []);
  const generated = (language: Language) => ({
    measures:
      language === 'nl'
        ? 'Wij hebben het lek gedicht, de Autoriteit Persoonsgegevens geïnformeerd waar dat nodig is, en nemen maatregelen om herhaling te voorkomen.'
        : 'We have stopped the leak, informed the supervisory authority where required, and are taking measures to prevent it happening again.',
    advice: advice.map((a) => a[language]),
    contactPoint: fg
      ? `${fg.name}, ${language === 'nl' ? 'functionaris gegevensbescherming' : 'data protection officer'}, ${fg.email}`
      : settings.organisation,
  });
  return {
    ...generated(settings.language),
    byLanguage: { nl: generated('nl'), en: generated('en') },
    organisation: settings.organisation,
    breachId,
    nature:
      known.summary ??
      (nl
        ? 'Er is een datalek geweest waarbij uw gegevens betrokken zijn.'
        : 'There was a data breach involving your data.'),
    consequences:
      impact?.impactOnPeople ??
      (nl ? 'De gevolgen worden nog onderzocht.' : 'The consequences are still being investigated.'),
  };
}
