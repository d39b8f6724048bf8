import type { BreachFacts, DataCategory, Identifiability, LossLevel } from './facts';

/**
 * Severity by the ENISA methodology (Recommendations for a methodology of the assessment of severity of
 * personal data breaches, 2013): SE = DPC × EI + CB.
 *
 * Every figure is a multiple of 0.25, so the arithmetic is done in whole quarters and divided once at the end:
 * no 0.1 + 0.2 surprises at a band boundary.
 */

/** The bands from low to very high. */
export const SEVERITY_BANDS = ['low', 'medium', 'high', 'very-high'] as const;
export type SeverityBand = (typeof SEVERITY_BANDS)[number];
export type CircumstanceFactor = 'confidentiality' | 'integrity' | 'availability' | 'malicious-intent';

export interface SeverityAssessment {
  score: number;
  band: SeverityBand;
  /** Data processing context, 1–4. */
  dpc: { value: number; reason: string };
  /** Ease of identification, 0.25–1. */
  ei: { value: number; reason: string };
  /** Circumstances of the breach, added to DPC × EI. */
  cb: { value: number; parts: { factor: CircumstanceFactor; value: number; reason: string }[] };
  /** ENISA weighs these after the score, outside it: plain-language remarks for the FG. */
  weighedAfter: string[];
}

/** ENISA's bands: low SE < 2; medium 2 ≤ SE < 3; high 3 ≤ SE < 4; very high SE ≥ 4. */
export function bandFor(score: number): SeverityBand {
  if (score < 2) return 'low';
  if (score < 3) return 'medium';
  if (score < 4) return 'high';
  return 'very-high';
}

const DPC_LEVELS = { simple: 1, behavioural: 2, financial: 3, sensitive: 4 } as const;
type DpcLevel = keyof typeof DPC_LEVELS;

/**
 * ENISA names four levels, not our categories; the mapping is a judgement:
 * - credentials count as financial: they open accounts, payments and identity fraud much as bank details do;
 * - communications content counts as behavioural: it shows contacts and habits, and when it reveals more
 *   (health, money) the category for that (special, financial) or a context adjustment says so;
 * - children and the BSN count as sensitive: children are vulnerable people (recital 38 GDPR) and the BSN is
 *   the key to identity fraud, which Dutch law guards like special categories (art. 46 UAVG).
 */
export const DPC_LEVEL_OF: Record<DataCategory, DpcLevel> = {
  ordinary: 'simple',
  location: 'behavioural',
  'communications-content': 'behavioural',
  financial: 'financial',
  credentials: 'financial',
  special: 'sensitive',
  criminal: 'sensitive',
  'national-id': 'sensitive',
  children: 'sensitive',
};

/** How reasons name each category. */
export const DATA_CATEGORY_NAMES: Record<DataCategory, string> = {
  ordinary: 'ordinary personal data',
  special: 'special categories of data (art. 9)',
  criminal: 'criminal-law data (art. 10)',
  'national-id': 'citizen service numbers (BSN)',
  financial: 'financial data',
  credentials: 'login credentials',
  location: 'location data',
  'communications-content': 'the content of communications',
  children: "children's data",
};

/** The categories whose leak ENISA scores financial (3) or sensitive (4); decision.ts treats them as high risk. */
export function sensitiveCategories(facts: BreachFacts): DataCategory[] {
  return [...new Set(facts.dataCategories ?? [])].filter((c) => DPC_LEVELS[DPC_LEVEL_OF[c]] >= DPC_LEVELS.financial);
}

/** EI in quarters: negligible 0.25, limited 0.5, significant 0.75, maximum 1. */
const EI_QUARTERS: Record<Identifiability, number> = { negligible: 1, limited: 2, significant: 3, maximum: 4 };
/** Each loss in quarters: none 0, limited +0.25, significant +0.5. */
const LOSS_QUARTERS: Record<LossLevel, number> = { none: 0, limited: 1, significant: 2 };
const MALICE_QUARTERS = 2;
/** Causes that can carry intent to harm; wrong recipients and technical failures do not, even when done on purpose. */
const MALICIOUS_CAUSES = new Set(['attack', 'abuse-of-authorisation', 'loss-or-theft']);

const list = (items: string[]) =>
  items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const signed = (quarters: number) => `+${quarters / 4}`;

function assessDpc(facts: BreachFacts): { value: number; reason: string } {
  const categories = facts.dataCategories ?? [];
  let base: number;
  let reason: string;
  if (categories.length === 0) {
    base = DPC_LEVELS.simple;
    reason = 'No data categories are recorded yet, so the data processing context counts as simple (1) until they are.';
  } else {
    const level = categories.map((c) => DPC_LEVEL_OF[c]).reduce((a, b) => (DPC_LEVELS[b] > DPC_LEVELS[a] ? b : a));
    base = DPC_LEVELS[level];
    const decisive = [...new Set(categories)]
      .filter((c) => DPC_LEVEL_OF[c] === level)
      .map((c) => DATA_CATEGORY_NAMES[c]);
    reason =
      categories.length > 1 && new Set(categories.map((c) => DPC_LEVEL_OF[c])).size > 1
        ? `The most sensitive kind of data involved, ${list(decisive)}, counts as ${level} (${base}); with several kinds of data the highest counts.`
        : `The kind of data involved, ${list(decisive)}, counts as ${level} (${base}).`;
  }

  const adjustment = facts.context?.adjustment ?? 0;
  if (adjustment === 0) return { value: base, reason };
  const value = Math.min(4, Math.max(1, base + adjustment));
  const why = facts.context?.reason ?? '';
  const direction = adjustment > 0 ? 'up' : 'down';
  if (value === base) {
    return {
      value,
      reason: `${reason.slice(0, -1)}; the context would move it ${direction} one step (${why}), but the scale ends at ${value}.`,
    };
  }
  return {
    value,
    reason:
      `${reason.slice(0, -1)}, moved ${direction} to ${value} because of the context: ${why}` +
      (/[.!?]$/.test(why) ? '' : '.'),
  };
}

/**
 * Without an explicit identifiability, assume the worst that is plausible: records about people almost always
 * carry a name, address or number that points to one person, and a BSN does so by definition. Only location
 * data on its own is taken as significant: traces without a name can be tied to a person with some effort.
 */
export function defaultIdentifiability(facts: BreachFacts): { level: Identifiability; why: string } {
  const categories = facts.dataCategories ?? [];
  if (categories.includes('national-id')) return { level: 'maximum', why: 'a BSN points to exactly one person' };
  if (categories.length > 0 && categories.every((c) => c === 'location')) {
    return {
      level: 'significant',
      why: 'location data without other data can be tied to a person with some effort (home and work addresses)',
    };
  }
  return {
    level: 'maximum',
    why: 'records about people nearly always carry a name, address or number that points to one person',
  };
}

function assessEi(facts: BreachFacts): { quarters: number; reason: string } {
  if (facts.identifiability) {
    const q = EI_QUARTERS[facts.identifiability];
    return {
      quarters: q,
      reason: `Identifying the people from the data is ${facts.identifiability} (${q / 4}), as recorded.`,
    };
  }
  const { level, why } = defaultIdentifiability(facts);
  const q = EI_QUARTERS[level];
  return {
    quarters: q,
    reason: `Identifiability is not recorded, so it is taken as ${level} (${q / 4}): ${why}; record it if that is wrong.`,
  };
}

type Part = { factor: CircumstanceFactor; quarters: number; reason: string };

const LOSS_DESCRIPTION: Record<'confidentiality' | 'integrity' | 'availability', Record<LossLevel, string>> = {
  confidentiality: {
    none: 'no loss of confidentiality: the data was exposed but there is no sign anyone unauthorised read it',
    limited: 'limited loss of confidentiality: the data reached a small number of known recipients',
    significant: 'significant loss of confidentiality: the data reached an unknown number of recipients',
  },
  integrity: {
    none: 'no loss of integrity: the data was not altered, or can be put right',
    limited: 'limited loss of integrity: the data was altered and may have been used wrongly',
    significant: 'significant loss of integrity: the data was altered and used wrongly, with no way to put it right',
  },
  availability: {
    none: 'no loss of availability: the data can be recovered without difficulty',
    limited: 'limited loss of availability: the data is temporarily unavailable',
    significant: 'significant loss of availability: the data cannot be recovered',
  },
};

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Loss of confidentiality, when not recorded, follows ENISA's own descriptions from what the facts say about
 * who got the data; loss of availability from whether a backup can restore it. Integrity cannot be inferred.
 */
function derivedLoss(
  facts: BreachFacts,
  factor: 'confidentiality' | 'integrity' | 'availability',
): { level: LossLevel; because: string } | undefined {
  if (factor === 'confidentiality') {
    if (facts.recipients === 'public') return { level: 'significant', because: 'the data is public' };
    if (facts.exfiltration === 'confirmed')
      return { level: 'significant', because: 'the data was taken, so who has it is unknown' };
    if (facts.recipients === 'trusted-confidential')
      return { level: 'limited', because: 'a trusted recipient saw the data' };
    if (facts.recipients === 'unknown')
      return { level: 'limited', because: 'unknown recipients may have seen the data' };
    return undefined;
  }
  if (
    factor === 'availability' &&
    facts.backup &&
    (facts.cause === 'attack' || facts.cause === 'technical-failure' || facts.cause === 'loss-or-theft')
  ) {
    return facts.backup.available
      ? { level: 'none', because: 'a backup can restore the data' }
      : { level: 'significant', because: 'there is no backup to restore the data from' };
  }
  return undefined;
}

function assessLoss(facts: BreachFacts, factor: 'confidentiality' | 'integrity' | 'availability'): Part {
  const recorded = facts.impact?.[factor];
  if (recorded) {
    const q = LOSS_QUARTERS[recorded];
    return { factor, quarters: q, reason: `${capitalise(LOSS_DESCRIPTION[factor][recorded])} (${signed(q)}).` };
  }
  const derived = derivedLoss(facts, factor);
  if (derived) {
    const q = LOSS_QUARTERS[derived.level];
    return {
      factor,
      quarters: q,
      reason: `Loss of ${factor} is not recorded; because ${derived.because}, it is taken as ${derived.level} (${signed(q)}).`,
    };
  }
  return {
    factor,
    quarters: 0,
    reason: `Loss of ${factor} is not recorded and the facts do not show it, so it adds nothing yet (+0); record impact.${factor} when it is known.`,
  };
}

function assessMalice(facts: BreachFacts): Part {
  const cause = facts.cause;
  const causeNamed = cause ? cause.replace(/-/g, ' ') : undefined;
  // An attack is deliberate by nature; for the other causes only an explicit "intentional" counts.
  if (
    cause &&
    MALICIOUS_CAUSES.has(cause) &&
    (facts.intentional === true || (facts.intentional === undefined && cause === 'attack'))
  ) {
    return {
      factor: 'malicious-intent',
      quarters: MALICE_QUARTERS,
      reason: `The breach was caused on purpose (${causeNamed}), so malicious intent adds ${signed(MALICE_QUARTERS)}.`,
    };
  }
  if (facts.intentional === true) {
    return {
      factor: 'malicious-intent',
      quarters: 0,
      reason: `The breach is marked intentional, but its cause (${causeNamed ?? 'not recorded'}) is not an attack, theft or abuse of authorisation, so no malicious intent is added (+0).`,
    };
  }
  return {
    factor: 'malicious-intent',
    quarters: 0,
    reason: 'Nothing shows the breach was caused to do harm, so no malicious intent is added (+0).',
  };
}

/** Encrypted or hashed with the key safe: whoever has the data cannot read it (art. 34(3)(a)). */
export function isUnintelligible(facts: BreachFacts): boolean {
  const p = facts.protection;
  return p !== undefined && (p.encrypted || p.hashed === true) && p.keySafe === true;
}

function weighAfter(facts: BreachFacts): string[] {
  const remarks: string[] = [];
  const people = facts.approxPeople;
  if (people === undefined) {
    remarks.push(
      'The number of people affected is not known yet: find it out, the notification to the authority asks for it (art. 33(3)(a)).',
    );
  } else if (people === 0) {
    remarks.push(
      'No people affected are recorded: check this, because without people affected there is no personal data breach.',
    );
  } else if (people === 1) {
    remarks.push('One person is affected: a small number, but that person may still be harmed.');
  } else if (people < 100) {
    remarks.push(
      `About ${thousands(people)} people are affected: a small number, which does not by itself lower the risk to each of them.`,
    );
  } else if (people < 1_000) {
    remarks.push(`About ${thousands(people)} people are affected: a considerable number weighs towards notifying.`);
  } else {
    remarks.push(`About ${thousands(people)} people are affected: a large number weighs towards notifying.`);
  }

  const p = facts.protection;
  const how = p ? (p.encrypted ? 'encrypted' : p.hashed ? 'hashed' : undefined) : undefined;
  if (!p) {
    remarks.push('Whether the data was encrypted is not recorded: until it is, assume whoever has it can read it.');
  } else if (!how) {
    remarks.push('The data was neither encrypted nor hashed: whoever has it can read it.');
  } else if (p.keySafe === true) {
    remarks.push(`The data was ${how} with the key safe: unintelligible to whoever has it (art. 34(3)(a)).`);
  } else if (p.keySafe === false) {
    remarks.push(`The data was ${how}, but the key was compromised too: it is not unintelligible.`);
  } else {
    remarks.push(
      `The data was ${how}, but whether the key is safe is not recorded: do not count on art. 34(3)(a) until it is.`,
    );
  }
  return remarks;
}

export function assessSeverity(facts: BreachFacts): SeverityAssessment {
  const dpc = assessDpc(facts);
  const ei = assessEi(facts);
  const parts = [
    assessLoss(facts, 'confidentiality'),
    assessLoss(facts, 'integrity'),
    assessLoss(facts, 'availability'),
    assessMalice(facts),
  ];
  const cbQuarters = parts.reduce((sum, p) => sum + p.quarters, 0);
  const score = (dpc.value * ei.quarters + cbQuarters) / 4;
  return {
    score,
    band: bandFor(score),
    dpc,
    ei: { value: ei.quarters / 4, reason: ei.reason },
    cb: {
      value: cbQuarters / 4,
      parts: parts.map((p) => ({ factor: p.factor, value: p.quarters / 4, reason: p.reason })),
    },
    weighedAfter: weighAfter(facts),
  };
}
