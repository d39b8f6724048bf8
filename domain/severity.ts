import type { BreachFacts, BreachType, CAUSES, DataCategory, Identifiability, LossLevel } from './facts';
import {
  CATEGORY_WORDS,
  renderReason,
  type DpcLevel,
  type EiDefaultWhy,
  type LossBecause,
  type Reason,
} from './reasons';

/**
 * Severity by the ENISA methodology (Recommendations for a methodology of the assessment of severity of
 * personal data breaches, 2013): SE = DPC × EI + CB.
 *
 * Every figure is a multiple of 0.25, so the arithmetic is done in whole quarters and divided once at the end:
 * no 0.1 + 0.2 surprises at a band boundary.
 */

/**
 * A figure and why: `reason` in English (the CLI, older readers), `why` as data that domain/reasons.ts renders in
 * each reader's language; `why` is absent from assessments recorded before it existed.
 */
export interface Explained {
  value: number;
  reason: string;
  why?: Reason;
}

/** The bands from low to very high. */
export const SEVERITY_BANDS = ['low', 'medium', 'high', 'very-high'] as const;
export type SeverityBand = (typeof SEVERITY_BANDS)[number];
export type CircumstanceFactor = 'confidentiality' | 'integrity' | 'availability' | 'malicious-intent';

export interface SeverityAssessment {
  score: number;
  band: SeverityBand;
  /** Data processing context, 1–4. */
  dpc: Explained;
  /** Ease of identification, 0.25–1. */
  ei: Explained;
  /** Circumstances of the breach, added to DPC × EI. */
  cb: { value: number; parts: (Explained & { factor: CircumstanceFactor })[] };
  /** ENISA weighs these after the score, outside it: plain-language remarks for the FG (in English). */
  weighedAfter: string[];
  /** The same remarks as data, for each reader's language; absent in assessments recorded before they were. */
  weighedAfterWhy?: Reason[];
}

/** ENISA's bands: low SE < 2; medium 2 ≤ SE < 3; high 3 ≤ SE < 4; very high SE ≥ 4. */
export function bandFor(score: number): SeverityBand {
  if (score < 2) return 'low';
  if (score < 3) return 'medium';
  if (score < 4) return 'high';
  return 'very-high';
}

const DPC_LEVELS: Record<DpcLevel, number> = { simple: 1, behavioural: 2, financial: 3, sensitive: 4 };
/** ENISA's value of each data processing context level. */
export const DPC_LEVEL_VALUES: Readonly<Record<DpcLevel, number>> = DPC_LEVELS;

/**
 * ENISA names four levels, not our categories; the mapping is a judgement:
 * - credentials count as financial: they open accounts, payments and identity fraud much as bank details do;
 * - communications content counts as behavioural: it shows contacts and habits, and when it reveals more
 *   (health, money) the category for that (special, financial) or a context adjustment says so;
 * - behavioural and traffic data (call records) are ENISA's own examples of behavioural data;
 * - an identity document counts as financial: like bank details it opens identity fraud, without revealing more;
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
  behavioural: 'behavioural',
  traffic: 'behavioural',
  'identity-document': 'financial',
};

/** How English reasons name each category (domain/reasons.ts holds both languages). */
export const DATA_CATEGORY_NAMES = Object.fromEntries(
  Object.entries(CATEGORY_WORDS).map(([category, words]) => [category, words.en]),
) as Record<DataCategory, string>;

/** EI in quarters: negligible 0.25, limited 0.5, significant 0.75, maximum 1. */
const EI_QUARTERS: Record<Identifiability, number> = { negligible: 1, limited: 2, significant: 3, maximum: 4 };
/** Each loss in quarters: none 0, limited +0.25, significant +0.5. */
const LOSS_QUARTERS: Record<LossLevel, number> = { none: 0, limited: 1, significant: 2 };
const MALICE_QUARTERS = 2;
/** Causes that can carry intent to harm; wrong recipients and technical failures do not, even when done on purpose. */
const MALICIOUS_CAUSES = new Set(['attack', 'abuse-of-authorisation', 'loss-or-theft']);

const en = (why: Reason) => renderReason(why, 'en');

function assessDpc(facts: BreachFacts): { value: number; reason: string; why: Reason } {
  const categories = facts.dataCategories ?? [];
  let base: number;
  let level: DpcLevel = 'simple';
  if (categories.length === 0) {
    base = DPC_LEVELS.simple;
  } else {
    level = categories.map((c) => DPC_LEVEL_OF[c]).reduce((a, b) => (DPC_LEVELS[b] > DPC_LEVELS[a] ? b : a));
    base = DPC_LEVELS[level];
  }
  const adjustment = facts.context?.adjustment ?? 0;
  const value = adjustment === 0 ? base : Math.min(4, Math.max(1, base + adjustment));
  const adjust =
    adjustment === 0
      ? undefined
      : {
          direction: adjustment > 0 ? ('up' as const) : ('down' as const),
          value,
          why: facts.context?.reason ?? '',
          atLimit: value === base,
        };
  const why: Reason =
    categories.length === 0
      ? { code: 'dpc-none', params: adjust ? { adjust } : {} }
      : {
          code: 'dpc-kind',
          params: {
            categories: [...new Set(categories)].filter((c) => DPC_LEVEL_OF[c] === level),
            level,
            base,
            several: categories.length > 1 && new Set(categories.map((c) => DPC_LEVEL_OF[c])).size > 1,
            ...(adjust ? { adjust } : {}),
          },
        };
  return { value, reason: en(why), why };
}

/**
 * Without an explicit identifiability, assume the worst that is plausible: records about people almost always
 * carry a name, address or number that points to one person, and a BSN does so by definition. Only location
 * data on its own is taken as significant: traces without a name can be tied to a person with some effort.
 */
export function defaultIdentifiability(facts: BreachFacts): { level: Identifiability; why: EiDefaultWhy } {
  const categories = facts.dataCategories ?? [];
  if (categories.includes('national-id')) return { level: 'maximum', why: 'bsn' };
  if (categories.length > 0 && categories.every((c) => c === 'location'))
    return { level: 'significant', why: 'location' };
  return { level: 'maximum', why: 'records' };
}

function assessEi(facts: BreachFacts): { quarters: number; reason: string; why: Reason } {
  if (facts.identifiability) {
    const q = EI_QUARTERS[facts.identifiability];
    const why: Reason = { code: 'ei-recorded', params: { level: facts.identifiability, value: q / 4 } };
    return { quarters: q, reason: en(why), why };
  }
  const { level, why: because } = defaultIdentifiability(facts);
  const q = EI_QUARTERS[level];
  const why: Reason = { code: 'ei-default', params: { level, value: q / 4, why: because } };
  return { quarters: q, reason: en(why), why };
}

type Part = { factor: CircumstanceFactor; quarters: number; reason: string; why: Reason };

const part = (factor: CircumstanceFactor, quarters: number, why: Reason): Part => ({
  factor,
  quarters,
  reason: en(why),
  why,
});

/**
 * Loss of confidentiality, when not recorded, follows ENISA's own descriptions from what the facts say about
 * who got the data; loss of availability from whether a backup can restore it. Integrity cannot be inferred.
 */
function derivedLoss(
  facts: BreachFacts,
  factor: 'confidentiality' | 'integrity' | 'availability',
): { level: LossLevel; because: LossBecause; recipients?: number } | undefined {
  const count = facts.recipientCount !== undefined ? { recipients: facts.recipientCount } : {};
  if (factor === 'confidentiality') {
    if (facts.recipients === 'public') return { level: 'significant', because: 'public' };
    if (facts.recipients === 'none') return { level: 'none', because: 'nobody' };
    if (facts.exfiltration === 'confirmed') return { level: 'significant', because: 'taken' };
    if (facts.recipients === 'trusted-confidential') return { level: 'limited', because: 'trusted', ...count };
    if (facts.recipients === 'known-untrusted') return { level: 'limited', because: 'known-recipients', ...count };
    if (facts.recipients === 'unknown') return { level: 'limited', because: 'unknown-recipients' };
    return undefined;
  }
  const cause = causeOf(facts);
  if (
    factor === 'availability' &&
    facts.backup &&
    (cause === 'attack' || cause === 'technical-failure' || cause === 'loss-or-theft')
  ) {
    if (!facts.backup.available) return { level: 'significant', because: 'no-backup' };
    if (facts.backup.kind === 'partial') return { level: 'significant', because: 'partial-backup' };
    if (facts.backup.kind === 'paper') return { level: 'limited', because: 'paper-backup' };
    return { level: 'none', because: 'backup' };
  }
  return undefined;
}

/** ENISA's circumstances by breach type, where the cause itself is not recorded. */
const CAUSE_OF_TYPE: Record<BreachType, (typeof CAUSES)[number]> = {
  'misdirected-email': 'wrong-recipient',
  'misdirected-post': 'wrong-recipient',
  'lost-device': 'loss-or-theft',
  'stolen-device': 'loss-or-theft',
  'lost-paper': 'loss-or-theft',
  'stolen-paper': 'loss-or-theft',
  ransomware: 'attack',
  hacking: 'attack',
  'credential-stuffing': 'attack',
  phishing: 'attack',
  'social-engineering': 'attack',
  'insider-misuse': 'abuse-of-authorisation',
  'unsecured-access': 'technical-failure',
  'accidental-publication': 'other',
  other: 'other',
};

/** The recorded cause, or the one the breach type implies. */
export function causeOf(facts: BreachFacts): (typeof CAUSES)[number] | undefined {
  return facts.cause ?? (facts.breachType ? CAUSE_OF_TYPE[facts.breachType] : undefined);
}

function assessLoss(facts: BreachFacts, factor: 'confidentiality' | 'integrity' | 'availability'): Part {
  const recorded = facts.impact?.[factor];
  if (recorded) {
    const q = LOSS_QUARTERS[recorded];
    return part(factor, q, { code: 'loss-recorded', params: { factor, level: recorded, value: q / 4 } });
  }
  const derived = derivedLoss(facts, factor);
  if (derived) {
    const q = LOSS_QUARTERS[derived.level];
    return part(factor, q, {
      code: 'loss-derived',
      params: {
        factor,
        level: derived.level,
        value: q / 4,
        because: derived.because,
        ...(derived.recipients !== undefined ? { recipients: derived.recipients } : {}),
      },
    });
  }
  return part(factor, 0, { code: 'loss-unknown', params: { factor } });
}

/** Breach types that are deliberate by their nature: a theft, an insider's misuse. */
const DELIBERATE_TYPES: readonly (BreachType | undefined)[] = ['stolen-device', 'stolen-paper', 'insider-misuse'];

function assessMalice(facts: BreachFacts): Part {
  const cause = causeOf(facts);
  if (facts.intentional === undefined && DELIBERATE_TYPES.includes(facts.breachType) && cause) {
    return part('malicious-intent', MALICE_QUARTERS, {
      code: 'malice',
      params: { cause, value: MALICE_QUARTERS / 4 },
    });
  }
  // An attack is deliberate by nature; for the other causes only an explicit "intentional" counts.
  if (
    cause &&
    MALICIOUS_CAUSES.has(cause) &&
    (facts.intentional === true || (facts.intentional === undefined && cause === 'attack'))
  ) {
    return part('malicious-intent', MALICE_QUARTERS, {
      code: 'malice',
      params: { cause, value: MALICE_QUARTERS / 4 },
    });
  }
  if (facts.intentional === true) {
    return part('malicious-intent', 0, { code: 'malice-not-attack', params: cause ? { cause } : {} });
  }
  return part('malicious-intent', 0, { code: 'malice-none', params: {} });
}

function weighAfter(facts: BreachFacts): Reason[] {
  const remarks: Reason[] = [];
  const people = facts.approxPeople;
  if (people === undefined) remarks.push({ code: 'people-unknown', params: {} });
  else if (people === 0) remarks.push({ code: 'people-zero', params: {} });
  else if (people === 1) remarks.push({ code: 'people-one', params: {} });
  else if (people < 100) remarks.push({ code: 'people-few', params: { people } });
  else if (people < 1_000) remarks.push({ code: 'people-considerable', params: { people } });
  else remarks.push({ code: 'people-many', params: { people } });

  const p = facts.protection;
  const how = p ? (p.encrypted ? 'encrypted' : p.hashed ? 'hashed' : undefined) : undefined;
  if (!p) remarks.push({ code: 'protection-unknown', params: {} });
  else if (!how) remarks.push({ code: 'protection-none', params: {} });
  else if (p.strength === 'weak') remarks.push({ code: 'protection-weak', params: { how } });
  else if (p.keySafe === true)
    remarks.push({ code: 'protection-safe', params: { how, ...(p.covers ? { covers: p.covers } : {}) } });
  else if (p.keySafe === false) remarks.push({ code: 'protection-key-lost', params: { how } });
  else remarks.push({ code: 'protection-key-unknown', params: { how } });
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
  const remarks = weighAfter(facts);
  const cbQuarters = parts.reduce((sum, p) => sum + p.quarters, 0);
  const score = (dpc.value * ei.quarters + cbQuarters) / 4;
  return {
    score,
    band: bandFor(score),
    dpc,
    ei: { value: ei.quarters / 4, reason: ei.reason, why: ei.why },
    cb: {
      value: cbQuarters / 4,
      parts: parts.map((p) => ({ factor: p.factor, value: p.quarters / 4, reason: p.reason, why: p.why })),
    },
    weighedAfter: remarks.map(en),
    weighedAfterWhy: remarks,
  };
}
