import { DEFAULT_THRESHOLDS, type Thresholds } from './thresholds';
import type { BreachFacts } from './facts';
import type { Role } from './roles';
import type { SeverityBand } from './severity';
import type { Wording } from './language';
import { formatNumber } from './numbers';

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
  /** Why the task was created, in English (tests, older callers). */
  reason: string;
  /** The same in each reader's language: the task's detail on its page and in its email. */
  why: Wording;
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

const BANDS: Record<SeverityBand, Wording> = {
  low: { nl: 'laag', en: 'low' },
  medium: { nl: 'gemiddeld', en: 'medium' },
  high: { nl: 'hoog', en: 'high' },
  'very-high': { nl: 'zeer hoog', en: 'very-high' },
};

const joined = (parts: Wording[]): Wording => ({
  nl: parts.map((p) => p.nl).join('; '),
  en: parts.map((p) => p.en).join('; '),
});

/** An interest task whose reason is given in both languages; `reason` is the English one. */
const task = (t: Omit<InterestTask, 'reason'>): InterestTask => ({ ...t, reason: t.why.en });

const HIGH_BANDS: readonly SeverityBand[] = ['high', 'very-high'];

export function interestTasksFor(
  facts: BreachFacts,
  band: SeverityBand,
  informDataSubjects: boolean,
  thresholds: Pick<Thresholds, 'claimsPeople' | 'publicAttentionPeople'> = DEFAULT_THRESHOLDS,
): InterestTask[] {
  const tasks: InterestTask[] = [];
  const people = facts.approxPeople ?? 0;
  const high = HIGH_BANDS.includes(band);

  const legal: Wording[] = [];
  if (facts.processorInvolved)
    legal.push({
      nl: 'het datalek ontstond bij een verwerker: bekijk de verwerkersovereenkomst en verhaal',
      en: 'the breach happened at a processor: check the processing agreement and recourse',
    });
  if (people >= thresholds.claimsPeople)
    legal.push({
      nl: `ongeveer ${formatNumber(people, 'nl')} betrokkenen: bereid u voor op claims`,
      en: `about ${people} people are affected: prepare for claims`,
    });
  if (high)
    legal.push({
      nl: `de ernst is ${BANDS[band].nl}: beoordeel de aansprakelijkheid en het risico op een boete`,
      en: `the severity is ${band}: assess liability and the risk of a fine`,
    });
  if (legal.length > 0) {
    tasks.push(
      task({
        kind: 'legal',
        role: 'legal',
        title: INTEREST_TITLES['legal'],
        why: joined(legal),
      }),
    );
  }

  if (high || facts.cause === 'attack') {
    tasks.push(
      task({
        kind: 'insurance',
        role: 'finance',
        title: INTEREST_TITLES['insurance'],
        why:
          facts.cause === 'attack'
            ? {
                nl: 'een aanval: een cyberverzekering vraagt meestal om een snelle melding',
                en: 'an attack: a cyber insurance policy usually requires prompt notice',
              }
            : {
                nl: `de ernst is ${BANDS[band].nl}: kosten en claims zijn mogelijk verzekerd`,
                en: `the severity is ${band}: costs and claims may be insured`,
              },
      }),
    );
  }

  if (people >= thresholds.publicAttentionPeople || facts.recipients === 'public') {
    tasks.push(
      task({
        kind: 'public-statement',
        role: 'communications',
        title: INTEREST_TITLES['public-statement'],
        why:
          facts.recipients === 'public'
            ? { nl: 'de gegevens zijn openbaar geworden', en: 'the data became public' }
            : {
                nl: `ongeveer ${formatNumber(people, 'nl')} betrokkenen: reken op publieke aandacht`,
                en: `about ${people} people are affected: expect public attention`,
              },
      }),
    );
  }

  if (informDataSubjects) {
    tasks.push(
      task({
        kind: 'kcc-script',
        role: 'kcc',
        title: INTEREST_TITLES['kcc-script'],
        why: {
          nl: 'de betrokkenen worden geïnformeerd en zullen bellen met vragen',
          en: 'the people affected are informed and will call with questions',
        },
      }),
    );
  }

  // Only when an employee caused it: misuse of authorisation is always a person; loss or a wrong recipient
  // is a person's act when it was not a technical failure.
  if (facts.cause === 'abuse-of-authorisation' || (facts.intentional === true && facts.cause !== 'attack')) {
    tasks.push(
      task({
        kind: 'hr',
        role: 'hr',
        title: INTEREST_TITLES['hr'],
        why:
          facts.cause === 'abuse-of-authorisation'
            ? { nl: 'een medewerker heeft zijn bevoegdheden misbruikt', en: 'an employee misused their authorisation' }
            : {
                nl: 'het datalek is van binnenuit met opzet veroorzaakt',
                en: 'the breach was caused on purpose from inside',
              },
      }),
    );
  }

  if (facts.impact?.availability === 'significant' || facts.backup?.available === false) {
    tasks.push(
      task({
        kind: 'business-continuity',
        role: 'business-continuity',
        title: INTEREST_TITLES['business-continuity'],
        why:
          facts.backup?.available === false
            ? {
                nl: 'er is geen back-up om de gegevens uit te herstellen',
                en: 'no backup is available to restore the data',
              }
            : { nl: 'de beschikbaarheid is aanzienlijk verloren gegaan', en: 'availability was significantly lost' },
      }),
    );
  }
  return tasks;
}
