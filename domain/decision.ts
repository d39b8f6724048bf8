import { DEFAULT_THRESHOLDS } from './thresholds';
import type { BreachFacts } from './facts';
import { renderReason, type HighRiskWhy, type Reason } from './reasons';
import { isUnintelligible, sensitiveCategories, type SeverityAssessment } from './severity';

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
}

const en = (why: Reason) => renderReason(why, 'en');

/**
 * Art. 33(1) asks for a notification "unless the personal data breach is unlikely to result in a risk". The
 * facts make a risk unlikely in two situations only:
 * 1. the data is unintelligible (encrypted or hashed, key safe) and either the severity is low or nothing was
 *    altered or made unavailable — reading was the only risk, and encryption took it away (EDPB Guidelines
 *    9/2022 and 01/2021 treat a lost device with strong encryption and a backup this way);
 * 2. the severity is low, nobody took the data, and the only recipient is trusted and bound to confidentiality.
 * Everything else is notified: when in doubt, the law's default is to notify.
 */
function unlikelyToResultInRisk(facts: BreachFacts, severity: SeverityAssessment): Reason | undefined {
  const low = severity.band === 'low';
  if (isUnintelligible(facts)) {
    const lossOf = (factor: string) => severity.cb.parts.find((p) => p.factor === factor)?.value ?? 0;
    const nothingLost = lossOf('integrity') === 0 && lossOf('availability') === 0;
    if (low || nothingLost) {
      const how = facts.protection?.encrypted ? 'encrypted' : 'hashed';
      return { code: 'a33-unlikely-unintelligible', params: { how, low, score: severity.score } };
    }
  }
  if (low && facts.exfiltration === 'excluded' && facts.recipients === 'trusted-confidential') {
    return { code: 'a33-unlikely-trusted', params: { score: severity.score } };
  }
  return undefined;
}

/**
 * Art. 34(1): the risk is high when the severity band is high or very high, or when data that ENISA scores
 * financial or sensitive (special, criminal, BSN, children, financial, credentials) may be in someone else's
 * hands — taking it is not excluded. Those are the data the Dutch AP names as reasons to tell people.
 */
function whyHighRisk(facts: BreachFacts, severity: SeverityAssessment): HighRiskWhy[] {
  const why: HighRiskWhy[] = [];
  if (severity.band === 'high' || severity.band === 'very-high')
    why.push({ kind: 'band', band: severity.band, score: severity.score });
  const sensitive = sensitiveCategories(facts);
  if (sensitive.length > 0 && facts.exfiltration !== 'excluded') {
    why.push({ kind: 'sensitive', categories: sensitive, taken: facts.exfiltration ?? 'unknown' });
  }
  return why;
}

export function suggestNotification(
  facts: BreachFacts,
  severity: SeverityAssessment,
  options: SuggestionOptions = {},
): NotificationSuggestion {
  const threshold = options.publicCommunicationThreshold ?? DEFAULT_PUBLIC_COMMUNICATION_THRESHOLD;
  const why: Reason[] = [];
  const score = severity.score;

  // Art. 33: the authority.
  const unlikely = unlikelyToResultInRisk(facts, severity);
  const notifyAuthority = unlikely === undefined;
  if (!notifyAuthority) why.push(unlikely);
  else if (severity.band === 'low') why.push({ code: 'a33-notify-low', params: { score } });
  else why.push({ code: 'a33-notify', params: { band: severity.band, score } });
  if (notifyAuthority && facts.stillLeaking === true) why.push({ code: 'a33-4-phases', params: {} });
  if (notifyAuthority && facts.processorInvolved === true) why.push({ code: 'a33-2-processor', params: {} });
  if (notifyAuthority && facts.crossBorder === true) why.push({ code: 'cross-border', params: {} });

  // Art. 34: the people affected.
  let notifyDataSubjects = false;
  let publicCommunication = false;
  const high = whyHighRisk(facts, severity);
  if (!notifyAuthority) {
    // A breach unlikely to result in a risk cannot result in a high one: saying here that the risk "would be high"
    // (art. 34(3)(a)) would contradict the art. 33 reason above (domain/reason-check.ts).
    why.push({ code: 'a34-unlikely', params: {} });
  } else if (high.length === 0) {
    why.push({ code: 'a34-not-high', params: { band: severity.band, score, notTaken: sensitiveCategories(facts) } });
  } else if (isUnintelligible(facts)) {
    const how = facts.protection?.encrypted ? 'encrypted' : 'hashed';
    why.push({ code: 'a34-3a-unintelligible', params: { high, how } });
    if (severity.cb.parts.some((p) => (p.factor === 'integrity' || p.factor === 'availability') && p.value > 0)) {
      why.push({ code: 'a34-3a-integrity', params: {} });
    }
  } else {
    notifyDataSubjects = true;
    why.push({ code: 'a34-inform', params: { high } });
    const categories = facts.dataCategories ?? [];
    const example =
      facts.recipients === 'trusted-confidential'
        ? 'trusted'
        : categories.includes('credentials')
          ? 'credentials'
          : categories.includes('financial')
            ? 'financial'
            : 'other';
    why.push({ code: 'a34-3b', params: { example } });
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
