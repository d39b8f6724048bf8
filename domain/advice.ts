import type { Wording } from './language';

/**
 * What the people affected can do themselves, by the kind of data that leaked (seed: "nazorg aan
 * betrokkenen"; art. 34(2) asks for the measures taken and advice to mitigate the effects).
 */
/** One piece of advice in every language. */
export type Advice = Wording;

const GENERAL: Advice = {
  nl: 'Wees alert op phishing: berichten die verwijzen naar dit incident of om gegevens vragen.',
  en: 'Be alert to phishing: messages that refer to this incident or ask for your details.',
};

/** Keyed by words that appear in a data category, so both structured and free-text categories match. */
const BY_CATEGORY: { match: RegExp; advice: Advice }[] = [
  {
    match: /bsn|national-id|identity|identiteit|passport|paspoort/i,
    advice: {
      nl: 'Meld vermoedelijk misbruik van uw BSN of identiteitsbewijs bij het Centraal Meldpunt Identiteitsfraude (CMI) van de Rijksoverheid.',
      en: 'Report suspected misuse of your citizen service number (BSN) or identity document to the Dutch central reporting point for identity fraud (CMI).',
    },
  },
  {
    match: /credential|password|wachtwoord|inlog/i,
    advice: {
      nl: 'Wijzig uw wachtwoord, ook waar u hetzelfde wachtwoord elders gebruikt, en zet tweestapsverificatie aan.',
      en: 'Change your password, also wherever you reuse it, and turn on two-step verification.',
    },
  },
  {
    match: /financ|bank|iban|credit/i,
    advice: {
      nl: 'Controleer uw bankafschriften en neem bij onbekende afschrijvingen contact op met uw bank.',
      en: 'Check your bank statements and contact your bank about any payment you do not recognise.',
    },
  },
  {
    match: /special|health|gezondheid|medisch|criminal|strafrecht/i,
    advice: {
      nl: 'U kunt met vragen over de gevolgen terecht bij ons contactpunt; wij helpen u bij verdere stappen.',
      en: 'Our contact point can answer questions about the consequences and help you with further steps.',
    },
  },
  {
    match: /location|locatie|address|adres/i,
    advice: {
      nl: 'Wees alert op ongewenst contact of bezoek; neem bij twijfel contact op met ons contactpunt of de politie.',
      en: 'Be alert to unwanted contact or visits; if in doubt, contact our contact point or the police.',
    },
  },
];

/** General advice first, then one piece per kind of data, without repeats. */
export function adviceFor(categories: readonly string[]): Advice[] {
  const specific = BY_CATEGORY.filter(({ match }) => categories.some((c) => match.test(c))).map(({ advice }) => advice);
  return [GENERAL, ...specific];
}
