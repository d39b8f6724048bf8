import type { CaseView, NotificationRecord } from './case';
import { VULNERABLE_SUBJECTS, type BreachFacts, type DataCategory } from './facts';
import { HARM_NL, likelyHarms } from './harm';
import { CONTAINMENT_MEASURES } from './tasks';
import { BREACH_TYPE_WORDS, OUTAGE_WORDS, SUBJECT_WORDS } from './fact-words';
import { cleanLine, cleanText } from './letters';
import { BAND_LABELS } from './labels';
import { holdersOf, type Directory } from './roles';
import { formatInstant, formatNumber } from './numbers';

/**
 * A draft of the Autoriteit Persoonsgegevens' notification form (meldformulier datalekken), filled from the
 * case. The AP takes notifications only through its online form: the FG pastes these answers into it.
 * Whatever the case does not know yet is marked, never guessed.
 */
export const UNKNOWN_MARK = '[ONBEKEND — nog aanvullen]';

export interface DraftField {
  label: string;
  value: string | null;
}

export interface DraftSection {
  id: string;
  title: string;
  fields: DraftField[];
}

export interface DraftContext {
  organisation: string;
  /**
   * The FG or contact point named in the notification (art. 33(3)(b)), with the function and phone number the AP's
   * form asks when the directory gives them.
   */
  contact?: { name: string; email: string; function?: string | undefined; phone?: string | undefined };
}

/**
 * The draft's context from the configuration: the organisation, and its (first) FG as the contact person, with
 * their function and phone when the directory gives them. The configuration names no other contact for the AP.
 */
export function draftContext(organisation: string, directory: Directory): DraftContext {
  const fg = holdersOf(directory, 'fg')[0];
  if (!fg) return { organisation };
  return {
    organisation,
    contact: {
      name: fg.name,
      email: fg.email,
      ...(fg.function !== undefined ? { function: fg.function } : {}),
      ...(fg.phone !== undefined ? { phone: fg.phone } : {}),
    },
  };
}

const CATEGORY_NL: Record<string, string> = {
  ordinary: 'gewone persoonsgegevens (naam, adres, contactgegevens)',
  special: 'bijzondere persoonsgegevens (art. 9 AVG)',
  criminal: 'strafrechtelijke gegevens (art. 10 AVG)',
  'national-id': 'burgerservicenummer (BSN) of ander identificatienummer',
  financial: 'financiële gegevens',
  credentials: 'inloggegevens',
  location: 'locatiegegevens',
  'communications-content': 'inhoud van communicatie',
  children: 'gegevens van kinderen',
  behavioural: 'gedragsgegevens (aankopen, voorkeuren, surfgedrag)',
  traffic: 'verkeersgegevens (wie wie belde of berichtte, en wanneer)',
  'identity-document': 'kopie of nummer van een identiteitsbewijs (paspoort, ID-kaart, rijbewijs)',
};

/** The shared words (domain/fact-words.ts), in Dutch: the AP reads the draft in Dutch. */
const dutch = (words: Record<string, Record<'nl' | 'en', string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(words).map(([key, word]) => [key, word.nl]));
const BREACH_TYPE_WORDS_NL = dutch(BREACH_TYPE_WORDS);
const SUBJECT_WORDS_NL = dutch(SUBJECT_WORDS);
const OUTAGE_WORDS_NL = dutch(OUTAGE_WORDS);

const RECIPIENTS_NL: Record<string, string> = {
  none: 'niemand buiten de organisatie',
  'trusted-confidential': 'een bekende ontvanger met een geheimhoudingsplicht',
  'known-untrusted': 'bekende ontvangers zonder geheimhoudingsplicht',
  unknown: 'onbekend wie de gegevens heeft',
  public: 'openbaar of een grote groep ontvangers',
};

const RECOVERY_NL: Record<string, string> = {
  none: 'nee, de gegevens zijn niet terug',
  retrieved: 'ja, teruggehaald',
  returned: 'ja, teruggegeven door de ontvanger',
  'deleted-confirmed': 'ja, verwijderd door de ontvanger (schriftelijk bevestigd)',
  'remote-wiped': 'ja, op afstand gewist',
};

const BACKUP_KIND_NL: Record<string, string> = {
  complete: 'volledig hersteld',
  partial: 'gedeeltelijk hersteld, een deel van de gegevens is verloren',
  paper: 'opnieuw ingevoerd vanaf papier',
};

const SECTOR_NL: Record<string, string> = {
  health: 'zorg',
  'social-services': 'sociaal domein',
  education: 'onderwijs',
  finance: 'financiële sector',
  telecom: 'telecommunicatie',
  'public-sector': 'overheid',
  retail: 'handel',
  other: 'anders',
};

/** The other authorities a notification can go to besides the AP (GDPR) and the controller (a processor's). */
const OTHER_AUTHORITY_NL: Record<string, string> = {
  nis2: 'NIS2: het CSIRT of de sectorale toezichthouder',
  dora: 'DORA: de financiële toezichthouder (DNB of AFM)',
};

const CAUSE_NL: Record<string, string> = {
  'wrong-recipient': 'verkeerde ontvanger',
  'loss-or-theft': 'verlies of diefstal',
  'abuse-of-authorisation': 'misbruik van bevoegdheden',
  attack: 'aanval (hacking, malware, phishing)',
  'technical-failure': 'technisch falen',
  other: 'anders',
  unknown: 'onbekend',
};

/** The containment measures as tasks, for their status (MEASURE_NL says what was done). */
const MEASURE_TASK_NL: Record<string, string> = {
  'secure-evidence': 'bewijs veiligstellen',
  'controlled-shutdown': 'systeem beheerst uitschakelen',
  'disconnect-network': 'loskoppelen van het netwerk',
  'adjust-firewall': 'firewall aanpassen',
  'block-accounts': 'gebruikersaccounts blokkeren',
  'change-passwords': 'wachtwoorden wijzigen',
  'agree-with-ict': 'met ICT afspreken hoe het lek te stoppen',
};
const MEASURE_STATUS_NL: Record<string, string> = {
  done: 'gedaan',
  pending: 'nog niet gedaan',
  'not-applicable': 'niet van toepassing',
};

const MEASURE_NL: Record<string, string> = {
  'secure-evidence': 'bewijs veiliggesteld',
  'controlled-shutdown': 'systeem beheerst uitgeschakeld',
  'disconnect-network': 'losgekoppeld van het netwerk',
  'adjust-firewall': 'firewall aangepast',
  'block-accounts': 'gebruikersaccounts geblokkeerd',
  'change-passwords': 'wachtwoorden gewijzigd',
  'agree-with-ict': 'met ICT afgesproken hoe het lek te stoppen',
};

const LOSS_NL: Record<string, string> = { none: 'geen', limited: 'beperkt', significant: 'aanzienlijk' };
const RISK_NL: Record<string, string> = { unlikely: 'onwaarschijnlijk', risk: 'risico', high: 'hoog risico' };
const CHANNEL_NL: Record<string, string> = {
  email: 'e-mail',
  letter: 'brief',
  phone: 'telefoon',
  'public-communication': 'openbare mededeling',
  other: 'anders',
};
/** The AP's form is Dutch: times as the Netherlands writes them, in Amsterdam time (dd-mm-jjjj uu:mm). */
const when = (iso: string | undefined) => (iso === undefined ? null : formatInstant(iso, 'nl'));
const loss = (level: string | undefined) => (level === undefined ? '?' : (LOSS_NL[level] ?? level));

const yesNo = (value: boolean | undefined) => (value === undefined ? null : value ? 'ja' : 'nee');
const orNull = (value: string | number | undefined) => (value === undefined ? null : String(value));

function nature(facts: BreachFacts): string | null {
  const parts: string[] = [];
  if (facts.impact?.confidentiality && facts.impact.confidentiality !== 'none')
    parts.push('ingezien of verstrekt aan onbevoegden');
  if (facts.exfiltration === 'confirmed') parts.push('gekopieerd (exfiltratie bevestigd)');
  if (facts.exfiltration === 'suspected') parts.push('mogelijk gekopieerd (exfiltratie vermoed)');
  if (facts.physicalMedia?.lost) parts.push('gegevensdrager verloren of gestolen');
  if (facts.impact?.integrity && facts.impact.integrity !== 'none') parts.push('gewijzigd');
  if (facts.impact?.availability && facts.impact.availability !== 'none') parts.push('verwijderd of niet beschikbaar');
  return parts.length > 0 ? parts.join('; ') : null;
}

const LOST_OR_STOLEN = ['lost-device', 'stolen-device', 'lost-paper', 'stolen-paper'];
const SENT_OR_SHOWN = ['misdirected-email', 'misdirected-post', 'accidental-publication'];
const SOMEONE_GOT_IT = ['trusted-confidential', 'known-untrusted', 'unknown', 'public'];
const lossOf = (level: string | undefined) => level === 'limited' || level === 'significant';

/**
 * The nature of the breach as the AP's form asks it, each ticked only on a recorded fact:
 * - lezen of kopiëren: confidentiality lost, someone got the data (recipients), the type sends or shows it
 *   (misdirected email or post, accidental publication), or exfiltration confirmed; "(vermoed)" when only
 *   suspected;
 * - wijzigen: integrity lost;
 * - verwijderen of vernietigen: availability lost, or ransomware;
 * - diefstal of verlies: a lost or stolen device or paper (breach type), or a lost physical medium.
 */
export function breachNature(facts: BreachFacts): string[] {
  const parts: string[] = [];
  const read =
    lossOf(facts.impact?.confidentiality) ||
    (facts.recipients !== undefined && SOMEONE_GOT_IT.includes(facts.recipients)) ||
    (facts.breachType !== undefined && SENT_OR_SHOWN.includes(facts.breachType)) ||
    facts.exfiltration === 'confirmed';
  if (read) parts.push('lezen of kopiëren');
  else if (facts.exfiltration === 'suspected') parts.push('lezen of kopiëren (vermoed)');
  if (lossOf(facts.impact?.integrity)) parts.push('wijzigen');
  if (lossOf(facts.impact?.availability) || facts.breachType === 'ransomware')
    parts.push('verwijderen of vernietigen (ook: onbeschikbaar maken)');
  if ((facts.breachType !== undefined && LOST_OR_STOLEN.includes(facts.breachType)) || facts.physicalMedia?.lost)
    parts.push('diefstal of verlies');
  return parts;
}

/** Each kind of data, with the number of people it concerns where that is fewer than all (peoplePerCategory). */
function categories(facts: BreachFacts): string | null {
  if (!facts.dataCategories) return null;
  return facts.dataCategories
    .map((c: DataCategory) => {
      const people = facts.peoplePerCategory?.[c];
      const name = CATEGORY_NL[c] ?? c;
      return people === undefined
        ? name
        : `${name} (${formatNumber(people, 'nl')} ${people === 1 ? 'betrokkene' : 'betrokkenen'})`;
    })
    .join('; ');
}

/** The breach's end: when it ended, "nog gaande" while it still leaks and is not contained, else unknown. */
function ended(view: CaseView, known: BreachFacts): string | null {
  if (known.endedAt) return when(known.endedAt);
  if (!view.facts.containment?.containedAt && known.stillLeaking === true) return 'nog gaande';
  return null;
}

function vulnerable(known: BreachFacts): string | null {
  if (known.subjects?.vulnerable !== undefined) return yesNo(known.subjects.vulnerable);
  const kinds = known.subjects?.kinds?.filter((k) => VULNERABLE_SUBJECTS.includes(k)) ?? [];
  return kinds.length > 0 ? `ja (${kinds.map((k) => SUBJECT_WORDS_NL[k] ?? k).join(', ')})` : null;
}

/** Whether the data was made unintelligible: "gedeeltelijk" when the protection covers only some kinds of data. */
function unintelligible(known: BreachFacts): string | null {
  const p = known.protection;
  if (!p) return null;
  if (p.encrypted || p.hashed) return p.covers ? 'gedeeltelijk' : 'ja';
  // Not encrypted and not said to be hashed: unprotected, as the severity's remarks read it too.
  return 'nee';
}

const unprotected = (known: BreachFacts) => known.protection?.encrypted === false && known.protection.hashed !== true;
const protectedAt = (known: BreachFacts) => known.protection?.encrypted === true || known.protection?.hashed === true;

function protectionCovers(known: BreachFacts): string | null {
  if (unprotected(known)) return 'n.v.t. (niet versleuteld of gehasht)';
  if (!protectedAt(known)) return null;
  return known.protection!.covers
    ? known.protection!.covers.map((c) => CATEGORY_NL[c] ?? c).join('; ')
    : 'alle getroffen gegevens';
}

function stateOfTheArt(known: BreachFacts): string | null {
  if (unprotected(known)) return 'n.v.t. (niet versleuteld of gehasht)';
  const strength = known.protection?.strength;
  if (strength === 'state-of-the-art') return 'ja';
  if (strength === 'weak') return 'nee, een zwak of verouderd algoritme';
  return null;
}

function harms(known: BreachFacts): string | null {
  const found = likelyHarms(known);
  if (found.length > 0) return found.map((f) => HARM_NL[f.harm]).join('; ');
  // Without the kinds of data, no harm is ruled out: unknown, not "none".
  return known.dataCategories ? 'geen van de soorten schade op de lijst volgt uit de vastgelegde feiten' : null;
}

function outageHours(known: BreachFacts): string | null {
  if (known.outage?.hours !== undefined) {
    const h = known.outage.hours;
    return `${formatNumber(h, 'nl')} uur`;
  }
  return known.impact?.availability === 'none' ? 'n.v.t. (geen verlies van beschikbaarheid)' : null;
}

function outageConsequences(known: BreachFacts): string | null {
  if (known.outage?.consequences) return known.outage.consequences.map((c) => OUTAGE_WORDS_NL[c] ?? c).join('; ');
  return known.impact?.availability === 'none' ? 'n.v.t. (geen verlies van beschikbaarheid)' : null;
}

function measureStatus(view: CaseView): string | null {
  const measures = view.facts.containment?.measures;
  if (!measures) return null;
  return CONTAINMENT_MEASURES.map((m) => {
    const { status, note } = measures[m];
    return `${MEASURE_TASK_NL[m] ?? m}: ${MEASURE_STATUS_NL[status] ?? status}${note ? ` (${note})` : ''}`;
  }).join('; ');
}

function backup(known: BreachFacts): string | null {
  if (!known.backup) return null;
  if (!known.backup.available) return 'nee, er is geen back-up';
  const parts = ['ja'];
  if (known.backup.kind) parts.push(BACKUP_KIND_NL[known.backup.kind] ?? known.backup.kind);
  if (known.backup.restoreHours !== undefined)
    parts.push(`hersteltijd ${formatNumber(known.backup.restoreHours, 'nl')} uur`);
  return parts.join(', ');
}

/** A completed task's answer field, read as data (task answers are stored as validated). */
function answerOf(view: CaseView, kind: string): Record<string, unknown> | undefined {
  const task = view.tasks.find((t) => t.kind === kind && t.status === 'done');
  const answer = task?.answer;
  return answer !== null && typeof answer === 'object' ? (answer as Record<string, unknown>) : undefined;
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

function publicCommunication(view: CaseView, notInformed: boolean | undefined, by: unknown): string | null {
  const published = view.notifications.find((n) => n.to === 'data-subjects' && n.channel === 'public-communication');
  if (published) {
    const answer = answerOf(view, 'public-communication');
    const channel = text(answer?.channel);
    const reference = published.reference ?? text(answer?.reference);
    return `ja, gepubliceerd op ${when(published.at)!}${channel ? ` via ${channel}` : ''}${reference ? ` (${reference})` : ''}`;
  }
  if (notInformed === true) return 'nee';
  if (by === 'public-communication') return 'ja, besloten; nog niet gepubliceerd';
  if (by === 'own-channel' || by === 'lekdicht') return 'nee, de betrokkenen worden een voor een geïnformeerd';
  return null;
}

/** Where else the breach was reported: NIS2 and DORA notifications; "nee" when neither applies and nothing is cross-border. */
function otherAuthorities(view: CaseView, known: BreachFacts, authority: NotificationRecord[]): string | null {
  const regimes = [...new Set(authority.map((n) => n.regime).filter((r) => r === 'nis2' || r === 'dora'))];
  if (regimes.length > 0)
    return regimes
      .map((r) => {
        const first = authority.find((n) => n.regime === r)!;
        return `${OTHER_AUTHORITY_NL[r]!}, op ${when(first.at)!}`;
      })
      .join('; ');
  const pending = view.deadlines.some(
    (d) => (d.regime === 'nis2' || d.regime === 'dora') && d.status !== 'not-required',
  );
  return !pending && known.crossBorder === false ? 'nee' : null;
}

function leadAuthority(known: BreachFacts): string | null {
  if (known.leadAuthority) return known.leadAuthority;
  return known.crossBorder === false ? 'n.v.t. (geen grensoverschrijdende verwerking)' : null;
}

/**
 * Every value is free text from the case in the end (a summary, a system's name, an improvement action): without
 * control characters (newlines stay), and with lone surrogates shown as U+FFFD, so what the FG pastes into the
 * AP's form is what it says.
 */
export function apDraft(view: CaseView, context: DraftContext): DraftSection[] {
  return draftSections(view, context).map((section) => ({
    ...section,
    fields: section.fields.map((field) => ({
      label: field.label,
      value: field.value === null ? null : cleanText(field.value),
    })),
  }));
}

function draftSections(view: CaseView, context: DraftContext): DraftSection[] {
  const sections = formSections(view, context);
  return [...sections, followUp(view, sections)];
}

function formSections(view: CaseView, context: DraftContext): DraftSection[] {
  const known: BreachFacts = view.facts.known ?? {};
  const first = view.reports[0];
  const authority = view.notifications.filter((n) => n.to === 'authority');
  const subjects = view.notifications.find((n) => n.to === 'data-subjects');
  const decision = view.decisions.find((d) => d.kind === 'notification');
  // What the FG decided, as data: the decision's own fields, else its task's answer (decisions recorded before
  // the fields existed). Never the English summary.
  const decided = answerOf(view, 'notification-decision');
  const notify = decision?.notifyDataSubjects ?? decided?.notifyDataSubjects;
  const notInformed = typeof notify === 'boolean' ? !notify : undefined;
  const done = view.facts.containment
    ? CONTAINMENT_MEASURES.filter((m) => view.facts.containment!.measures[m].status === 'done')
    : [];
  const improvements = view.facts.evaluation?.improvementActions.map((a) => a.description) ?? [];
  const natureOf = breachNature(known);
  const contact = context.contact;

  return [
    {
      id: 'contact',
      title: 'Contactgegevens en betrokken organisaties',
      fields: [
        { label: 'Organisatie', value: context.organisation },
        {
          label: 'Functionaris gegevensbescherming / contactpersoon',
          value: contact ? `${contact.name} <${contact.email}>` : null,
        },
        { label: 'Naam contactpersoon', value: contact?.name ?? null },
        { label: 'Functie contactpersoon', value: contact?.function ?? null },
        { label: 'Telefoonnummer contactpersoon', value: contact?.phone ?? null },
        { label: 'E-mailadres contactpersoon', value: contact?.email ?? null },
        { label: 'Verwerker betrokken', value: yesNo(known.processorInvolved) },
        { label: 'Eerdere melding (kenmerk AP)', value: authority[0]?.reference ?? 'nee, dit is de eerste melding' },
      ],
    },
    {
      id: 'timeline',
      title: 'Tijdlijn',
      fields: [
        { label: 'Signaal ontvangen', value: first ? when(first.receivedAt) : null },
        { label: 'Begin van het datalek', value: when(known.startedAt) },
        { label: 'Einde van het datalek', value: ended(view, known) },
        { label: 'Moment van ontdekking (bewust van het datalek)', value: when(view.facts.awareAt) },
        { label: 'Lek gedicht op', value: when(view.facts.containment?.containedAt) },
        {
          label: 'Duurt het datalek nog voort?',
          value: view.facts.containment?.containedAt ? 'nee' : yesNo(known.stillLeaking),
        },
      ],
    },
    {
      id: 'nature',
      title: 'Aard van het datalek',
      fields: [
        { label: 'Samenvatting', value: orNull(known.summary) },
        {
          label: 'Soort incident',
          value: known.breachType ? (BREACH_TYPE_WORDS_NL[known.breachType] ?? known.breachType) : null,
        },
        { label: 'Aard van de inbreuk', value: natureOf.length > 0 ? natureOf.join('; ') : null },
        { label: 'Wat is er met de gegevens gebeurd?', value: nature(known) },
        { label: 'Oorzaak', value: known.cause ? (CAUSE_NL[known.cause] ?? known.cause) : null },
        { label: 'Opzettelijk', value: yesNo(known.intentional) },
        {
          label: 'Betrokken systemen',
          value: known.systems && known.systems.length > 0 ? known.systems.join(', ') : null,
        },
        {
          label: 'Wie heeft de gegevens (kunnen) inzien?',
          value: known.recipients ? (RECIPIENTS_NL[known.recipients] ?? known.recipients) : null,
        },
        {
          label: 'Aantal ontvangers',
          value:
            known.recipientCount !== undefined
              ? formatNumber(known.recipientCount, 'nl')
              : known.recipients === 'none'
                ? '0'
                : null,
        },
      ],
    },
    {
      id: 'data',
      title: 'Soort gegevens en aantallen',
      fields: [
        { label: 'Soorten persoonsgegevens', value: categories(known) },
        {
          label: 'Bijzondere persoonsgegevens',
          value: known.dataCategories
            ? known.dataCategories.some((c) => c === 'special' || c === 'criminal')
              ? 'ja'
              : 'nee'
            : null,
        },
        { label: 'Aantal betrokkenen (bij benadering)', value: orNull(known.approxPeople) },
        { label: 'Aantal records (bij benadering)', value: orNull(known.approxRecords) },
        {
          label: 'Groep betrokkenen',
          value: known.subjects?.kinds ? known.subjects.kinds.map((k) => SUBJECT_WORDS_NL[k] ?? k).join(', ') : null,
        },
        { label: 'Kwetsbare groep (zoals patiënten, kinderen, cliënten)', value: vulnerable(known) },
        { label: 'Sector', value: known.subjects?.sector ? (SECTOR_NL[known.subjects.sector] ?? null) : null },
      ],
    },
    {
      id: 'measures-before',
      title: 'Beveiliging vooraf',
      fields: [
        { label: 'Versleuteld', value: yesNo(known.protection?.encrypted) },
        { label: 'Gehasht', value: yesNo(known.protection?.hashed) },
        { label: 'Onbegrijpelijk of ontoegankelijk gemaakt', value: unintelligible(known) },
        { label: 'Welke gegevens zijn zo beschermd?', value: protectionCovers(known) },
        { label: 'Volgens de stand van de techniek', value: stateOfTheArt(known) },
        {
          label: 'Sleutel buiten bereik van onbevoegden',
          value: unprotected(known) ? 'n.v.t. (niet versleuteld of gehasht)' : yesNo(known.protection?.keySafe),
        },
      ],
    },
    {
      id: 'consequences',
      title: 'Gevolgen',
      fields: [
        {
          label: 'Gevolgen voor vertrouwelijkheid, integriteit en beschikbaarheid',
          value: known.impact
            ? `vertrouwelijkheid: ${loss(known.impact.confidentiality)}, integriteit: ${loss(known.impact.integrity)}, beschikbaarheid: ${loss(known.impact.availability)}`
            : null,
        },
        { label: 'Soort schade voor betrokkenen', value: harms(known) },
        { label: 'Duur van de onbeschikbaarheid', value: outageHours(known) },
        { label: 'Gevolgen van de onbeschikbaarheid', value: outageConsequences(known) },
        { label: 'Waarschijnlijke gevolgen voor betrokkenen', value: orNull(view.facts.impact?.impactOnPeople) },
        {
          label: 'Ingeschat risico voor betrokkenen',
          value: view.facts.impact ? (RISK_NL[view.facts.impact.riskToPeople] ?? view.facts.impact.riskToPeople) : null,
        },
        {
          label: 'Ernst (ENISA)',
          value: view.assessment
            ? `${formatNumber(view.assessment.severity.score, 'nl')} (${BAND_LABELS[view.assessment.severity.band].nl.toLowerCase()})`
            : null,
        },
      ],
    },
    {
      id: 'measures-after',
      title: 'Genomen en voorgenomen maatregelen',
      fields: [
        {
          label: 'Genomen maatregelen',
          value: done.length > 0 ? done.map((m) => MEASURE_NL[m] ?? m).join('; ') : null,
        },
        { label: 'Stand van de inperkende maatregelen', value: measureStatus(view) },
        {
          label: 'Zijn de gegevens terug?',
          value: known.recovery ? (RECOVERY_NL[known.recovery] ?? known.recovery) : null,
        },
        { label: 'Herstel uit back-up', value: backup(known) },
        { label: 'Voorgenomen verbeteringen', value: improvements.length > 0 ? improvements.join('; ') : null },
      ],
    },
    {
      id: 'data-subjects',
      title: 'Informeren van betrokkenen',
      fields: [
        {
          label: 'Zijn de betrokkenen geïnformeerd?',
          value: subjects
            ? `ja, op ${when(subjects.at)!}${subjects.channel ? ` per ${CHANNEL_NL[subjects.channel] ?? subjects.channel}` : ''}`
            : notInformed === undefined
              ? null
              : notInformed
                ? 'nee'
                : 'nog niet',
        },
        {
          label: 'Wanneer geïnformeerd',
          value: subjects ? when(subjects.at) : notInformed ? 'n.v.t.' : null,
        },
        {
          label: 'Hoe geïnformeerd',
          value: subjects?.channel ? (CHANNEL_NL[subjects.channel] ?? subjects.channel) : notInformed ? 'n.v.t.' : null,
        },
        {
          label: 'Openbare mededeling (art. 34 lid 3 onder c AVG)',
          value: publicCommunication(view, notInformed, decided?.dataSubjectsBy),
        },
        {
          label: 'Zo nee, waarom niet?',
          // The FG's justification, as written; the decision itself read from its data, not from its English summary.
          value: notInformed
            ? (decision?.justification ?? text(decided?.justification) ?? null)
            : subjects || notInformed === false
              ? 'n.v.t.'
              : null,
        },
      ],
    },
    {
      id: 'cross-border',
      title: 'Grensoverschrijdende aspecten en andere toezichthouders',
      fields: [
        { label: 'Betrokkenen of vestigingen in andere EU-landen', value: yesNo(known.crossBorder) },
        { label: 'Leidende toezichthouder', value: leadAuthority(known) },
        {
          label: 'Gemeld bij andere toezichthouders (NIS2/DORA)',
          value: authority.some((n) => n.regime && n.regime !== 'gdpr')
            ? 'ja'
            : otherAuthorities(view, known, authority) === 'nee'
              ? 'nee'
              : null,
        },
        { label: 'Andere toezichthouders', value: otherAuthorities(view, known, authority) },
      ],
    },
  ];
}

/**
 * Art. 33(4): the follow-up. A notification the AP already has makes this draft a supplement to it; the draft is
 * complete when no field is unknown and the breach no longer goes on, else a supplement follows, and the fields it
 * will bring are named.
 */
function followUp(view: CaseView, sections: DraftSection[]): DraftSection {
  const gdpr = view.notifications.filter(
    (n) => n.to === 'authority' && (n.regime === undefined || n.regime === 'gdpr') && n.phase !== 'withdrawal',
  );
  const earlier = gdpr[0];
  const unknown = sections
    .flatMap((s) => s.fields)
    .filter((f) => f.value === null)
    .map((f) => f.label);
  const ongoing = sections
    .flatMap((s) => s.fields)
    .some((f) => f.label === 'Duurt het datalek nog voort?' && f.value === 'ja');
  const reasons = [
    ...(ongoing ? ['het datalek duurt nog voort'] : []),
    ...(unknown.length > 0 ? [`nog onbekend: ${unknown.join('; ')}`] : []),
  ];
  return {
    id: 'follow-up',
    title: 'Vervolgmelding',
    fields: [
      {
        label: 'Soort melding',
        value: earlier
          ? `aanvulling op de melding van ${when(earlier.at)!}${earlier.reference ? ` (kenmerk ${earlier.reference})` : ''}`
          : 'eerste melding',
      },
      {
        label: 'Is de melding volledig?',
        value:
          reasons.length === 0
            ? 'ja, de melding is volledig'
            : `nee, er volgt een aanvulling (art. 33 lid 4 AVG): ${reasons.join('; ')}`,
      },
    ],
  };
}

export function renderApDraftMarkdown(view: CaseView, context: DraftContext): string {
  const lines = [
    `# Concept melding datalek aan de Autoriteit Persoonsgegevens — ${view.breachId}`,
    '',
    `Velden met ${UNKNOWN_MARK} zijn nog niet bekend. Een melding mag in fasen: meld binnen 72 uur en vul later aan (art. 33 lid 4 AVG).`,
  ];
  for (const section of apDraft(view, context)) {
    lines.push('', `## ${section.title}`, '');
    for (const field of section.fields)
      lines.push(`- **${field.label}:** ${field.value === null ? UNKNOWN_MARK : markdownText(field.value)}`);
  }
  lines.push('');
  return lines.join('\n');
}

/**
 * A value as the text of one Markdown list item: on one line (a newline in a summary could otherwise start a
 * heading or a field of its own), with backslashes, backticks and brackets escaped (no code spans, no links), and
 * a `<` escaped wherever it could open raw HTML (a tag, a comment, a declaration, a processing instruction) or an
 * autolink with a scheme such as `javascript:`. An email autolink (`<fg@voorbeeld.nl>`) stays a link.
 */
export function markdownText(value: string): string {
  return cleanLine(value)
    .replace(/[\\`[\]]/g, (c) => `\\${c}`)
    .replace(/<(?=[/!?]|[A-Za-z][A-Za-z0-9-]*(?:[\s/>]|$)|[A-Za-z][A-Za-z0-9+.-]*:)/g, '\\<');
}
