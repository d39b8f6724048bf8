import type { BreachType, OutageConsequence, SubjectKind } from './facts';
import type { Language } from './language';

/**
 * How lekdicht's texts for people (reasons, the AP draft, the register's record, the closing report) name the values
 * of the facts: one table per kind of value, both languages, so a breach type reads the same everywhere. Form labels
 * (client/web/i18n.ts) are capitalised and carry hints, and stay with the pages.
 */
type Words<K extends string> = Record<K, Record<Language, string>>;

export const BREACH_TYPE_WORDS: Words<BreachType> = {
  'misdirected-email': { nl: 'e-mail naar een verkeerde ontvanger', en: 'email to a wrong recipient' },
  'misdirected-post': { nl: 'post naar een verkeerde ontvanger', en: 'post to a wrong recipient' },
  'lost-device': { nl: 'verloren apparaat of gegevensdrager', en: 'lost device or storage medium' },
  'stolen-device': { nl: 'gestolen apparaat of gegevensdrager', en: 'stolen device or storage medium' },
  'lost-paper': { nl: 'verloren papieren documenten', en: 'lost paper documents' },
  'stolen-paper': { nl: 'gestolen papieren documenten', en: 'stolen paper documents' },
  ransomware: { nl: 'ransomware', en: 'ransomware' },
  hacking: { nl: 'hacking', en: 'hacking' },
  'credential-stuffing': {
    nl: 'credential stuffing (inloggen met elders gelekte wachtwoorden)',
    en: 'credential stuffing (logging in with passwords leaked elsewhere)',
  },
  phishing: { nl: 'phishing', en: 'phishing' },
  'social-engineering': { nl: 'social engineering', en: 'social engineering' },
  'insider-misuse': { nl: 'misbruik door een medewerker', en: 'misuse by an employee' },
  'unsecured-access': {
    nl: 'onbeveiligde toegang (bijvoorbeeld een open webformulier of server)',
    en: 'unsecured access (an open web form or server, for example)',
  },
  'accidental-publication': { nl: 'per ongeluk gepubliceerd', en: 'published by accident' },
  other: { nl: 'anders', en: 'other' },
};

export const SUBJECT_WORDS: Words<SubjectKind> = {
  customers: { nl: 'klanten', en: 'customers' },
  employees: { nl: 'medewerkers', en: 'employees' },
  patients: { nl: 'patiënten', en: 'patients' },
  children: { nl: 'kinderen', en: 'children' },
  students: { nl: 'leerlingen of studenten', en: 'pupils or students' },
  'job-seekers': { nl: 'werkzoekenden', en: 'job seekers' },
  'social-services-clients': { nl: 'cliënten van sociale diensten of zorg', en: 'clients of social services or care' },
  citizens: { nl: 'inwoners', en: 'residents' },
  users: { nl: 'gebruikers', en: 'users' },
  'business-contacts': { nl: 'zakelijke contactpersonen', en: 'business contacts' },
  other: { nl: 'anders', en: 'other' },
};

export const OUTAGE_WORDS: Words<OutageConsequence> = {
  none: { nl: 'geen', en: 'none' },
  'care-delayed': { nl: 'zorg uitgesteld', en: 'care delayed' },
  'payments-delayed': { nl: 'betalingen vertraagd', en: 'payments delayed' },
  'service-down': { nl: 'dienstverlening onderbroken', en: 'services interrupted' },
  'deliveries-delayed': { nl: 'leveringen vertraagd', en: 'deliveries delayed' },
  other: { nl: 'anders', en: 'other' },
};

/** Who holds the data, as a record states it. */
export const RECIPIENTS_WORDS: Words<'none' | 'trusted-confidential' | 'known-untrusted' | 'unknown' | 'public'> = {
  none: { nl: 'niemand buiten de organisatie', en: 'nobody outside the organisation' },
  'trusted-confidential': {
    nl: 'een bekende ontvanger met een geheimhoudingsplicht',
    en: 'a known recipient bound to confidentiality',
  },
  'known-untrusted': {
    nl: 'bekende ontvangers zonder geheimhoudingsplicht',
    en: 'known recipients without a duty of confidentiality',
  },
  unknown: { nl: 'onbekend wie de gegevens heeft', en: 'not known who has the data' },
  public: { nl: 'openbaar of een grote groep ontvangers', en: 'public, or a large group of recipients' },
};
