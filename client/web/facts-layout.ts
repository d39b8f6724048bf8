import { DATA_LEFT_TYPES, type BreachType } from '../../domain/facts';
import type { Wording } from '../../domain/language';

/**
 * How the facts are asked, on the facts form and on the first-picture task alike: six short groups in the order
 * an incident is told, each top-level fact in one of them. A fact the schema gains later and no group names
 * goes in the last group, so it is never left off a form.
 */
export interface FactsSection {
  id: string;
  legend: Wording;
  keys: readonly string[];
}

export const FACTS_SECTIONS: readonly FactsSection[] = [
  {
    id: 'what',
    legend: { nl: 'Wat is er gebeurd', en: 'What happened' },
    keys: [
      'summary',
      'breachType',
      'cause',
      'startedAt',
      'endedAt',
      'stillLeaking',
      'intentional',
      'location',
      'systems',
      'physicalMedia',
      'processorInvolved',
      'impact',
    ],
  },
  {
    id: 'data',
    legend: { nl: 'Welke gegevens en wie', en: 'Which data, and whose' },
    keys: [
      'dataCategories',
      'approxPeople',
      'approxRecords',
      'peoplePerCategory',
      'subjects',
      'identifiability',
      'context',
      'contactDetailsKnown',
    ],
  },
  {
    id: 'holders',
    legend: { nl: 'Wie heeft de gegevens', en: 'Who has the data' },
    keys: ['recipients', 'recipientCount', 'recovery', 'exfiltration'],
  },
  { id: 'protection', legend: { nl: 'Bescherming', en: 'Protection' }, keys: ['protection'] },
  { id: 'availability', legend: { nl: 'Beschikbaarheid', en: 'Availability' }, keys: ['backup', 'outage'] },
  {
    id: 'cross-border',
    legend: { nl: 'Grensoverschrijdend', en: 'Cross-border' },
    keys: ['crossBorder', 'leadAuthority'],
  },
];

/** The section a top-level fact belongs to (the last one for a fact no section names). */
export function sectionOf(key: string): FactsSection {
  return FACTS_SECTIONS.find((s) => s.keys.includes(key)) ?? FACTS_SECTIONS[FACTS_SECTIONS.length - 1]!;
}

/** The facts' keys in the order of the sections; keys no section names keep their order, at the end. */
export function inSectionOrder<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
): { section: FactsSection; items: T[] }[] {
  return FACTS_SECTIONS.map((section) => ({
    section,
    items: [
      ...section.keys.flatMap((key) => items.filter((item) => keyOf(item) === key)),
      ...(section === FACTS_SECTIONS[FACTS_SECTIONS.length - 1]
        ? items.filter((item) => !FACTS_SECTIONS.some((s) => s.keys.includes(keyOf(item))))
        : []),
    ],
  })).filter((group) => group.items.length > 0);
}

/**
 * Whether the breach type says the data has left by its nature (misdirected, lost, stolen, published): then the
 * question is not whether anyone took it (exfiltration) but who holds it and whether it came back.
 */
export function dataHasLeft(breachType: unknown): boolean {
  return typeof breachType === 'string' && DATA_LEFT_TYPES.includes(breachType as BreachType);
}
