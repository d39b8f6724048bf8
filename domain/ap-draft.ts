import type { CaseView } from './case';
import type { BreachFacts } from './facts';
import { CONTAINMENT_MEASURES } from './tasks';
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
  /** The FG or contact point named in the notification (art. 33(3)(b)). */
  contact?: { name: string; email: string };
}

/** The draft's context from the configuration: the organisation, and its (first) FG as the contact person. */
export function draftContext(organisation: string, directory: Directory): DraftContext {
  const fg = holdersOf(directory, 'fg')[0];
  return { organisation, ...(fg ? { contact: { name: fg.name, email: fg.email } } : {}) };
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
  const known: BreachFacts = view.facts.known ?? {};
  const first = view.reports[0];
  const authority = view.notifications.filter((n) => n.to === 'authority');
  const subjects = view.notifications.find((n) => n.to === 'data-subjects');
  const decision = view.decisions.find((d) => d.kind === 'notification');
  // Older decisions carry only their English summary: read that where the data is missing.
  const notInformed =
    decision === undefined
      ? undefined
      : decision.notifyDataSubjects !== undefined
        ? !decision.notifyDataSubjects
        : /data subjects: do not inform/.test(decision.summary);
  const done = view.facts.containment
    ? CONTAINMENT_MEASURES.filter((m) => view.facts.containment!.measures[m].status === 'done')
    : [];
  const improvements = view.facts.evaluation?.improvementActions.map((a) => a.description) ?? [];

  return [
    {
      id: 'contact',
      title: 'Contactgegevens en betrokken organisaties',
      fields: [
        { label: 'Organisatie', value: context.organisation },
        {
          label: 'Functionaris gegevensbescherming / contactpersoon',
          value: context.contact ? `${context.contact.name} <${context.contact.email}>` : null,
        },
        { label: 'Verwerker betrokken', value: yesNo(known.processorInvolved) },
        { label: 'Eerdere melding (kenmerk AP)', value: authority[0]?.reference ?? 'nee, dit is de eerste melding' },
      ],
    },
    {
      id: 'timeline',
      title: 'Tijdlijn',
      fields: [
        { label: 'Signaal ontvangen', value: first ? when(first.receivedAt) : null },
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
        { label: 'Wat is er met de gegevens gebeurd?', value: nature(known) },
        { label: 'Oorzaak', value: known.cause ? (CAUSE_NL[known.cause] ?? known.cause) : null },
        { label: 'Opzettelijk', value: yesNo(known.intentional) },
        {
          label: 'Betrokken systemen',
          value: known.systems && known.systems.length > 0 ? known.systems.join(', ') : null,
        },
      ],
    },
    {
      id: 'data',
      title: 'Soort gegevens en aantallen',
      fields: [
        {
          label: 'Soorten persoonsgegevens',
          value: known.dataCategories ? known.dataCategories.map((c) => CATEGORY_NL[c] ?? c).join('; ') : null,
        },
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
      ],
    },
    {
      id: 'measures-before',
      title: 'Beveiliging vooraf',
      fields: [
        { label: 'Versleuteld', value: yesNo(known.protection?.encrypted) },
        { label: 'Gehasht', value: yesNo(known.protection?.hashed) },
        { label: 'Sleutel buiten bereik van onbevoegden', value: yesNo(known.protection?.keySafe) },
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
          label: 'Zo nee, waarom niet?',
          // The FG's justification, as written; the decision itself read from its data, not from its English summary.
          value: notInformed ? (decision?.justification ?? null) : subjects ? 'n.v.t.' : null,
        },
      ],
    },
    {
      id: 'cross-border',
      title: 'Grensoverschrijdende aspecten en andere toezichthouders',
      fields: [
        { label: 'Betrokkenen of vestigingen in andere EU-landen', value: yesNo(known.crossBorder) },
        {
          label: 'Gemeld bij andere toezichthouders (NIS2/DORA)',
          value: authority.some((n) => n.regime && n.regime !== 'gdpr') ? 'ja' : null,
        },
      ],
    },
  ];
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
