import type { BreachFacts, DataCategory, OutageConsequence } from './facts';
import { exposureOf } from './exposure';
import { DEFAULT_THRESHOLDS } from './thresholds';

/**
 * The kinds of harm the AP's notification form lets the organisation tick ("Welke gevolgen kan de inbreuk hebben
 * voor de persoonlijke levenssfeer van de betrokkenen?"), completed with the harms recital 85 GDPR names (financial
 * loss, damage to reputation, loss of control over one's data). In the order the draft lists them.
 */
export const HARMS = [
  'stigmatisation',
  'health',
  'identity-fraud',
  'spam-phishing',
  'reputation',
  'financial-loss',
  'loss-of-control',
  'service-disruption',
] as const;
export type Harm = (typeof HARMS)[number];

/** The AP form's own words where it has them. */
export const HARM_NL: Record<Harm, string> = {
  stigmatisation: 'stigmatisering of uitsluiting',
  health: 'schade aan de gezondheid',
  'identity-fraud': '(identiteits)fraude',
  'spam-phishing': 'blootstelling aan spam of phishing',
  reputation: 'reputatieschade',
  'financial-loss': 'financieel verlies',
  'loss-of-control': 'verlies van controle over de eigen persoonsgegevens (profilering, volgen)',
  'service-disruption': 'geen toegang tot diensten of voorzieningen',
};

/**
 * What each kind of data can lead to once someone else has it (loss of confidentiality). The mapping:
 * - ordinary (name, address, contact details): spam and phishing aimed at the people, with their own details;
 * - special categories and criminal-law data: stigmatisation or exclusion, and damage to reputation;
 * - a national identification number or an identity document: identity fraud (recital 85; art. 46 UAVG);
 * - financial data: financial loss (fraudulent payments and direct debits);
 * - credentials: identity fraud (whoever logs in acts as the person) and financial loss (payments in their name);
 * - location, behavioural and traffic data: loss of control over one's data (they track and profile someone);
 * - communications content: loss of control, and damage to reputation (what someone wrote to others);
 * - children: nothing of its own: it says whose data it is, not what it reveals; it weighs on the risk (recital 38),
 *   and the other kinds of data in the breach give the harm.
 */
export const CATEGORY_HARMS: Record<DataCategory, readonly Harm[]> = {
  ordinary: ['spam-phishing'],
  special: ['stigmatisation', 'reputation'],
  criminal: ['stigmatisation', 'reputation'],
  'national-id': ['identity-fraud'],
  'identity-document': ['identity-fraud'],
  financial: ['financial-loss'],
  credentials: ['identity-fraud', 'financial-loss'],
  location: ['loss-of-control'],
  behavioural: ['loss-of-control'],
  traffic: ['loss-of-control'],
  'communications-content': ['loss-of-control', 'reputation'],
  children: [],
};

/**
 * What an outage stopped, as harm to the people (loss of availability): care delayed harms health, payments
 * delayed cost money, a service or deliveries stopped keep people from what they need. 'other' and 'none' name no
 * harm of the list.
 */
export const OUTAGE_HARMS: Record<OutageConsequence, readonly Harm[]> = {
  none: [],
  'care-delayed': ['health'],
  'payments-delayed': ['financial-loss'],
  'service-down': ['service-disruption'],
  'deliveries-delayed': ['service-disruption'],
  other: [],
};

/** Which rule gave a harm: `category:<kind>`, `outage:<consequence>`, `integrity:care`, `integrity:financial`, `breach-type:credential-stuffing`. */
export type HarmRule = string;

export interface HarmFinding {
  harm: Harm;
  /** Every rule that gave it, in the order they are listed in `likelyHarms`. */
  rules: HarmRule[];
}

/**
 * Whether someone else can have read the data: not when nothing was lost of its confidentiality, and not when
 * nobody outside got it and nobody is suspected of taking it. Unknown counts as possible: the form asks what the
 * breach *can* lead to, and the FG removes what the investigation rules out by recording it.
 */
export function confidentialityAtStake(facts: BreachFacts): boolean {
  if (facts.impact?.confidentiality === 'none') return false;
  if (facts.recipients === 'none' && facts.exfiltration !== 'suspected' && facts.exfiltration !== 'confirmed')
    return false;
  return true;
}

/**
 * The kinds of data unreadable to whoever has them: encrypted or hashed with the key (or salt) safe, and the cipher
 * not known to be weak; only those the protection covers when it does not cover everything.
 */
export function unintelligibleCategories(facts: BreachFacts): ReadonlySet<DataCategory> {
  // The same reading as the suggestion's (domain/exposure.ts), so the draft and the suggestion agree.
  return new Set(exposureOf(facts, DEFAULT_THRESHOLDS).unintelligible);
}

/**
 * The kinds of harm the facts point to, each with the rules that gave it; empty when none does. Derived only from
 * structured facts, never from free text:
 * 1. loss of confidentiality: each kind of data (CATEGORY_HARMS), when `confidentialityAtStake` and that kind is
 *    not unintelligible (`unintelligibleCategories`);
 * 2. credential stuffing (breach type): identity fraud, whatever the data: people's accounts were logged into;
 * 3. loss of integrity (impact.integrity limited or significant): of care data (sector health, or patients among
 *    the people) harms health, wrong records lead to wrong care; of financial data costs money;
 * 4. loss of availability: what the outage stopped (OUTAGE_HARMS).
 */
export function likelyHarms(facts: BreachFacts): HarmFinding[] {
  const found = new Map<Harm, HarmRule[]>();
  const add = (harms: readonly Harm[], rule: HarmRule) => {
    for (const harm of harms) found.set(harm, [...(found.get(harm) ?? []), rule]);
  };
  const categories = facts.dataCategories ?? [];
  if (confidentialityAtStake(facts)) {
    const unreadable = unintelligibleCategories(facts);
    for (const category of categories)
      if (!unreadable.has(category)) add(CATEGORY_HARMS[category], `category:${category}`);
  }
  if (facts.breachType === 'credential-stuffing') add(['identity-fraud'], 'breach-type:credential-stuffing');
  const altered = facts.impact?.integrity === 'limited' || facts.impact?.integrity === 'significant';
  if (altered && (facts.subjects?.sector === 'health' || facts.subjects?.kinds?.includes('patients')))
    add(['health'], 'integrity:care');
  if (altered && categories.includes('financial')) add(['financial-loss'], 'integrity:financial');
  for (const consequence of facts.outage?.consequences ?? []) add(OUTAGE_HARMS[consequence], `outage:${consequence}`);
  return HARMS.filter((harm) => found.has(harm)).map((harm) => ({ harm, rules: found.get(harm)! }));
}

/**
 * Whether the facts say enough to name the harm at all: the kinds of data, the breach type, the loss of integrity
 * or what an outage stopped. Without any of them the draft marks the kind of harm unknown rather than "none".
 */
export function harmKnowable(facts: BreachFacts): boolean {
  return (
    facts.dataCategories !== undefined ||
    facts.breachType !== undefined ||
    facts.impact?.integrity !== undefined ||
    facts.outage?.consequences !== undefined
  );
}
