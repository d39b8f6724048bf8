import type { CircumstanceFactor, SeverityBand } from './severity';
import type { DataCategory, Identifiability, LossLevel, OutageConsequence, Recovery, SubjectKind } from './facts';
import type { Holder } from './exposure';
import { SUBJECT_WORDS } from './fact-words';
import type { Language } from './language';
import { BAND_LABELS } from './labels';
import { formatNumber, joinList } from './numbers';

/**
 * The severity's and the suggestion's reasons as data: a code and its parameters, rendered here in Dutch and
 * English. The workflow records the data; each page, email and the CLI renders it in its reader's language.
 * Longer than 350 lines because it is a table: each reason's two languages side by side.
 */

export type DpcLevel = 'simple' | 'behavioural' | 'financial' | 'sensitive';
type Lossy = 'confidentiality' | 'integrity' | 'availability';
/** Why a default identifiability was taken (severity.ts defaultIdentifiability). */
export type EiDefaultWhy = 'bsn' | 'location' | 'records';
/** What the facts say about who got the data, or whether a backup restores it (severity.ts derivedLoss). */
export type LossBecause =
  | 'public'
  | 'taken'
  | 'trusted'
  | 'unknown-recipients'
  | 'backup'
  | 'no-backup'
  | 'nobody'
  | 'known-recipients'
  | 'partial-backup'
  | 'paper-backup';
export type Protection = 'encrypted' | 'hashed';
/** Why the risk to the people affected is high (decision.ts whyHighRisk). */
export type HighRiskWhy =
  | { kind: 'band'; band: SeverityBand; score: number }
  | {
      kind: 'sensitive';
      categories: DataCategory[];
      taken: 'suspected' | 'confirmed' | 'unknown';
      /** Who holds it (domain/exposure.ts); absent in suggestions recorded before facts v2. */
      holder?: Holder;
      recipients?: number;
      /** The kind concerns only `some` of the `of` people (facts.peoplePerCategory). */
      some?: number;
      of?: number;
    }
  | { kind: 'attacker'; categories: DataCategory[] }
  | { kind: 'vulnerable'; kinds: SubjectKind[] }
  | { kind: 'volume'; people: number; threshold: number }
  | { kind: 'outage'; harmful: OutageConsequence[] }
  | { kind: 'vulnerable-outage'; kinds: SubjectKind[] }
  | { kind: 'integrity' };
/** What keeps a risk likely (art. 33): who holds the data, an outage that was not harmless, altered data. */
export type RiskWhy =
  | {
      kind: 'holder';
      holder: Holder;
      assumed: boolean;
      recipients?: number;
      /** For a trusted or contained holder: what still keeps the risk open. */
      sensitive?: DataCategory[];
      taken?: boolean;
    }
  | { kind: 'outage'; harmful: OutageConsequence[]; hours?: number }
  | { kind: 'integrity'; level: LossLevel };
export type SafeExample =
  'trusted' | 'credentials' | 'financial' | 'identity' | 'recipients-delete' | 'device-wipe' | 'other';

export type Reason =
  // DPC: the data processing context.
  | { code: 'dpc-none'; params: { adjust?: DpcAdjust } }
  | {
      code: 'dpc-kind';
      params: { categories: DataCategory[]; level: DpcLevel; base: number; several: boolean; adjust?: DpcAdjust };
    }
  // EI: ease of identification.
  | { code: 'ei-recorded'; params: { level: Identifiability; value: number } }
  | { code: 'ei-default'; params: { level: Identifiability; value: number; why: EiDefaultWhy } }
  // CB: circumstances of the breach.
  | { code: 'loss-recorded'; params: { factor: Lossy; level: LossLevel; value: number } }
  | {
      code: 'loss-derived';
      params: { factor: Lossy; level: LossLevel; value: number; because: LossBecause; recipients?: number };
    }
  | { code: 'loss-unknown'; params: { factor: Lossy } }
  | { code: 'malice'; params: { cause: string; value: number } }
  | { code: 'malice-not-attack'; params: { cause?: string } }
  | { code: 'malice-none'; params: Record<string, never> }
  // Weighed after the score.
  | { code: 'people-unknown' | 'people-zero' | 'people-one'; params: Record<string, never> }
  | { code: 'people-few' | 'people-considerable' | 'people-many'; params: { people: number } }
  | { code: 'protection-unknown' | 'protection-none'; params: Record<string, never> }
  | { code: 'protection-safe'; params: { how: Protection; covers?: DataCategory[] } }
  | { code: 'protection-key-lost' | 'protection-key-unknown' | 'protection-weak'; params: { how: Protection } }
  // The suggestion.
  | { code: 'a33-unlikely-unintelligible'; params: { how: Protection; low: boolean; score: number; outage?: boolean } }
  | { code: 'a33-unlikely-trusted'; params: { score: number } }
  | { code: 'a33-unlikely-nobody'; params: { score: number; outage: boolean; backup?: boolean; hours?: number } }
  | { code: 'a33-unlikely-contained'; params: { recovery: Recovery; recipients?: number } }
  | { code: 'a33-notify-low'; params: { score: number } }
  | { code: 'a33-notify'; params: { band: SeverityBand; score: number; open?: RiskWhy[] } }
  | { code: 'a33-4-phases' | 'a33-2-processor' | 'cross-border'; params: Record<string, never> }
  | { code: 'a34-not-high'; params: { band: SeverityBand; score: number; notTaken: DataCategory[] } }
  | { code: 'a34-3a-unintelligible'; params: { high: HighRiskWhy[]; how: Protection; covers?: DataCategory[] } }
  | { code: 'a34-3b-applied'; params: { high: HighRiskWhy[]; recovery: Recovery } }
  | {
      code: 'a34-low';
      params: {
        band: SeverityBand;
        score: number;
        holder: Holder;
        /** Financial or sensitive kinds involved at all (readable or not). */
        sensitive: DataCategory[];
        /** Kinds the context adjustment took below the line, with the organisation's reason. */
        lowered?: DataCategory[];
        context?: string;
        outage: boolean;
      };
    }
  | {
      code: 'a34-3a-integrity' | 'a34-unlikely' | 'a34-3c-no-contact' | 'only-suggestion';
      params: Record<string, never>;
    }
  | { code: 'a34-inform'; params: { high: HighRiskWhy[] } }
  | { code: 'a34-3b'; params: { example: SafeExample } }
  | { code: 'a34-3c-many'; params: { people: number; threshold: number } };

export interface DpcAdjust {
  direction: 'up' | 'down';
  value: number;
  why: string;
  atLimit: boolean;
}

type Words<K extends string> = Record<K, Record<Language, string>>;

/** How reasons name each category (the English ones as severity.ts always wrote them). */
export const CATEGORY_WORDS: Words<DataCategory> = {
  ordinary: { nl: 'gewone persoonsgegevens', en: 'ordinary personal data' },
  special: { nl: 'bijzondere persoonsgegevens (art. 9)', en: 'special categories of data (art. 9)' },
  criminal: { nl: 'strafrechtelijke gegevens (art. 10)', en: 'criminal-law data (art. 10)' },
  'national-id': {
    nl: 'nationale identificatienummers (zoals het BSN)',
    en: 'national identification numbers (such as the BSN)',
  },
  financial: { nl: 'financiële gegevens', en: 'financial data' },
  credentials: { nl: 'inloggegevens', en: 'login credentials' },
  location: { nl: 'locatiegegevens', en: 'location data' },
  'communications-content': { nl: 'de inhoud van communicatie', en: 'the content of communications' },
  children: { nl: 'gegevens van kinderen', en: "children's data" },
  behavioural: { nl: 'gedragsgegevens', en: 'behavioural data' },
  traffic: {
    nl: 'verkeersgegevens (wie wie belde of berichtte, en wanneer)',
    en: 'traffic data (who called or messaged whom, and when)',
  },
  'identity-document': { nl: 'identiteitsbewijzen', en: 'identity documents' },
};

const LEVEL_WORDS: Words<DpcLevel> = {
  simple: { nl: 'eenvoudig', en: 'simple' },
  behavioural: { nl: 'gedragsgegevens', en: 'behavioural' },
  financial: { nl: 'financieel', en: 'financial' },
  sensitive: { nl: 'gevoelig', en: 'sensitive' },
};

const EI_WORDS: Words<Identifiability> = {
  negligible: { nl: 'verwaarloosbaar', en: 'negligible' },
  limited: { nl: 'beperkt', en: 'limited' },
  significant: { nl: 'aanzienlijk', en: 'significant' },
  maximum: { nl: 'maximaal', en: 'maximum' },
};

const LOSS_WORDS: Words<LossLevel> = {
  none: { nl: 'geen', en: 'none' },
  limited: { nl: 'beperkt', en: 'limited' },
  significant: { nl: 'aanzienlijk', en: 'significant' },
};

const FACTOR_WORDS: Words<CircumstanceFactor> = {
  confidentiality: { nl: 'vertrouwelijkheid', en: 'confidentiality' },
  integrity: { nl: 'integriteit', en: 'integrity' },
  availability: { nl: 'beschikbaarheid', en: 'availability' },
  'malicious-intent': { nl: 'kwade opzet', en: 'malicious intent' },
};

const CAUSE_WORDS: Record<string, Record<Language, string>> = {
  'wrong-recipient': { nl: 'verkeerde ontvanger', en: 'wrong recipient' },
  'loss-or-theft': { nl: 'verlies of diefstal', en: 'loss or theft' },
  'abuse-of-authorisation': { nl: 'misbruik van bevoegdheden', en: 'abuse of authorisation' },
  attack: { nl: 'aanval', en: 'attack' },
  'technical-failure': { nl: 'technisch falen', en: 'technical failure' },
  other: { nl: 'anders', en: 'other' },
  unknown: { nl: 'onbekend', en: 'unknown' },
};

const HOW_WORDS: Words<Protection> = {
  encrypted: { nl: 'versleuteld', en: 'encrypted' },
  hashed: { nl: 'gehasht', en: 'hashed' },
};

const LOSS_DESCRIPTION: Record<Lossy, Record<LossLevel, Record<Language, string>>> = {
  confidentiality: {
    none: {
      nl: 'geen verlies van vertrouwelijkheid, zoals vastgelegd: niets wijst erop dat een onbevoegde de gegevens las',
      en: 'no loss of confidentiality, as recorded: there is no sign anyone unauthorised read the data',
    },
    limited: {
      nl: 'beperkt verlies van vertrouwelijkheid, zoals vastgelegd: de gegevens kwamen bij een klein aantal bekende ontvangers',
      en: 'limited loss of confidentiality, as recorded: the data reached a small number of known recipients',
    },
    significant: {
      nl: 'aanzienlijk verlies van vertrouwelijkheid, zoals vastgelegd: de gegevens kwamen bij veel of onbekende ontvangers',
      en: 'significant loss of confidentiality, as recorded: the data reached many or unknown recipients',
    },
  },
  integrity: {
    none: {
      nl: 'geen verlies van integriteit: de gegevens zijn niet gewijzigd, of dat is te herstellen',
      en: 'no loss of integrity: the data was not altered, or can be put right',
    },
    limited: {
      nl: 'beperkt verlies van integriteit: de gegevens zijn gewijzigd en mogelijk verkeerd gebruikt',
      en: 'limited loss of integrity: the data was altered and may have been used wrongly',
    },
    significant: {
      nl: 'aanzienlijk verlies van integriteit: de gegevens zijn gewijzigd en verkeerd gebruikt, zonder herstel',
      en: 'significant loss of integrity: the data was altered and used wrongly, with no way to put it right',
    },
  },
  availability: {
    none: {
      nl: 'geen verlies van beschikbaarheid: de gegevens zijn zonder moeite terug te halen',
      en: 'no loss of availability: the data can be recovered without difficulty',
    },
    limited: {
      nl: 'beperkt verlies van beschikbaarheid: de gegevens zijn tijdelijk niet beschikbaar',
      en: 'limited loss of availability: the data is temporarily unavailable',
    },
    significant: {
      nl: 'aanzienlijk verlies van beschikbaarheid: de gegevens zijn niet terug te halen',
      en: 'significant loss of availability: the data cannot be recovered',
    },
  },
};

const EI_WHY: Words<EiDefaultWhy> = {
  bsn: {
    nl: 'een nationaal identificatienummer wijst precies één persoon aan',
    en: 'a national identification number points to exactly one person',
  },
  location: {
    nl: 'locatiegegevens zonder andere gegevens zijn met enige moeite aan een persoon te koppelen (woon- en werkadres)',
    en: 'location data without other data can be tied to a person with some effort (home and work addresses)',
  },
  records: {
    nl: 'gegevens over mensen bevatten bijna altijd een naam, adres of nummer dat naar één persoon wijst',
    en: 'records about people nearly always carry a name, address or number that points to one person',
  },
};

const BECAUSE: Words<LossBecause> = {
  public: { nl: 'de gegevens openbaar zijn', en: 'the data is public' },
  taken: {
    nl: 'de gegevens zijn weggenomen, zodat onbekend is wie ze heeft',
    en: 'the data was taken, so who has it is unknown',
  },
  trusted: { nl: 'een vertrouwde ontvanger de gegevens zag', en: 'a trusted recipient saw the data' },
  'unknown-recipients': {
    nl: 'onbekende ontvangers de gegevens mogelijk zagen',
    en: 'unknown recipients may have seen the data',
  },
  backup: { nl: 'een back-up de gegevens kan herstellen', en: 'a backup can restore the data' },
  'no-backup': {
    nl: 'er geen back-up is om de gegevens uit te herstellen',
    en: 'there is no backup to restore the data from',
  },
  nobody: { nl: 'niemand buiten de organisatie de gegevens kreeg', en: 'nobody outside the organisation got the data' },
  'known-recipients': {
    nl: 'bekende ontvangers zonder geheimhoudingsplicht de gegevens kregen',
    en: 'known recipients without a duty of confidentiality got the data',
  },
  'partial-backup': {
    nl: 'de back-up maar een deel van de gegevens kan herstellen',
    en: 'the backup can restore only part of the data',
  },
  'paper-backup': {
    nl: 'de gegevens alleen van papier opnieuw zijn in te voeren',
    en: 'the data can only be re-entered from paper',
  },
};

const RECOVERY_WORDS: Words<Recovery> = {
  none: { nl: 'niet terug', en: 'not back' },
  retrieved: { nl: 'teruggehaald', en: 'retrieved' },
  returned: { nl: 'teruggegeven', en: 'returned' },
  'deleted-confirmed': { nl: 'verwijderd, schriftelijk bevestigd', en: 'deleted, confirmed in writing' },
  'remote-wiped': { nl: 'op afstand gewist', en: 'wiped remotely' },
};

const HARM_WORDS: Words<OutageConsequence> = {
  none: { nl: 'niets', en: 'nothing' },
  'care-delayed': { nl: 'zorg', en: 'care' },
  'payments-delayed': { nl: 'betalingen', en: 'payments' },
  'service-down': { nl: 'dienstverlening', en: 'services' },
  'deliveries-delayed': { nl: 'leveringen', en: 'deliveries' },
  other: { nl: 'andere zaken', en: 'other things' },
};

const TAKEN: Words<'suspected' | 'confirmed' | 'unknown'> = {
  suspected: { nl: 'vermoedelijk zijn ze weggenomen', en: 'it is suspected that it was taken' },
  confirmed: { nl: 'ze zijn weggenomen', en: 'it was taken' },
  unknown: { nl: 'onbekend is of ze zijn weggenomen', en: 'whether it was taken is not known' },
};

const EXAMPLE: Words<SafeExample> = {
  trusted: {
    nl: 'de vertrouwde ontvanger bevestigt schriftelijk dat de gegevens zijn verwijderd en niet gedeeld',
    en: 'the trusted recipient confirms in writing that the data was deleted and not shared',
  },
  credentials: {
    nl: 'de bedreigde accounts zijn geblokkeerd en hun wachtwoorden vervangen voordat iemand kon inloggen',
    en: 'the accounts at risk were blocked and their passwords reset before anyone could log in',
  },
  financial: {
    nl: 'de bedreigde bankrekeningen of betaalpassen zijn geblokkeerd voordat iemand ze kon gebruiken',
    en: 'the bank accounts or payment cards at risk were blocked before anyone could use them',
  },
  other: {
    nl: 'de gegevens zijn teruggehaald of vernietigd voordat iemand ze kon gebruiken',
    en: 'the data was retrieved or destroyed before anyone could use it',
  },
  identity: {
    nl: 'de identiteitsbewijzen zijn als gestolen gemeld en ongeldig gemaakt voordat iemand ze kon gebruiken',
    en: 'the identity documents were reported stolen and invalidated before anyone could use them',
  },
  'recipients-delete': {
    nl: 'de ontvangers hebben de gegevens teruggegeven of schriftelijk bevestigd dat ze zijn verwijderd en niet gedeeld',
    en: 'the recipients returned the data or confirmed in writing that they deleted it and did not share it',
  },
  'device-wipe': {
    nl: 'het apparaat is teruggevonden of op afstand gewist voordat iemand de gegevens kon lezen',
    en: 'the device was recovered or wiped remotely before anyone could read the data',
  },
};

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const band = (b: SeverityBand, lang: Language) => BAND_LABELS[b][lang].toLowerCase();

function categories(list: DataCategory[], lang: Language): string {
  return joinList(
    list.map((c) => CATEGORY_WORDS[c][lang]),
    lang,
  );
}

/** "+0.25" in English, "+0,25" in Dutch. */
const signed = (value: number, lang: Language) => `+${formatNumber(value, lang)}`;

function dpcReason(base: string, adjust: DpcAdjust | undefined, lang: Language): string {
  if (!adjust) return base;
  const stem = base.slice(0, -1);
  const up = adjust.direction === 'up';
  if (adjust.atLimit) {
    return lang === 'nl'
      ? `${stem}; de context zou het een stap ${up ? 'hoger' : 'lager'} zetten (${adjust.why}), maar de schaal houdt op bij ${adjust.value}.`
      : `${stem}; the context would move it ${adjust.direction} one step (${adjust.why}), but the scale ends at ${adjust.value}.`;
  }
  const end = /[.!?]$/.test(adjust.why) ? '' : '.';
  return lang === 'nl'
    ? `${stem}, ${up ? 'verhoogd' : 'verlaagd'} naar ${adjust.value} vanwege de context: ${adjust.why}${end}`
    : `${stem}, moved ${adjust.direction} to ${adjust.value} because of the context: ${adjust.why}${end}`;
}

/** "bekende ontvangers", "1 bekende ontvanger", "15 known recipients". */
function knownRecipients(count: number | undefined, lang: Language): string {
  const nl = lang === 'nl';
  if (count === undefined) return nl ? 'bekende ontvangers' : 'known recipients';
  const n = formatNumber(count, lang);
  if (count === 1) return nl ? '1 bekende ontvanger' : '1 known recipient';
  return nl ? `${n} bekende ontvangers` : `${n} known recipients`;
}

/** How a sensitive kind of data is held, as the reasons name it (no "and not back": art. 34(3)(b) may follow). */
function heldBy(h: Extract<HighRiskWhy, { kind: 'sensitive' }>, lang: Language): string {
  const nl = lang === 'nl';
  switch (h.holder) {
    case undefined:
      return nl
        ? `kunnen in handen van anderen zijn (${TAKEN[h.taken].nl})`
        : `may be in someone else's hands (${TAKEN[h.taken].en})`;
    case 'public':
      return nl ? 'zijn openbaar' : 'are public';
    case 'known':
    case 'contained': {
      const who = knownRecipients(h.recipients, lang);
      return nl ? `zijn bij ${who} zonder geheimhoudingsplicht` : `are with ${who} without a duty of confidentiality`;
    }
    default:
      return h.taken === 'confirmed'
        ? nl
          ? 'zijn weggenomen en in onbekende handen'
          : 'were taken and are in unknown hands'
        : h.taken === 'suspected'
          ? nl
            ? 'zijn vermoedelijk weggenomen en in onbekende handen'
            : 'were probably taken and are in unknown hands'
          : nl
            ? 'kunnen in onbekende handen zijn'
            : 'may be in unknown hands';
  }
}

function highRisk(high: HighRiskWhy[], lang: Language): string {
  const nl = lang === 'nl';
  const n = (v: number) => formatNumber(v, lang);
  return joinList(
    high.map((h) => {
      switch (h.kind) {
        case 'band':
          return nl
            ? `de ernst is ${band(h.band, lang)} (${n(h.score)})`
            : `the severity is ${band(h.band, lang)} (${h.score})`;
        case 'sensitive': {
          const some =
            h.some !== undefined && h.of !== undefined
              ? nl
                ? ` (van ${n(h.some)} van de ${n(h.of)} mensen)`
                : ` (of ${n(h.some)} of the ${n(h.of)} people)`
              : '';
          return `${categories(h.categories, lang)}${some} ${heldBy(h, lang)}`;
        }
        case 'attacker':
          return nl
            ? `een aanvaller heeft ${h.categories.length > 0 ? categories(h.categories, lang) : 'de gegevens'} buitgemaakt om ze te gebruiken`
            : `an attacker took ${h.categories.length > 0 ? categories(h.categories, lang) : 'the data'} to use it`;
        case 'vulnerable': {
          const who =
            h.kinds.length > 0
              ? ` (${joinList(
                  h.kinds.map((k) => SUBJECT_WORDS[k][lang]),
                  lang,
                )})`
              : '';
          return nl
            ? `de betrokkenen zijn kwetsbaar${who} en hun gegevens zijn buiten de organisatie`
            : `the people are vulnerable${who} and their data is out of the organisation's hands`;
        }
        case 'volume':
          return nl
            ? `de identificerende gegevens van ongeveer ${n(h.people)} mensen (vanaf ${n(h.threshold)}) zijn in onbekende of openbare handen, en op die schaal zijn identiteitsfraude en phishing te verwachten`
            : `the identifying data of about ${n(h.people)} people (from ${n(h.threshold)} on) is in unknown or public hands, and at that scale identity fraud and phishing are to be expected`;
        case 'outage': {
          const what = joinList(
            h.harmful.map((c) => HARM_WORDS[c][lang]),
            lang,
          );
          return nl
            ? `de uitval vertraagde ${what} waarvan de betrokkenen afhankelijk zijn`
            : `the outage delayed ${what} the people depend on`;
        }
        case 'vulnerable-outage': {
          const who =
            h.kinds.length > 0
              ? ` (${joinList(
                  h.kinds.map((k) => SUBJECT_WORDS[k][lang]),
                  lang,
                )})`
              : '';
          return nl
            ? `kwetsbare mensen${who} konden langer dan kort niet op hun gegevens rekenen`
            : `vulnerable people${who} could not rely on their data for more than a short while`;
        }
        case 'integrity':
          return nl
            ? 'gegevens zijn gewijzigd en verkeerd gebruikt, zonder herstel'
            : 'data was altered and used wrongly, with no way to put it right';
      }
    }),
    lang,
  );
}

/** Why the risk is not high (a34-low), as clauses that are each true of the case. */
function lowWhy(p: Extract<Reason, { code: 'a34-low' }>['params'], lang: Language): string {
  const nl = lang === 'nl';
  const n = (v: number) => formatNumber(v, lang);
  const clauses: string[] = [];
  const safeHolder = p.holder !== 'unknown' && p.holder !== 'public';
  const holder: Partial<Record<Holder, Record<Language, string>>> = {
    nobody: {
      nl: 'niemand buiten de organisatie heeft de gegevens gekregen',
      en: 'nobody outside the organisation got the data',
    },
    trusted: {
      nl: 'de enige ontvanger is vertrouwd en tot geheimhouding verplicht',
      en: 'the only recipient is trusted and bound to confidentiality',
    },
    contained: {
      nl: 'de ontvangers zijn bekend en de gegevens zijn terug',
      en: 'the recipients are known and the data is back',
    },
    known: { nl: 'de ontvangers zijn bekend', en: 'the recipients are known' },
  };
  const severity = nl
    ? `de ernst is ${band(p.band, lang)} (${n(p.score)})`
    : `the severity is ${band(p.band, lang)} (${p.score})`;
  const highBand = p.band === 'high' || p.band === 'very-high';
  if (highBand && safeHolder)
    clauses.push(
      nl
        ? `de ernst is ${band(p.band, lang)} (${n(p.score)}) om wat de gegevens zijn, maar ${holder[p.holder]!.nl}`
        : `the severity is ${band(p.band, lang)} (${p.score}) for what the data is, but ${holder[p.holder]!.en}`,
    );
  else {
    if (safeHolder) clauses.push(holder[p.holder]![lang]);
    clauses.push(severity);
  }
  if (p.lowered && p.lowered.length > 0)
    clauses.push(
      nl
        ? `de ${categories(p.lowered, lang)} zijn in deze context minder gevoelig (${p.context})`
        : `the ${categories(p.lowered, lang)} are less sensitive in this context (${p.context})`,
    );
  else if (p.sensitive.length === 0)
    clauses.push(
      nl ? 'er zijn geen financiële of gevoelige gegevens bij betrokken' : 'no financial or sensitive data is involved',
    );
  if (p.outage)
    clauses.push(nl ? 'de uitval vertraagde geen zorg of betalingen' : 'the outage delayed no care or payments');
  return joinList(clauses, lang);
}

/** What keeps a risk likely (art. 33), as clauses. */
function riskOpen(open: RiskWhy[], lang: Language): string {
  const nl = lang === 'nl';
  const n = (v: number) => formatNumber(v, lang);
  return joinList(
    open.map((o) => {
      switch (o.kind) {
        case 'holder': {
          switch (o.holder) {
            case 'public':
              return nl ? 'de gegevens zijn openbaar' : 'the data is public';
            case 'known': {
              const one = o.recipients === 1;
              const who = knownRecipients(o.recipients, lang);
              return nl
                ? `${who} zonder geheimhoudingsplicht ${one ? 'heeft' : 'hebben'} de gegevens`
                : `${who} without a duty of confidentiality ${one ? 'has' : 'have'} the data`;
            }
            case 'contained':
            case 'trusted': {
              const who =
                o.holder === 'trusted'
                  ? nl
                    ? 'een vertrouwde ontvanger met geheimhoudingsplicht had de gegevens'
                    : 'a trusted recipient bound to confidentiality had the data'
                  : nl
                    ? `de gegevens waren bij ${knownRecipients(o.recipients, lang)} en zijn terug`
                    : `the data was with ${knownRecipients(o.recipients, lang)} and is back`;
              const but: string[] = [];
              if (o.taken)
                but.push(nl ? 'ze zijn mogelijk ook door anderen weggenomen' : 'others may have taken it too');
              if (o.sensitive && o.sensitive.length > 0)
                but.push(
                  nl ? `het gaat om ${categories(o.sensitive, lang)}` : `it holds ${categories(o.sensitive, lang)}`,
                );
              if (o.holder === 'contained' && but.length === 0)
                but.push(nl ? 'het gaat om kwetsbare mensen' : 'it concerns vulnerable people');
              return but.length > 0 ? `${who}, ${nl ? 'maar' : 'but'} ${joinList(but, lang)}` : who;
            }
            case 'nobody':
              return nl
                ? 'niemand buiten de organisatie heeft de gegevens'
                : 'nobody outside the organisation has the data';
            case 'unknown':
              return o.assumed
                ? nl
                  ? 'wie de gegevens heeft, is niet vastgelegd en geldt dus als onbekend'
                  : 'who has the data is not recorded, so it counts as unknown'
                : nl
                  ? 'de gegevens zijn in onbekende handen'
                  : 'the data is in unknown hands';
          }
          break;
        }
        case 'outage': {
          const hours = o.hours !== undefined ? (nl ? ` (${n(o.hours)} uur)` : ` (${n(o.hours)} hours)`) : '';
          return o.harmful.length > 0
            ? nl
              ? `de uitval${hours} vertraagde ${joinList(
                  o.harmful.map((c) => HARM_WORDS[c].nl),
                  lang,
                )}`
              : `the outage${hours} delayed ${joinList(
                  o.harmful.map((c) => HARM_WORDS[c].en),
                  lang,
                )}`
            : nl
              ? `de gegevens of de dienst waren niet beschikbaar${hours} en dat is niet kort en zonder gevolgen uit een volledige back-up hersteld`
              : `the data or the service was unavailable${hours}, and not restored quickly and without consequences from a complete backup`;
        }
        case 'integrity':
          return nl
            ? `gegevens zijn gewijzigd (${LOSS_WORDS[o.level].nl} verlies van integriteit)`
            : `data was altered (${o.level} loss of integrity)`;
      }
      return '';
    }),
    lang,
  );
}

/** One reason as a sentence in the reader's language. */
export function renderReason(reason: Reason, lang: Language): string {
  const nl = lang === 'nl';
  const n = (v: number) => formatNumber(v, lang);
  switch (reason.code) {
    case 'dpc-none':
      return dpcReason(
        nl
          ? 'Er zijn nog geen soorten gegevens vastgelegd, dus de verwerkingscontext telt als eenvoudig (1) tot dat gebeurt.'
          : 'No data categories are recorded yet, so the data processing context counts as simple (1) until they are.',
        reason.params.adjust,
        lang,
      );
    case 'dpc-kind': {
      const p = reason.params;
      const kinds = categories(p.categories, lang);
      const level = LEVEL_WORDS[p.level][lang];
      const base = p.several
        ? nl
          ? `De gevoeligste soort gegevens, ${kinds}, telt als ${level} (${p.base}); bij meerdere soorten telt de hoogste.`
          : `The most sensitive kind of data involved, ${kinds}, counts as ${level} (${p.base}); with several kinds of data the highest counts.`
        : nl
          ? `De soort gegevens, ${kinds}, telt als ${level} (${p.base}).`
          : `The kind of data involved, ${kinds}, counts as ${level} (${p.base}).`;
      return dpcReason(base, p.adjust, lang);
    }
    case 'ei-recorded': {
      const { level, value } = reason.params;
      return nl
        ? `De mensen zijn ${EI_WORDS[level].nl} (${n(value)}) te identificeren uit de gegevens, zoals vastgelegd.`
        : `Identifying the people from the data is ${level} (${value}), as recorded.`;
    }
    case 'ei-default': {
      const { level, value, why } = reason.params;
      return nl
        ? `De identificeerbaarheid is niet vastgelegd en wordt daarom als ${EI_WORDS[level].nl} (${n(value)}) genomen: ${EI_WHY[why].nl}; leg haar vast als dat niet klopt.`
        : `Identifiability is not recorded, so it is taken as ${level} (${value}): ${EI_WHY[why].en}; record it if that is wrong.`;
    }
    case 'loss-recorded': {
      const { factor, level, value } = reason.params;
      return `${capitalise(LOSS_DESCRIPTION[factor][level][lang])} (${signed(value, lang)}).`;
    }
    case 'loss-derived': {
      const { factor, level, value, because, recipients } = reason.params;
      const count =
        recipients === undefined
          ? ''
          : nl
            ? ` (${n(recipients)} ${recipients === 1 ? 'ontvanger' : 'ontvangers'})`
            : ` (${n(recipients)} ${recipients === 1 ? 'recipient' : 'recipients'})`;
      return nl
        ? `Verlies van ${FACTOR_WORDS[factor].nl} is niet vastgelegd; omdat ${BECAUSE[because].nl}${count}, wordt het als ${LOSS_WORDS[level].nl} genomen (${signed(value, lang)}).`
        : `Loss of ${factor} is not recorded; because ${BECAUSE[because].en}${count}, it is taken as ${level} (${signed(value, lang)}).`;
    }
    case 'loss-unknown': {
      const { factor } = reason.params;
      return nl
        ? `Verlies van ${FACTOR_WORDS[factor].nl} is niet vastgelegd en blijkt niet uit de feiten, dus het telt nog niet mee (+0); leg de impact op ${FACTOR_WORDS[factor].nl} vast zodra die bekend is.`
        : `Loss of ${factor} is not recorded and the facts do not show it, so it adds nothing yet (+0); record impact.${factor} when it is known.`;
    }
    case 'malice': {
      const { cause, value } = reason.params;
      return nl
        ? `Het datalek is met opzet veroorzaakt (${CAUSE_WORDS[cause]?.nl ?? cause}), dus kwade opzet telt mee met ${signed(value, lang)}.`
        : `The breach was caused on purpose (${cause.replace(/-/g, ' ')}), so malicious intent adds ${signed(value, lang)}.`;
    }
    case 'malice-not-attack': {
      const cause = reason.params.cause;
      return nl
        ? `Het datalek is als opzettelijk aangemerkt, maar de oorzaak (${cause ? (CAUSE_WORDS[cause]?.nl ?? cause) : 'niet vastgelegd'}) is geen aanval, diefstal of misbruik van bevoegdheden, dus kwade opzet telt niet mee (+0).`
        : `The breach is marked intentional, but its cause (${cause ? cause.replace(/-/g, ' ') : 'not recorded'}) is not an attack, theft or abuse of authorisation, so no malicious intent is added (+0).`;
    }
    case 'malice-none':
      return nl
        ? 'Niets wijst erop dat het datalek is veroorzaakt om schade te doen, dus kwade opzet telt niet mee (+0).'
        : 'Nothing shows the breach was caused to do harm, so no malicious intent is added (+0).';
    case 'people-unknown':
      return nl
        ? 'Het aantal betrokkenen is nog niet bekend: zoek het uit, de melding aan de AP vraagt erom (art. 33 lid 3 onder a).'
        : 'The number of people affected is not known yet: find it out, the notification to the authority asks for it (art. 33(3)(a)).';
    case 'people-zero':
      return nl
        ? 'Er zijn geen betrokkenen vastgelegd: controleer dit, want zonder betrokkenen is er geen datalek.'
        : 'No people affected are recorded: check this, because without people affected there is no personal data breach.';
    case 'people-one':
      return nl
        ? 'Eén persoon is betrokken: een klein aantal, maar die persoon kan toch schade lijden.'
        : 'One person is affected: a small number, but that person may still be harmed.';
    case 'people-few':
      return nl
        ? `Ongeveer ${n(reason.params.people)} betrokkenen: een klein aantal, wat het risico voor elk van hen op zich niet verlaagt.`
        : `About ${n(reason.params.people)} people are affected: a small number, which does not by itself lower the risk to each of them.`;
    case 'people-considerable':
      return nl
        ? `Ongeveer ${n(reason.params.people)} betrokkenen: een flink aantal weegt mee in de richting van melden.`
        : `About ${n(reason.params.people)} people are affected: a considerable number weighs towards notifying.`;
    case 'people-many':
      return nl
        ? `Ongeveer ${n(reason.params.people)} betrokkenen: een groot aantal weegt mee in de richting van melden.`
        : `About ${n(reason.params.people)} people are affected: a large number weighs towards notifying.`;
    case 'protection-unknown':
      return nl
        ? 'Of de gegevens versleuteld waren is niet vastgelegd: ga er tot dan van uit dat wie ze heeft ze kan lezen.'
        : 'Whether the data was encrypted is not recorded: until it is, assume whoever has it can read it.';
    case 'protection-none':
      return nl
        ? 'De gegevens waren niet versleuteld en niet gehasht: wie ze heeft, kan ze lezen.'
        : 'The data was neither encrypted nor hashed: whoever has it can read it.';
    case 'protection-safe': {
      const { how, covers } = reason.params;
      if (covers)
        return nl
          ? `Alleen de ${categories(covers, lang)} waren ${HOW_WORDS[how].nl} met een veilige sleutel en zijn onleesbaar voor wie ze heeft; de andere gegevens zijn leesbaar.`
          : `Only the ${categories(covers, lang)} were ${how} with the key safe and are unintelligible to whoever has them; the other data is readable.`;
      return nl
        ? `De gegevens waren ${HOW_WORDS[how].nl} en de sleutel is veilig: onleesbaar voor wie ze heeft (art. 34 lid 3 onder a).`
        : `The data was ${how} with the key safe: unintelligible to whoever has it (art. 34(3)(a)).`;
    }
    case 'protection-weak':
      return nl
        ? `De gegevens waren ${HOW_WORDS[reason.params.how].nl}, maar met een zwak algoritme: reken er niet op dat ze onleesbaar zijn.`
        : `The data was ${reason.params.how}, but with a weak algorithm: do not count on it being unintelligible.`;
    case 'protection-key-lost':
      return nl
        ? `De gegevens waren ${HOW_WORDS[reason.params.how].nl}, maar ook de sleutel is gelekt: ze zijn niet onleesbaar.`
        : `The data was ${reason.params.how}, but the key was compromised too: it is not unintelligible.`;
    case 'protection-key-unknown':
      return nl
        ? `De gegevens waren ${HOW_WORDS[reason.params.how].nl}, maar of de sleutel veilig is, is niet vastgelegd: reken tot dan niet op art. 34 lid 3 onder a.`
        : `The data was ${reason.params.how}, but whether the key is safe is not recorded: do not count on art. 34(3)(a) until it is.`;
    case 'a33-unlikely-unintelligible': {
      const { how, low, score } = reason.params;
      return nl
        ? `Art. 33 lid 1: melden bij de AP wordt niet voorgesteld, omdat het datalek waarschijnlijk geen risico oplevert: de gegevens waren ${HOW_WORDS[how].nl} en de sleutel is veilig, dus wie ze heeft kan ze niet lezen, en ${low ? `de ernst is laag (${n(score)})` : reason.params.outage ? 'niets is gewijzigd, en wat onbeschikbaar was is snel en zonder gevolgen uit een volledige back-up hersteld' : 'niets is gewijzigd of onbeschikbaar geworden'}; leg het datalek toch vast in het register (art. 33 lid 5).`
        : `Art. 33(1): notifying the authority is not suggested, because the breach is unlikely to result in a risk: the data was ${how} with the key safe, so whoever has it cannot read it, and ${low ? `the severity is low (${score})` : reason.params.outage ? 'nothing was altered, and what was unavailable was restored quickly and without consequences from a complete backup' : 'nothing was altered or made unavailable'}; record it in the breach register all the same (art. 33(5)).`;
    }
    case 'a33-unlikely-trusted': {
      const { score } = reason.params;
      return nl
        ? `Art. 33 lid 1: melden bij de AP wordt niet voorgesteld, omdat het datalek waarschijnlijk geen risico oplevert: de enige ontvanger is vertrouwd en tot geheimhouding verplicht, het gaat niet om financiële of gevoelige gegevens, niemand anders heeft de gegevens weggenomen en er is niets anders verloren gegaan (ernst ${n(score)}); leg het datalek toch vast in het register (art. 33 lid 5).`
        : `Art. 33(1): notifying the authority is not suggested, because the breach is unlikely to result in a risk: the only recipient is trusted and bound to confidentiality, the data holds nothing financial or sensitive, nobody else took the data, and nothing else was lost (severity ${score}); record it in the breach register all the same (art. 33(5)).`;
    }
    case 'a33-unlikely-nobody': {
      const { score, outage, backup, hours } = reason.params;
      const within = hours !== undefined ? (nl ? ` binnen ${n(hours)} uur` : ` within ${n(hours)} hours`) : '';
      const rest = !outage
        ? nl
          ? 'en er is niets gewijzigd of verloren gegaan'
          : 'and nothing was altered or lost'
        : backup
          ? nl
            ? `en ze zijn${within} volledig uit een back-up hersteld zonder gevolgen voor de betrokkenen`
            : `and it was restored completely from a backup${within} without consequences for the people`
          : nl
            ? `en ze waren alleen${within.replace('binnen', 'gedurende')} onbereikbaar, zonder dat er iets verloren ging of de betrokkenen er gevolgen van hadden`
            : `and it was only out of reach${within.replace('within', 'for')}, with nothing lost and no consequences for the people`;
      return nl
        ? `Art. 33 lid 1: melden bij de AP wordt niet voorgesteld, omdat het datalek waarschijnlijk geen risico oplevert: niemand buiten de organisatie heeft de gegevens gekregen, ${rest} (ernst ${n(score)}); leg het datalek toch vast in het register (art. 33 lid 5).`
        : `Art. 33(1): notifying the authority is not suggested, because the breach is unlikely to result in a risk: nobody outside the organisation got the data, ${rest} (severity ${score}); record it in the breach register all the same (art. 33(5)).`;
    }
    case 'a33-unlikely-contained': {
      const { recovery, recipients } = reason.params;
      return nl
        ? `Art. 33 lid 1: melden bij de AP wordt niet voorgesteld, omdat het datalek waarschijnlijk geen risico oplevert: de gegevens kwamen bij ${knownRecipients(recipients, lang)} en zijn ${RECOVERY_WORDS[recovery].nl}, het gaat niet om financiële of gevoelige gegevens of kwetsbare mensen, en er is niets anders verloren gegaan; leg het datalek toch vast in het register (art. 33 lid 5).`
        : `Art. 33(1): notifying the authority is not suggested, because the breach is unlikely to result in a risk: the data reached ${knownRecipients(recipients, lang)} and was ${RECOVERY_WORDS[recovery].en}, it holds no financial or sensitive data nor concerns vulnerable people, and nothing else was lost; record it in the breach register all the same (art. 33(5)).`;
    }
    case 'a33-notify-low': {
      const { score } = reason.params;
      return nl
        ? `Art. 33 lid 1: meld het datalek zonder onredelijke vertraging en binnen 72 uur na het bekend worden bij de AP: de ernst is laag (${n(score)}), maar een risico is alleen onwaarschijnlijk als de gegevens onleesbaar zijn, of als niemand ze wegnam en de enige ontvanger vertrouwd en tot geheimhouding verplicht is.`
        : `Art. 33(1): notify the authority (AP) without undue delay and within 72 hours of becoming aware: the severity is low (${score}), but a risk is only unlikely when the data is unintelligible, or when nobody took it and the only recipient is trusted and bound to confidentiality.`;
    }
    case 'a33-notify': {
      const { score, open } = reason.params;
      if (open && open.length > 0)
        return nl
          ? `Art. 33 lid 1: meld het datalek zonder onredelijke vertraging en binnen 72 uur na het bekend worden bij de AP: ${riskOpen(open, lang)}, dus een risico voor de betrokkenen valt niet uit te sluiten (ernst ${band(reason.params.band, lang)}, ${n(score)}).`
          : `Art. 33(1): notify the authority (AP) without undue delay and within 72 hours of becoming aware: ${riskOpen(open, lang)}, so a risk to the people affected cannot be ruled out (severity ${band(reason.params.band, lang)}, ${score}).`;
      return nl
        ? `Art. 33 lid 1: meld het datalek zonder onredelijke vertraging en binnen 72 uur na het bekend worden bij de AP: de ernst is ${band(reason.params.band, lang)} (${n(score)}), dus een risico voor de betrokkenen valt niet uit te sluiten.`
        : `Art. 33(1): notify the authority (AP) without undue delay and within 72 hours of becoming aware: the severity is ${band(reason.params.band, lang)} (${score}), so a risk to the people affected cannot be ruled out.`;
    }
    case 'a33-4-phases':
      return nl
        ? 'Art. 33 lid 4: het datalek is nog gaande; wacht niet op het volledige beeld, meld in fasen en vul de melding later aan.'
        : 'Art. 33(4): the breach is still going on; do not wait for the full picture, notify in phases and supplement the notification later.';
    case 'a33-2-processor':
      return nl
        ? 'Art. 33 lid 2: er was een verwerker bij betrokken; die moet het u zonder onredelijke vertraging hebben gemeld, en de melding noemt hem.'
        : 'Art. 33(2): a processor was involved; it must have told you without undue delay, and the notification names it.';
    case 'cross-border':
      return nl
        ? 'Er zijn mensen of vestigingen in andere EU-landen betrokken: ga na welke toezichthouder leidend is (art. 56) en vermeld de grensoverschrijdende aspecten in de melding.'
        : 'People or establishments in other EU countries are involved: check which authority leads (art. 56) and mention the cross-border aspects in the notification.';
    case 'a34-not-high': {
      const { score, notTaken } = reason.params;
      const b = band(reason.params.band, lang);
      const why =
        notTaken.length > 0
          ? nl
            ? `de ernst is ${b} (${n(score)}) en niemand heeft de ${categories(notTaken, lang)} weggenomen`
            : `the severity is ${b} (${score}) and nobody took the ${categories(notTaken, lang)}`
          : nl
            ? `de ernst is ${b} (${n(score)}) en er zijn geen financiële of gevoelige gegevens bij betrokken`
            : `the severity is ${b} (${score}) and no financial or sensitive data is involved`;
      return nl
        ? `Art. 34 lid 1: de betrokkenen informeren is niet verplicht, omdat het risico voor hen niet hoog is: ${why}; de FG kan toch besluiten hen te informeren.`
        : `Art. 34(1): informing the people affected is not required, because the risk to them is not high: ${why}; the FG may still choose to inform them.`;
    }
    case 'a34-3a-unintelligible': {
      const { high, how, covers } = reason.params;
      if (covers)
        return nl
          ? `Art. 34 lid 3 onder a: het risico voor de betrokkenen zou hoog zijn omdat ${highRisk(high, lang)}, maar de ${categories(covers, lang)} waren ${HOW_WORDS[how].nl} met een veilige sleutel en zijn onleesbaar voor wie ze heeft, en de leesbare gegevens maken het risico niet hoog; informeren is dus niet verplicht, al kan de AP het alsnog opdragen (art. 34 lid 4).`
          : `Art. 34(3)(a): the risk to the people affected would be high because ${highRisk(high, lang)}, but the ${categories(covers, lang)} were ${how} with the key safe and are unintelligible to whoever has them, and the readable data does not make the risk high; so informing them is not required, although the authority can still order it (art. 34(4)).`;
      return nl
        ? `Art. 34 lid 3 onder a: het risico voor de betrokkenen zou hoog zijn omdat ${highRisk(high, lang)}, maar de gegevens waren ${HOW_WORDS[how].nl} met een veilige sleutel en zijn onleesbaar voor wie ze heeft, dus informeren is niet verplicht, al kan de AP het alsnog opdragen (art. 34 lid 4).`
        : `Art. 34(3)(a): the risk to the people affected would be high because ${highRisk(high, lang)}, but the data was ${how} with the key safe and is unintelligible to whoever has it, so informing them is not required, although the authority can still order it (art. 34(4)).`;
    }
    case 'a34-3b-applied': {
      const { high, recovery } = reason.params;
      return nl
        ? `Art. 34 lid 3 onder b: het risico voor de betrokkenen zou hoog zijn omdat ${highRisk(high, lang)}, maar de gegevens zijn ${RECOVERY_WORDS[recovery].nl}, zodat dat hoge risico niet langer waarschijnlijk is; informeren is dus niet verplicht, al kan de AP het alsnog opdragen (art. 34 lid 4).`
        : `Art. 34(3)(b): the risk to the people affected would be high because ${highRisk(high, lang)}, but the data was ${RECOVERY_WORDS[recovery].en}, so that high risk is no longer likely; informing them is not required, although the authority can still order it (art. 34(4)).`;
    }
    case 'a34-low':
      return nl
        ? `Art. 34 lid 1: de betrokkenen informeren is niet verplicht, omdat het risico voor hen niet hoog is: ${lowWhy(reason.params, lang)}; de FG kan toch besluiten hen te informeren.`
        : `Art. 34(1): informing the people affected is not required, because the risk to them is not high: ${lowWhy(reason.params, lang)}; the FG may still choose to inform them.`;
    case 'a34-3a-integrity':
      return nl
        ? 'De uitzondering van art. 34 lid 3 onder a dekt alleen het lezen van de gegevens: weeg af of het verlies van integriteit of beschikbaarheid toch vraagt om de betrokkenen te informeren.'
        : 'The exception in art. 34(3)(a) covers only the data being read: weigh whether the loss of integrity or availability still calls for telling the people affected.';
    case 'a34-unlikely':
      return nl
        ? 'Art. 34 lid 1: de betrokkenen informeren is niet verplicht, omdat een datalek dat waarschijnlijk geen risico oplevert geen hoog risico kan opleveren.'
        : 'Art. 34(1): informing the people affected is not required, because a breach that is unlikely to result in a risk cannot result in a high one.';
    case 'a34-inform':
      return nl
        ? `Art. 34 lid 1: informeer de betrokkenen zonder onredelijke vertraging, in duidelijke en eenvoudige taal, omdat het risico voor hen hoog is: ${highRisk(reason.params.high, lang)}.`
        : `Art. 34(1): inform the people affected without undue delay, in clear and plain language, because the risk to them is high: ${highRisk(reason.params.high, lang)}.`;
    case 'a34-3b':
      return nl
        ? `Art. 34 lid 3 onder b: als maatregelen sinds het datalek het hoge risico niet langer waarschijnlijk maken (bijvoorbeeld: ${EXAMPLE[reason.params.example].nl}), is informeren niet verplicht; de feiten kunnen dat niet laten zien, dus de FG beoordeelt het.`
        : `Art. 34(3)(b): if measures taken since the breach make the high risk no longer likely (for example, ${EXAMPLE[reason.params.example].en}), informing them is not required; the facts cannot show this, so the FG judges it.`;
    case 'a34-3c-many': {
      const { people, threshold } = reason.params;
      return nl
        ? `Art. 34 lid 3 onder c: ongeveer ${n(people)} mensen één voor één informeren zou een onevenredige inspanning vergen (meer dan ${n(threshold)}), dus gebruik in plaats daarvan een openbare mededeling die hen even doeltreffend bereikt.`
        : `Art. 34(3)(c): informing about ${n(people)} people one by one would take disproportionate effort (more than ${n(threshold)}), so use a public communication that reaches them as effectively instead.`;
    }
    case 'a34-3c-no-contact':
      return nl
        ? 'Art. 34 lid 3 onder c: zonder contactgegevens van de betrokkenen kunnen zij niet zonder onevenredige inspanning één voor één worden geïnformeerd, dus gebruik in plaats daarvan een openbare mededeling die hen even doeltreffend bereikt.'
        : 'Art. 34(3)(c): without contact details for the people affected they cannot be told one by one without disproportionate effort, so use a public communication that reaches them as effectively instead.';
    case 'only-suggestion':
      return nl
        ? 'Dit is alleen een voorstel: de FG besluit, en het besluit, de redenen en elke afwijking worden vastgelegd.'
        : 'This is only a suggestion: the FG decides, and the decision, its reasons and any override are recorded.';
  }
}

/** A factor of the circumstances, as a page names it. */
export function factorName(factor: CircumstanceFactor, lang: Language): string {
  return capitalise(FACTOR_WORDS[factor][lang]);
}
