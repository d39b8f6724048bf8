import type { BreachFacts } from './facts';
import type { Role } from './roles';
import type { SeverityBand } from './severity';
import type { Wording } from './language';

/**
 * Protecting the organisation's interest (organisatiebelang, step 10 of the procedure): tasks for the roles
 * beyond the breach team, created only when the facts call for them, each with the reason it was created.
 */
export const INTEREST_KINDS = [
  'legal',
  'insurance',
  'public-statement',
  'kcc-script',
  'hr',
  'business-continuity',
] as const;
export type InterestKind = (typeof INTEREST_KINDS)[number];

export interface InterestTask {
  kind: InterestKind;
  role: Role;
  title: Wording;
  reason: string;
}

/** Each interest task's own title: the task keeps it wherever it is shown (web, email, CLI). */
export const INTEREST_TITLES: Record<InterestKind, Wording> = {
  legal: {
    nl: 'Juridisch: aansprakelijkheid, claims en verhaal op de verwerker',
    en: 'Legal: liability, claims and recourse on the processor',
  },
  insurance: { nl: 'Financiën: meld de schade bij de verzekeraar', en: 'Finance: notify the insurer' },
  'public-statement': {
    nl: 'Communicatie: publieke verklaring en woordvoering',
    en: 'Communications: public statement and press line',
  },
  'kcc-script': {
    nl: 'KCC: vraag-en-antwoordscript voor betrokkenen',
    en: 'Contact centre: question-and-answer script for the people affected',
  },
  hr: { nl: 'HR: beoordeel disciplinaire maatregelen', en: 'HR: consider disciplinary measures' },
  'business-continuity': {
    nl: 'Bedrijfscontinuïteit: herstel van de dienstverlening',
    en: 'Business continuity: restore the service',
  },
};

/** From this many people on, a breach is likely to draw questions from the public and the press. */
export const PUBLIC_ATTENTION_PEOPLE = 1_000;
/** From this many people on, claims become a realistic risk worth a legal look. */
export const CLAIMS_PEOPLE = 100;

const HIGH_BANDS: readonly SeverityBand[] = ['high', 'very-high'];

export function interestTasksFor(facts: BreachFacts, band: SeverityBand, informDataSubjects: boolean): InterestTask[] {
  const tasks: InterestTask[] = [];
  const people = facts.approxPeople ?? 0;
  const high = HIGH_BANDS.includes(band);

  const legal: string[] = [];
  if (facts.processorInvolved)
    legal.push('the breach happened at a processor: check the processing agreement and recourse');
  if (people >= CLAIMS_PEOPLE) legal.push(`about ${people} people are affected: prepare for claims`);
  if (high) legal.push(`the severity is ${band}: assess liability and the risk of a fine`);
  if (legal.length > 0) {
    tasks.push({
      kind: 'legal',
      role: 'legal',
      title: INTEREST_TITLES['legal'],
      reason: legal.join('; '),
    });
  }

  if (high || facts.cause === 'attack') {
    tasks.push({
      kind: 'insurance',
      role: 'finance',
      title: INTEREST_TITLES['insurance'],
      reason:
        facts.cause === 'attack'
          ? 'an attack: a cyber insurance policy usually requires prompt notice'
          : `the severity is ${band}: costs and claims may be insured`,
    });
  }

  if (people >= PUBLIC_ATTENTION_PEOPLE || facts.recipients === 'public') {
    tasks.push({
      kind: 'public-statement',
      role: 'communications',
      title: INTEREST_TITLES['public-statement'],
      reason:
        facts.recipients === 'public'
          ? 'the data became public'
          : `about ${people} people are affected: expect public attention`,
    });
  }

  if (informDataSubjects) {
    tasks.push({
      kind: 'kcc-script',
      role: 'kcc',
      title: INTEREST_TITLES['kcc-script'],
      reason: 'the people affected are informed and will call with questions',
    });
  }

  // Only when an employee caused it: misuse of authorisation is always a person; loss or a wrong recipient
  // is a person's act when it was not a technical failure.
  if (facts.cause === 'abuse-of-authorisation' || (facts.intentional === true && facts.cause !== 'attack')) {
    tasks.push({
      kind: 'hr',
      role: 'hr',
      title: INTEREST_TITLES['hr'],
      reason:
        facts.cause === 'abuse-of-authorisation'
          ? 'an employee misused their authorisation'
          : 'the breach was caused on purpose from inside',
    });
  }

  if (facts.impact?.availability === 'significant' || facts.backup?.available === false) {
    tasks.push({
      kind: 'business-continuity',
      role: 'business-continuity',
      title: INTEREST_TITLES['business-continuity'],
      reason:
        facts.backup?.available === false
          ? 'no backup is available to restore the data'
          : 'availability was significantly lost',
    });
  }
  return tasks;
}
