import {
  DATA_LEFT_TYPES,
  VULNERABLE_SUBJECTS,
  type BreachFacts,
  type DataCategory,
  type OutageConsequence,
  type Recovery,
} from './facts';
import type { Thresholds } from './thresholds';

/**
 * What the facts say about the three ways a breach harms people — someone reads the data, the data is wrong, the
 * data (or the service built on it) is missing — read once, so that the art. 33 and art. 34 rules (decision.ts)
 * and their reasons (reasons.ts) weigh the same reading and cannot contradict each other.
 */

/**
 * Who holds the readable data now:
 * - `nobody`: nobody outside the organisation got it (ransomware that only encrypted, exfiltration excluded);
 * - `trusted`: a recipient bound to confidentiality;
 * - `contained`: known recipients, and the data came back or was deleted with confirmation (art. 34(3)(b));
 * - `known`: known recipients without a duty of confidentiality, the data not (yet) back;
 * - `unknown`: a thief, an attacker, an impostor, or nobody knows who;
 * - `public`: published or mass-mailed.
 */
export type Holder = 'nobody' | 'trusted' | 'contained' | 'known' | 'unknown' | 'public';

/** Recovery that undoes the disclosure to known recipients: the data is back, or gone with written confirmation. */
const RECOVERED: readonly Recovery[] = ['retrieved', 'returned', 'deleted-confirmed'];

/** Breach types that are an attack: whoever holds the data took it to use it. */
const ATTACKS = new Set(['ransomware', 'hacking', 'credential-stuffing', 'phishing', 'social-engineering']);

/** Outage consequences that harm people themselves, not only the organisation: delayed care, unpaid income. */
const HARMFUL_CONSEQUENCES: readonly OutageConsequence[] = ['care-delayed', 'payments-delayed'];

export interface Exposure {
  holder: Holder;
  /** The holder was not recorded and is taken as unknown: the cautious reading, said so in the reasons. */
  holderAssumed: boolean;
  /** The kinds of data whoever holds it can read: all of them, less those the protection makes unintelligible. */
  readable: DataCategory[];
  /** Kinds made unintelligible (encrypted or hashed, key or salt safe, not a weak algorithm). */
  unintelligible: DataCategory[];
  /** Whether every kind of data is unintelligible (art. 34(3)(a) in full). */
  allUnintelligible: boolean;
  how?: 'encrypted' | 'hashed';
  /** Whoever holds it took it on purpose to use it: an attack with the data taken or probably taken. */
  takenByAttacker: boolean;
  /** Vulnerable people: patients, children, clients of social services, or recorded as vulnerable. */
  vulnerable: boolean;
  /** The outage, when there is one: how long it lasted, and whether it harmed people or could be restored quickly. */
  availability: {
    lost: boolean;
    harmful: OutageConsequence[];
    /** Restored, completely, within the short-outage threshold, and nothing harmful came of it. */
    harmless: boolean;
    hours?: number;
  };
  /** Integrity: the data was altered (limited) or altered and used wrongly without repair (significant). */
  integrityLost: 'none' | 'limited' | 'significant';
  recovery?: Recovery;
}

function holderOf(facts: BreachFacts): { holder: Holder; assumed: boolean } {
  const dataLeft = facts.breachType !== undefined && DATA_LEFT_TYPES.includes(facts.breachType);
  switch (facts.recipients) {
    case 'public':
      return { holder: 'public', assumed: false };
    case 'none':
      return { holder: 'nobody', assumed: false };
    case 'trusted-confidential':
      return { holder: 'trusted', assumed: false };
    case 'known-untrusted':
      return {
        holder: facts.recovery && RECOVERED.includes(facts.recovery) ? 'contained' : 'known',
        assumed: false,
      };
    case 'unknown':
      return { holder: 'unknown', assumed: false };
    case undefined:
      // Nobody took it — unless a loss of confidentiality is recorded: then someone saw it, who is not said.
      if (!dataLeft && facts.exfiltration === 'excluded' && (facts.impact?.confidentiality ?? 'none') === 'none')
        return { holder: 'nobody', assumed: false };
      if (facts.exfiltration === 'confirmed' || facts.exfiltration === 'suspected')
        return { holder: 'unknown', assumed: false };
      return { holder: 'unknown', assumed: true };
  }
}

/** Encrypted or hashed, with the key or salt safe and no weak algorithm: whoever has it cannot read it. */
function protects(facts: BreachFacts): boolean {
  const p = facts.protection;
  return p !== undefined && (p.encrypted || p.hashed === true) && p.keySafe === true && p.strength !== 'weak';
}

export function exposureOf(facts: BreachFacts, thresholds: Pick<Thresholds, 'shortOutageHours'>): Exposure {
  const { holder, assumed } = holderOf(facts);
  const categories = [...new Set(facts.dataCategories ?? [])];
  const p = facts.protection;
  const covered = protects(facts) ? (p!.covers ?? categories) : [];
  const unintelligible = categories.filter((c) => covered.includes(c));
  const readable = categories.filter((c) => !covered.includes(c));
  const allUnintelligible = protects(facts) && (p!.covers === undefined || readable.length === 0);

  const consequences = facts.outage?.consequences ?? [];
  const harmful = consequences.filter((c) => HARMFUL_CONSEQUENCES.includes(c));
  const hours = facts.backup?.restoreHours ?? facts.outage?.hours;
  const recordedLoss = facts.impact?.availability;
  const lost =
    (recordedLoss !== undefined && recordedLoss !== 'none') ||
    facts.outage !== undefined ||
    facts.backup?.available === false ||
    facts.breachType === 'ransomware';
  const completeBackup = facts.backup?.available === true && (facts.backup.kind ?? 'complete') === 'complete';
  // The data itself is whole: restored from a complete backup, or — with no backup in question — an outage that
  // only kept it out of reach for a while (a power cut), not ransomware or a recorded permanent loss.
  const dataWhole =
    facts.backup === undefined ? recordedLoss !== 'significant' && facts.breachType !== 'ransomware' : completeBackup;
  const quick = hours !== undefined && hours <= thresholds.shortOutageHours;
  // Care and payments count however short the outage; lesser consequences (a service down, deliveries late) only
  // when the outage outlasts the short-outage threshold.
  const harmless = !lost || (harmful.length === 0 && dataWhole && quick && recordedLoss !== 'significant');

  const attack =
    (facts.breachType !== undefined && ATTACKS.has(facts.breachType)) ||
    (facts.breachType === undefined && facts.cause === 'attack');
  const takenByAttacker =
    attack && holder === 'unknown' && (facts.exfiltration === 'confirmed' || facts.exfiltration === 'suspected');

  const vulnerable =
    facts.subjects?.vulnerable ??
    ((facts.subjects?.kinds ?? []).some((k) => VULNERABLE_SUBJECTS.includes(k)) || categories.includes('children'));

  return {
    holder,
    holderAssumed: assumed,
    readable,
    unintelligible,
    allUnintelligible,
    ...(p && (p.encrypted || p.hashed) ? { how: p.encrypted ? ('encrypted' as const) : ('hashed' as const) } : {}),
    takenByAttacker,
    vulnerable,
    availability: { lost, harmful, harmless, ...(hours !== undefined ? { hours } : {}) },
    integrityLost: facts.impact?.integrity ?? 'none',
    ...(facts.recovery ? { recovery: facts.recovery } : {}),
  };
}

/** Holders who can read and use the data against the people: the confidentiality risk is real. */
export function holderAtRisk(holder: Holder): boolean {
  return holder === 'known' || holder === 'unknown' || holder === 'public';
}
