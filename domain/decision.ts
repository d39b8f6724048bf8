import { DEFAULT_THRESHOLDS, thresholdsOf, type Thresholds } from './thresholds';
import type { BreachFacts, DataCategory } from './facts';
import { exposureOf, holderAtRisk, type Exposure } from './exposure';
import { renderReason, type HighRiskWhy, type Reason, type RiskWhy, type SafeExample } from './reasons';
import { DPC_LEVEL_OF, DPC_LEVEL_VALUES, type SeverityAssessment } from './severity';

/** What lekdicht suggests; only a suggestion: the FG decides, and the decision and its reasons are recorded. */
export interface NotificationSuggestion {
  /** Art. 33: notify the supervisory authority (the AP). */
  notifyAuthority: boolean;
  /** Art. 34: inform the people affected — one by one, or by public communication when `publicCommunication`. */
  notifyDataSubjects: boolean;
  /** Art. 34(3)(c): informing them one by one would take disproportionate effort; how, not whether, they are told. */
  publicCommunication: boolean;
  /** In English (the CLI, older readers). */
  reasons: string[];
  /** The same reasons as data, rendered in each reader's language (domain/reasons.ts); absent in older records. */
  why?: Reason[];
}

/** Above this many people, informing each one is taken as disproportionate effort (art. 34(3)(c)). */
export const DEFAULT_PUBLIC_COMMUNICATION_THRESHOLD = DEFAULT_THRESHOLDS.publicCommunicationPeople;

export interface SuggestionOptions {
  publicCommunicationThreshold?: number;
  /** The organisation's thresholds (config); a missing one takes its default. */
  thresholds?: Partial<Thresholds>;
}

const en = (why: Reason) => renderReason(why, 'en');

/**
 * Art. 33(1) asks for a notification "unless the personal data breach is unlikely to result in a risk". The facts
 * make a risk unlikely only when each way the breach can harm people is closed (domain/exposure.ts):
 * 1. the data is unintelligible to whoever has it (encrypted or hashed, key or salt safe, no weak algorithm), and
 *    either the severity is low or nothing was altered and any outage was harmless — EDPB Guidelines 01/2021
 *    cases 1, 6 and 10;
 * 2. nobody outside the organisation got the data, nothing was altered, and any outage was restored from a complete
 *    backup within the short-outage threshold without consequences for people — case 1 even without encryption;
 * 3. the only recipient is trusted and bound to confidentiality, nobody else took it, and nothing else was lost —
 *    case 9;
 * 4. the recipients are known, the data came back or was deleted with written confirmation, it holds nothing
 *    financial or sensitive, the people are not vulnerable, and nothing else was lost — case 13.
 * Everything else is notified: when in doubt, the law's default is to notify.
 */
function unlikelyToResultInRisk(
  facts: BreachFacts,
  severity: SeverityAssessment,
  exposure: Exposure,
): Reason | undefined {
  const score = severity.score;
  const low = severity.band === 'low';
  const intact = exposure.integrityLost === 'none' && exposure.availability.harmless;
  if (exposure.allUnintelligible && exposure.how && (low || intact)) {
    return {
      code: 'a33-unlikely-unintelligible',
      params: { how: exposure.how, low: low && !intact, score, outage: exposure.availability.lost },
    };
  }
  if (exposure.holder === 'nobody' && intact) {
    const hours = exposure.availability.hours;
    return {
      code: 'a33-unlikely-nobody',
      params: {
        score,
        outage: exposure.availability.lost,
        backup: facts.backup?.available === true,
        ...(hours !== undefined ? { hours } : {}),
      },
    };
  }
  if (
    exposure.holder === 'trusted' &&
    intact &&
    facts.exfiltration !== 'confirmed' &&
    facts.exfiltration !== 'suspected' &&
    sensitiveHeld(facts, exposure.readable).categories.length === 0
  ) {
    return { code: 'a33-unlikely-trusted', params: { score } };
  }
  if (
    exposure.holder === 'contained' &&
    intact &&
    !exposure.vulnerable &&
    sensitiveHeld(facts, exposure.readable).categories.length === 0
  ) {
    return {
      code: 'a33-unlikely-contained',
      params: {
        recovery: exposure.recovery!,
        ...(facts.recipientCount !== undefined ? { recipients: facts.recipientCount } : {}),
      },
    };
  }
  return undefined;
}

/**
 * The readable kinds of data that make a disclosure a high risk on their own: those ENISA scores financial or
 * sensitive. The organisation's context adjustment moves the line: one step down (health data of marginal
 * sensitivity, such as a food intolerance) and no kind is high on its own — the score still weighs it; one step up
 * and behavioural data counts too.
 */
function sensitiveHeld(
  facts: BreachFacts,
  readable: DataCategory[],
): { categories: DataCategory[]; lowered: DataCategory[] } {
  const adjustment = facts.context?.adjustment ?? 0;
  const line = DPC_LEVEL_VALUES.financial - (adjustment > 0 ? 1 : 0);
  const atOrAbove = readable.filter((c) => DPC_LEVEL_VALUES[DPC_LEVEL_OF[c]] >= line);
  return adjustment < 0 ? { categories: [], lowered: atOrAbove } : { categories: atOrAbove, lowered: [] };
}

/**
 * Art. 34(1): the risk to the people is high when one of these holds (each one a reason, in this order):
 * - financial or sensitive data that can be read is held by someone who can use it (known recipients without a
 *   duty of confidentiality, unknown people, the public);
 * - an attacker took readable data to use it;
 * - the people are vulnerable and their readable data is out of the organisation's hands;
 * - many people's identifying data is in unknown or public hands (thresholds.highRiskPeople);
 * - ENISA's severity is high or very high and the data is in unknown or public hands (for a few known recipients
 *   the score overstates what they can do with it; the categories above still count);
 * - an outage delayed care or payments people depend on (case 3), or data was altered and used wrongly beyond repair.
 * `asIf` leaves out the protection and the recovery, to say what they prevented (art. 34(3)(a) and (b)).
 */
function whyHighRisk(
  facts: BreachFacts,
  severity: SeverityAssessment,
  exposure: Exposure,
  thresholds: Thresholds,
  asIf: { unprotected?: boolean; unrecovered?: boolean } = {},
): HighRiskWhy[] {
  const why: HighRiskWhy[] = [];
  const holder = asIf.unrecovered && exposure.holder === 'contained' ? 'known' : exposure.holder;
  const readable = asIf.unprotected ? [...exposure.readable, ...exposure.unintelligible] : exposure.readable;
  const taken = facts.exfiltration === undefined || facts.exfiltration === 'excluded' ? 'unknown' : facts.exfiltration;
  // Kinds of data not recorded yet: whatever was taken may be readable, so the holder still counts.
  const kindsUnknown = facts.dataCategories === undefined;
  if (holderAtRisk(holder) && (readable.length > 0 || kindsUnknown)) {
    const sensitive = sensitiveHeld(facts, readable).categories;
    if (sensitive.length > 0) {
      const some = Math.min(
        ...sensitive.map((c) => facts.peoplePerCategory?.[c] ?? facts.approxPeople ?? Number.POSITIVE_INFINITY),
      );
      why.push({
        kind: 'sensitive',
        categories: sensitive,
        taken,
        holder,
        ...(facts.recipientCount !== undefined ? { recipients: facts.recipientCount } : {}),
        ...(Number.isFinite(some) && facts.approxPeople !== undefined && some < facts.approxPeople
          ? { some, of: facts.approxPeople }
          : {}),
      });
    }
    // An attack adds its own reason (intent to use the data) for what the sensitive reason does not name already.
    const rest = readable.filter((c) => !sensitive.includes(c));
    if (exposure.takenByAttacker && (rest.length > 0 || kindsUnknown)) why.push({ kind: 'attacker', categories: rest });
    if (exposure.vulnerable) why.push({ kind: 'vulnerable', kinds: facts.subjects?.kinds ?? [] });
    const people = facts.approxPeople;
    const identifying =
      facts.identifiability === undefined || ['significant', 'maximum'].includes(facts.identifiability);
    if (
      (holder === 'unknown' || holder === 'public') &&
      people !== undefined &&
      people >= thresholds.highRiskPeople &&
      identifying
    )
      why.push({ kind: 'volume', people, threshold: thresholds.highRiskPeople });
    if ((holder === 'unknown' || holder === 'public') && (severity.band === 'high' || severity.band === 'very-high'))
      why.push({ kind: 'band', band: severity.band, score: severity.score });
  }
  if (exposure.availability.harmful.length > 0) why.push({ kind: 'outage', harmful: exposure.availability.harmful });
  // Vulnerable people depend on their data (patients on their records): a longer outage harms them even when the
  // facts name no delayed care (EDPB Guidelines 9/2022: medical records unavailable for 30 hours).
  else if (exposure.vulnerable && !exposure.availability.harmless)
    why.push({ kind: 'vulnerable-outage', kinds: facts.subjects?.kinds ?? [] });
  if (exposure.integrityLost === 'significant') why.push({ kind: 'integrity' });
  return why;
}

/** The art. 34(3)(b) measure that fits the data and the breach, or none when no measure can undo the harm. */
function safeExample(facts: BreachFacts, exposure: Exposure, high: HighRiskWhy[]): SafeExample | undefined {
  const confidentiality = high.some(
    (h) => h.kind !== 'outage' && h.kind !== 'vulnerable-outage' && h.kind !== 'integrity',
  );
  if (!confidentiality) return undefined;
  const readable = exposure.readable;
  if (readable.includes('credentials')) return 'credentials';
  if (readable.includes('financial')) return 'financial';
  if (readable.includes('identity-document')) return 'identity';
  if (exposure.holder === 'known' || exposure.holder === 'trusted') return 'recipients-delete';
  if (facts.breachType === 'lost-device' || facts.breachType === 'stolen-device') return 'device-wipe';
  // Data an attacker took cannot be fetched back: no measure fits, and an example would mislead.
  if (exposure.takenByAttacker) return undefined;
  return 'other';
}

/** Why a risk is likely: what the facts leave open, in the order a reader weighs it. */
function riskOpen(facts: BreachFacts, exposure: Exposure): RiskWhy[] {
  const open: RiskWhy[] = [];
  if (exposure.holder !== 'nobody' && !(exposure.allUnintelligible && exposure.how))
    open.push({
      kind: 'holder',
      holder: exposure.holder,
      assumed: exposure.holderAssumed,
      ...(exposure.holder === 'trusted' || exposure.holder === 'contained'
        ? {
            sensitive: sensitiveHeld(facts, exposure.readable).categories,
            taken: facts.exfiltration === 'confirmed' || facts.exfiltration === 'suspected',
          }
        : {}),
      ...(facts.recipientCount !== undefined ? { recipients: facts.recipientCount } : {}),
    });
  if (!exposure.availability.harmless)
    open.push({
      kind: 'outage',
      harmful: exposure.availability.harmful,
      ...(exposure.availability.hours !== undefined ? { hours: exposure.availability.hours } : {}),
    });
  if (exposure.integrityLost !== 'none') open.push({ kind: 'integrity', level: exposure.integrityLost });
  return open;
}

export function suggestNotification(
  facts: BreachFacts,
  severity: SeverityAssessment,
  options: SuggestionOptions = {},
): NotificationSuggestion {
  const thresholds = thresholdsOf({
    ...options.thresholds,
    ...(options.publicCommunicationThreshold !== undefined
      ? { publicCommunicationPeople: options.publicCommunicationThreshold }
      : {}),
  });
  const threshold = thresholds.publicCommunicationPeople;
  const exposure = exposureOf(facts, thresholds);
  const why: Reason[] = [];
  const score = severity.score;

  // Art. 33: the authority.
  const unlikely = unlikelyToResultInRisk(facts, severity, exposure);
  const notifyAuthority = unlikely === undefined;
  if (!notifyAuthority) why.push(unlikely);
  else why.push({ code: 'a33-notify', params: { band: severity.band, score, open: riskOpen(facts, exposure) } });
  if (notifyAuthority && facts.stillLeaking === true) why.push({ code: 'a33-4-phases', params: {} });
  if (notifyAuthority && facts.processorInvolved === true) why.push({ code: 'a33-2-processor', params: {} });
  if (notifyAuthority && facts.crossBorder === true) why.push({ code: 'cross-border', params: {} });

  // Art. 34: the people affected.
  let notifyDataSubjects = false;
  let publicCommunication = false;
  const high = whyHighRisk(facts, severity, exposure, thresholds);
  if (!notifyAuthority) {
    // A breach unlikely to result in a risk cannot result in a high one: saying here that the risk "would be high"
    // (art. 34(3)(a)) would contradict the art. 33 reason above (domain/reason-check.ts).
    why.push({ code: 'a34-unlikely', params: {} });
  } else if (high.length === 0) {
    const unprotected = whyHighRisk(facts, severity, exposure, thresholds, { unprotected: true });
    const unrecovered = whyHighRisk(facts, severity, exposure, thresholds, { unrecovered: true });
    if (unprotected.length > 0 && exposure.how && exposure.unintelligible.length > 0) {
      why.push({
        code: 'a34-3a-unintelligible',
        params: {
          high: unprotected,
          how: exposure.how,
          ...(exposure.allUnintelligible ? {} : { covers: exposure.unintelligible }),
        },
      });
      if (exposure.integrityLost !== 'none' || !exposure.availability.harmless)
        why.push({ code: 'a34-3a-integrity', params: {} });
    } else if (unrecovered.length > 0 && exposure.recovery) {
      why.push({ code: 'a34-3b-applied', params: { high: unrecovered, recovery: exposure.recovery } });
    } else {
      const lowered = sensitiveHeld(facts, exposure.readable).lowered;
      why.push({
        code: 'a34-low',
        params: {
          band: severity.band,
          score,
          holder: exposure.holder,
          sensitive: sensitiveHeld(facts, [...exposure.readable, ...exposure.unintelligible]).categories,
          ...(lowered.length > 0 ? { lowered, context: facts.context?.reason ?? '' } : {}),
          outage: exposure.availability.lost,
        },
      });
    }
  } else {
    notifyDataSubjects = true;
    why.push({ code: 'a34-inform', params: { high } });
    const example = safeExample(facts, exposure, high);
    if (example) why.push({ code: 'a34-3b', params: { example } });
    const people = facts.approxPeople;
    if (people !== undefined && people > threshold) {
      publicCommunication = true;
      why.push({ code: 'a34-3c-many', params: { people, threshold } });
    } else if (facts.contactDetailsKnown === false) {
      publicCommunication = true;
      why.push({ code: 'a34-3c-no-contact', params: {} });
    }
  }

  why.push({ code: 'only-suggestion', params: {} });
  return { notifyAuthority, notifyDataSubjects, publicCommunication, reasons: why.map(en), why };
}
