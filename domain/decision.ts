import type { BreachFacts } from './facts';
import { bandInEnglish } from './labels';
import { DATA_CATEGORY_NAMES, isUnintelligible, sensitiveCategories, type SeverityAssessment } from './severity';

/** What lekdicht suggests; only a suggestion: the FG decides, and the decision and its reasons are recorded. */
export interface NotificationSuggestion {
  /** Art. 33: notify the supervisory authority (the AP). */
  notifyAuthority: boolean;
  /** Art. 34: inform the people affected — one by one, or by public communication when `publicCommunication`. */
  notifyDataSubjects: boolean;
  /** Art. 34(3)(c): informing them one by one would take disproportionate effort; how, not whether, they are told. */
  publicCommunication: boolean;
  reasons: string[];
}

/** Above this many people, informing each one is taken as disproportionate effort (art. 34(3)(c)). */
export const DEFAULT_PUBLIC_COMMUNICATION_THRESHOLD = 100_000;

export interface SuggestionOptions {
  publicCommunicationThreshold?: number;
}

const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const list = (items: string[]) =>
  items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

/**
 * Art. 33(1) asks for a notification "unless the personal data breach is unlikely to result in a risk". The
 * facts make a risk unlikely in two situations only:
 * 1. the data is unintelligible (encrypted or hashed, key safe) and either the severity is low or nothing was
 *    altered or made unavailable — reading was the only risk, and encryption took it away (EDPB Guidelines
 *    9/2022 and 01/2021 treat a lost device with strong encryption and a backup this way);
 * 2. the severity is low, nobody took the data, and the only recipient is trusted and bound to confidentiality.
 * Everything else is notified: when in doubt, the law's default is to notify.
 */
function unlikelyToResultInRisk(facts: BreachFacts, severity: SeverityAssessment): string | undefined {
  const low = severity.band === 'low';
  if (isUnintelligible(facts)) {
    const lossOf = (factor: string) => severity.cb.parts.find((p) => p.factor === factor)?.value ?? 0;
    const nothingLost = lossOf('integrity') === 0 && lossOf('availability') === 0;
    if (low || nothingLost) {
      const how = facts.protection?.encrypted ? 'encrypted' : 'hashed';
      return `the data was ${how} with the key safe, so whoever has it cannot read it, and ${low ? `the severity is low (${severity.score})` : 'nothing was altered or made unavailable'}`;
    }
  }
  if (low && facts.exfiltration === 'excluded' && facts.recipients === 'trusted-confidential') {
    return `the severity is low (${severity.score}), nobody took the data, and the only recipient is trusted and bound to confidentiality`;
  }
  return undefined;
}

const TAKEN = {
  suspected: 'it is suspected that it was taken',
  confirmed: 'it was taken',
  unknown: 'whether it was taken is not known',
} as const;

/**
 * Art. 34(1): the risk is high when the severity band is high or very high, or when data that ENISA scores
 * financial or sensitive (special, criminal, BSN, children, financial, credentials) may be in someone else's
 * hands — taking it is not excluded. Those are the data the Dutch AP names as reasons to tell people.
 */
function whyHighRisk(facts: BreachFacts, severity: SeverityAssessment): string[] {
  const why: string[] = [];
  if (severity.band === 'high' || severity.band === 'very-high')
    why.push(`the severity is ${bandInEnglish(severity.band)} (${severity.score})`);
  const sensitive = sensitiveCategories(facts);
  if (sensitive.length > 0 && facts.exfiltration !== 'excluded') {
    why.push(
      `${list(sensitive.map((c) => DATA_CATEGORY_NAMES[c]))} may be in someone else's hands (${TAKEN[facts.exfiltration ?? 'unknown']})`,
    );
  }
  return why;
}

export function suggestNotification(
  facts: BreachFacts,
  severity: SeverityAssessment,
  options: SuggestionOptions = {},
): NotificationSuggestion {
  const threshold = options.publicCommunicationThreshold ?? DEFAULT_PUBLIC_COMMUNICATION_THRESHOLD;
  const reasons: string[] = [];

  // Art. 33: the authority.
  const unlikely = unlikelyToResultInRisk(facts, severity);
  const notifyAuthority = unlikely === undefined;
  if (!notifyAuthority) {
    reasons.push(
      `Art. 33(1): notifying the authority is not suggested, because the breach is unlikely to result in a risk: ${unlikely}; record it in the breach register all the same (art. 33(5)).`,
    );
  } else if (severity.band === 'low') {
    reasons.push(
      `Art. 33(1): notify the authority (AP) without undue delay and within 72 hours of becoming aware: the severity is low (${severity.score}), but a risk is only unlikely when the data is unintelligible, or when nobody took it and the only recipient is trusted and bound to confidentiality.`,
    );
  } else {
    reasons.push(
      `Art. 33(1): notify the authority (AP) without undue delay and within 72 hours of becoming aware: the severity is ${bandInEnglish(severity.band)} (${severity.score}), so a risk to the people affected cannot be ruled out.`,
    );
  }
  if (notifyAuthority && facts.stillLeaking === true) {
    reasons.push(
      'Art. 33(4): the breach is still going on; do not wait for the full picture, notify in phases and supplement the notification later.',
    );
  }
  if (notifyAuthority && facts.processorInvolved === true) {
    reasons.push(
      'Art. 33(2): a processor was involved; it must have told you without undue delay, and the notification names it.',
    );
  }
  if (notifyAuthority && facts.crossBorder === true) {
    reasons.push(
      'People or establishments in other EU countries are involved: check which authority leads (art. 56) and mention the cross-border aspects in the notification.',
    );
  }

  // Art. 34: the people affected.
  let notifyDataSubjects = false;
  let publicCommunication = false;
  const high = whyHighRisk(facts, severity);
  if (high.length === 0) {
    const sensitive = sensitiveCategories(facts);
    const notHigh =
      sensitive.length > 0
        ? `the severity is ${bandInEnglish(severity.band)} (${severity.score}) and nobody took the ${list(sensitive.map((c) => DATA_CATEGORY_NAMES[c]))}`
        : `the severity is ${bandInEnglish(severity.band)} (${severity.score}) and no financial or sensitive data is involved`;
    reasons.push(
      `Art. 34(1): informing the people affected is not required, because the risk to them is not high: ${notHigh}; the FG may still choose to inform them.`,
    );
  } else if (isUnintelligible(facts)) {
    const how = facts.protection?.encrypted ? 'encrypted' : 'hashed';
    reasons.push(
      `Art. 34(3)(a): the risk to the people affected would be high because ${list(high)}, but the data was ${how} with the key safe and is unintelligible to whoever has it, so informing them is not required, although the authority can still order it (art. 34(4)).`,
    );
    if (severity.cb.parts.some((p) => (p.factor === 'integrity' || p.factor === 'availability') && p.value > 0)) {
      reasons.push(
        'The exception in art. 34(3)(a) covers only the data being read: weigh whether the loss of integrity or availability still calls for telling the people affected.',
      );
    }
  } else if (!notifyAuthority) {
    // Not reached with today's rules (a risk that is unlikely is never high); kept so the two answers cannot contradict.
    reasons.push(
      'Art. 34(1): informing the people affected is not required, because a breach that is unlikely to result in a risk cannot result in a high one.',
    );
  } else {
    notifyDataSubjects = true;
    reasons.push(
      `Art. 34(1): inform the people affected without undue delay, in clear and plain language, because the risk to them is high: ${list(high)}.`,
    );
    const categories = facts.dataCategories ?? [];
    const example =
      facts.recipients === 'trusted-confidential'
        ? 'the trusted recipient confirms in writing that the data was deleted and not shared'
        : categories.includes('credentials')
          ? 'the accounts at risk were blocked and their passwords reset before anyone could log in'
          : categories.includes('financial')
            ? 'the bank accounts or payment cards at risk were blocked before anyone could use them'
            : 'the data was retrieved or destroyed before anyone could use it';
    reasons.push(
      `Art. 34(3)(b): if measures taken since the breach make the high risk no longer likely (for example, ${example}), informing them is not required; the facts cannot show this, so the FG judges it.`,
    );
    const people = facts.approxPeople;
    if (people !== undefined && people > threshold) {
      publicCommunication = true;
      reasons.push(
        `Art. 34(3)(c): informing about ${thousands(people)} people one by one would take disproportionate effort (more than ${thousands(threshold)}), so use a public communication that reaches them as effectively instead.`,
      );
    } else if (facts.contactDetailsKnown === false) {
      publicCommunication = true;
      reasons.push(
        'Art. 34(3)(c): without contact details for the people affected they cannot be told one by one without disproportionate effort, so use a public communication that reaches them as effectively instead.',
      );
    }
  }

  reasons.push(
    'This is only a suggestion: the FG decides, and the decision, its reasons and any override are recorded.',
  );
  return { notifyAuthority, notifyDataSubjects, publicCommunication, reasons };
}
