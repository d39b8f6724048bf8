import type { Decision, TimelineEntry } from './case';
import { DEADLINE_LABELS, PHASE_LABELS, ROLE_LABELS, TASK_TITLES } from './labels';
import type { Language } from './language';
import { formatInstant, formatNumber } from './numbers';
import type { RegimeDeadlineKind } from './regimes/deadlines';
import { notificationPhaseLabel, regimeLabel } from './legal-basis';

/**
 * Timeline entries and decisions in the reader's language. The workflows record each entry's kind, an English
 * text and, since this module exists, its parameters; an entry is rendered from its kind and parameters, and an
 * older entry without them shows its recorded text (undefined here: the caller marks it as English).
 */

export type TimelineParams = Record<string, string | number | boolean>;

type P = TimelineParams;
type Value = string | number | boolean | undefined;
type Render = (p: P, lang: Language) => string | undefined;

const str = (v: Value) => (v === undefined ? '' : String(v));
const time = (v: Value, lang: Language) => formatInstant(str(v), lang);
const n = (v: Value, lang: Language) => formatNumber(Number(v), lang);
const yes = (v: Value, lang: Language) => (v ? (lang === 'nl' ? 'ja' : 'yes') : lang === 'nl' ? 'nee' : 'no');
const title = (p: P, lang: Language) => {
  const kind = str(p.taskKind);
  return (TASK_TITLES as Record<string, Record<Language, string> | undefined>)[kind]?.[lang] ?? str(p.taskId);
};
const role = (v: Value, lang: Language) =>
  (ROLE_LABELS as Record<string, Record<Language, string> | undefined>)[str(v)]?.[lang] ?? str(v);
const phase = (v: Value, lang: Language) =>
  (PHASE_LABELS as Record<string, Record<Language, string> | undefined>)[str(v)]?.[lang] ?? str(v);
const deadline = (v: Value, lang: Language) => DEADLINE_LABELS[str(v) as RegimeDeadlineKind]?.[lang] ?? str(v);
const band = (v: Value, lang: Language) =>
  ({
    low: ['laag', 'low'],
    medium: ['gemiddeld', 'medium'],
    high: ['hoog', 'high'],
    'very-high': ['zeer hoog', 'very high'],
  })[str(v)]?.[lang === 'nl' ? 0 : 1] ?? str(v);

/** Each kind's sentence, Dutch and English side by side; a kind without needed parameters renders nothing. */
const TEMPLATES: Record<string, Record<Language, Render>> = {
  'signal-received': {
    nl: (p) => (p.source ? `Signaal ontvangen van ${str(p.source)}` : undefined),
    en: (p) => (p.source ? `Signal received from ${str(p.source)}` : undefined),
  },
  'duplicate-report': {
    // One duplicate (older runs), or the tally of them all: the total, per source, first and last.
    nl: (p, l) =>
      p.total !== undefined
        ? `${n(p.total, l)} dubbele ${Number(p.total) === 1 ? 'melding' : 'meldingen'} (${str(p.bySource)}), eerste ${time(p.firstAt, l)}, laatste ${time(p.lastAt, l)}`
        : p.source
          ? `Dubbele melding ontvangen van ${str(p.source)}`
          : undefined,
    en: (p, l) =>
      p.total !== undefined
        ? `${n(p.total, l)} duplicate report${Number(p.total) === 1 ? '' : 's'} (${str(p.bySource)}), first ${time(p.firstAt, l)}, last ${time(p.lastAt, l)}`
        : p.source
          ? `Duplicate report from ${str(p.source)} received`
          : undefined,
  },
  phase: {
    nl: (p) => (p.phase ? `Fase: ${phase(p.phase, 'nl')}` : undefined),
    en: (p) => (p.phase ? `Phase: ${phase(p.phase, 'en')}` : undefined),
  },
  'not-a-breach': {
    nl: () => 'Vastgelegd als beveiligingsincident; er zijn geen persoonsgegevens getroffen',
    en: () => 'Recorded as a security incident; no personal data compromised',
  },
  'breach-confirmed': {
    nl: (p, l) => (p.awareAt ? `Datalek bevestigd; bekend sinds ${time(p.awareAt, l)}` : undefined),
    en: (p, l) => (p.awareAt ? `Personal-data breach; aware since ${time(p.awareAt, l)}` : undefined),
  },
  facts: {
    nl: (p, l) =>
      p.band
        ? `Feiten ${p.amended ? 'aangevuld' : 'vastgelegd'}; ernst ${band(p.band, l)} (${n(p.score, l)})${p.before ? `, was ${band(p.before, l)}` : ''}`
        : undefined,
    en: (p, l) =>
      p.band
        ? `Facts ${p.amended ? 'amended' : 'recorded'}; severity ${band(p.band, l)} (${n(p.score, l)})${p.before ? `, was ${band(p.before, l)}` : ''}`
        : undefined,
  },
  impact: {
    nl: (p) =>
      p.risk
        ? `Impact bepaald; risico voor de betrokkenen: ${({ unlikely: 'onwaarschijnlijk', risk: 'risico', high: 'hoog risico' } as Record<string, string>)[str(p.risk)] ?? str(p.risk)}`
        : undefined,
    en: (p) => (p.risk ? `Impact assessed; risk to the people concerned: ${str(p.risk)}` : undefined),
  },
  'task-opened': {
    nl: (p, l) =>
      p.taskKind ? `Taak geopend voor ${role(p.role, l)}: ${title(p, l)}, uiterlijk ${time(p.due, l)}` : undefined,
    en: (p, l) =>
      p.taskKind ? `Task opened for ${role(p.role, l)}: ${title(p, l)}, due ${time(p.due, l)}` : undefined,
  },
  'task-completed': {
    nl: (p, l) =>
      p.taskKind
        ? `Taak afgerond: ${title(p, l)}${p.operatorAct ? ' (namens iemand, met een operatorverklaring)' : ''}`
        : undefined,
    en: (p, l) => (p.taskKind ? `Task completed: ${title(p, l)}${p.operatorAct ? ' (operator act)' : ''}` : undefined),
  },
  'task-overdue': {
    nl: (p, l) =>
      p.taskKind
        ? `Taak te laat: ${title(p, l)} (uiterlijk ${time(p.due, l)}); de rol en de vervangers zijn herinnerd`
        : undefined,
    en: (p, l) =>
      p.taskKind ? `Task overdue: ${title(p, l)} (due ${time(p.due, l)}); role and deputies reminded` : undefined,
  },
  'task-escalated': {
    nl: (p, l) => (p.taskKind ? `Taak staat nog open en is doorgezet naar de FG: ${title(p, l)}` : undefined),
    en: (p, l) => (p.taskKind ? `Task still open; escalated to the FG: ${title(p, l)}` : undefined),
  },
  'task-rescheduled': {
    nl: (p, l) => (p.taskKind ? `Nieuwe uiterste datum voor ${title(p, l)}: ${time(p.due, l)}` : undefined),
    en: (p, l) => (p.taskKind ? `${title(p, l)} now due ${time(p.due, l)}` : undefined),
  },
  'email-sent': {
    nl: (p, l) =>
      p.count !== undefined
        ? `E-mail verstuurd aan ${n(p.count, l)} ${Number(p.count) === 1 ? 'ontvanger' : 'ontvangers'}`
        : undefined,
    en: (p, l) => (p.count !== undefined ? `Email sent to ${n(p.count, l)} recipient(s)` : undefined),
  },
  'email-failed': {
    nl: (p, l) =>
      p.failed !== undefined
        ? `E-mail kon niet bezorgd worden bij ${n(p.failed, l)} ${Number(p.failed) === 1 ? 'ontvanger' : 'ontvangers'}: de mailserver weigerde hem definitief (${str(p.codes)}). Niet opnieuw geprobeerd; de adressen staan in het register. Bereik hen op een andere manier, of corrigeer het adres in het adresboek.`
        : undefined,
    en: (p, l) =>
      p.failed !== undefined
        ? `Email could not be delivered to ${n(p.failed, l)} recipient(s): the mail server refused it for good (${str(p.codes)}). Not retried; the addresses are in the register. Reach them another way, or correct the address in the directory.`
        : undefined,
  },
  'ticket-failed': {
    // The reason is the ticket system's own message, quoted as it came.
    nl: (p, l) =>
      p.taskId
        ? p.stage === 'close'
          ? `Het ticket van taak ${title(p, l)} kon niet gesloten worden: ${str(p.reason)}`
          : `Geen ticket voor taak ${title(p, l)}: ${str(p.reason)}; de taak zelf blijft staan`
        : undefined,
    en: (p, l) =>
      p.taskId
        ? p.stage === 'close'
          ? `The ticket of task ${title(p, l)} could not be closed: ${str(p.reason)}`
          : `No ticket for task ${title(p, l)}: ${str(p.reason)}; the task itself stands`
        : undefined,
  },
  'task-cancelled': {
    nl: (p, l) =>
      p.taskId ? `Taak ${title(p, l)} gesloten: de eerste melding aan de AP is rechtstreeks vastgelegd` : undefined,
    en: (p, l) =>
      p.taskId
        ? `Task ${title(p, l)} closed: the initial notification to the authority was recorded directly`
        : undefined,
  },
  'incident-classified': {
    nl: (p, l) =>
      p.deadlinesChanged !== undefined
        ? `Incident geclassificeerd: NIS2 significant: ${p.nis2 === undefined ? 'niet beoordeeld' : yes(p.nis2, l)}; DORA ernstig: ${p.dora === undefined ? 'niet beoordeeld' : yes(p.dora, l)}${p.doraAt ? ` (geclassificeerd op ${time(p.doraAt, l)})` : ''}; ${Number(p.deadlinesChanged) > 0 ? `${n(p.deadlinesChanged, l)} termijn(en) aangepast` : 'geen termijnen aangepast'}`
        : undefined,
    en: (p, l) =>
      p.deadlinesChanged !== undefined
        ? `Incident classified: NIS2 significant: ${p.nis2 === undefined ? 'not assessed' : yes(p.nis2, l)}; DORA major: ${p.dora === undefined ? 'not assessed' : yes(p.dora, l)}${p.doraAt ? ` (classified at ${time(p.doraAt, l)})` : ''}; ${Number(p.deadlinesChanged) > 0 ? `${n(p.deadlinesChanged, l)} deadline(s) changed` : 'no deadline changes'}`
        : undefined,
  },
  'awareness-corrected': {
    nl: (p, l) =>
      p.to
        ? `Moment van bekend worden gecorrigeerd van ${time(p.from, l)} naar ${time(p.to, l)}. Reden: ${str(p.reason)}`
        : undefined,
    en: (p, l) =>
      p.to
        ? `Moment of awareness corrected from ${time(p.from, l)} to ${time(p.to, l)}. Reason: ${str(p.reason)}`
        : undefined,
  },
  'notification-recorded': {
    nl: (p, l) =>
      p.at
        ? `Melding vastgelegd: ${regimeLabel(str(p.regime), l)}, ${notificationPhaseLabel(str(p.phase), l)}, ingediend ${time(p.at, l)}, kenmerk ${str(p.reference)}${p.late ? ' (te laat)' : ''}${p.reasonsForDelay ? `; reden van de vertraging: ${str(p.reasonsForDelay)}` : ''}`
        : undefined,
    en: (p, l) =>
      p.at
        ? `Notification recorded: ${regimeLabel(str(p.regime), l)}, ${notificationPhaseLabel(str(p.phase), l)}, submitted ${time(p.at, l)}, reference ${str(p.reference)}${p.late ? ' (late)' : ''}${p.reasonsForDelay ? `; reasons for the delay: ${str(p.reasonsForDelay)}` : ''}`
        : undefined,
  },
  'recipients-missing': {
    nl: () => 'Het register bevat geen betrokkenen voor dit datalek: de lijst wordt opnieuw gevraagd',
    en: () => 'The register holds no recipients for this breach: the list is asked for again',
  },
  'deadline-set': {
    nl: (p, l) =>
      p.deadline
        ? `Termijn vastgesteld: ${deadline(p.deadline, l)}, uiterlijk ${time(p.due, l)}${p.provisional ? ' (voorlopig)' : ''}`
        : undefined,
    en: (p, l) =>
      p.deadline
        ? `Deadline set: ${deadline(p.deadline, l)}, due ${time(p.due, l)}${p.provisional ? ' (provisional)' : ''}`
        : undefined,
  },
  'deadline-missed': {
    nl: (p, l) =>
      p.deadline
        ? `Termijn verstreken zonder melding: ${deadline(p.deadline, l)} (uiterlijk ${time(p.due, l)})`
        : undefined,
    en: (p, l) =>
      p.deadline
        ? `Deadline passed without a notification: ${deadline(p.deadline, l)} (due ${time(p.due, l)})`
        : undefined,
  },
  decision: {
    nl: (p) => (p.notifyAuthority !== undefined ? `Meldbesluit: ${decisionText(p, 'nl')}` : undefined),
    en: (p) => (p.notifyAuthority !== undefined ? `Notification decision: ${decisionText(p, 'en')}` : undefined),
  },
  'containment-round': {
    nl: (p, l) =>
      p.round ? `Ronde ${n(p.round, l)} van het beperken; lekt nog: ${yes(p.stillLeaking, l)}` : undefined,
    en: (p, l) =>
      p.round ? `Containment round ${n(p.round, l)}; still leaking: ${yes(p.stillLeaking, l)}` : undefined,
  },
  contained: {
    nl: (p, l) =>
      p.rounds
        ? `Het lek is gedicht, bevestigd na ${n(p.rounds, l)} ${Number(p.rounds) === 1 ? 'ronde' : 'rondes'}`
        : undefined,
    en: (p, l) => (p.rounds ? `Containment confirmed after ${n(p.rounds, l)} round(s)` : undefined),
  },
  'containment-not-confirmed': {
    nl: (p) => (p.note !== undefined ? `Het lek is nog niet gedicht: ${str(p.note)}` : undefined),
    en: (p) => (p.note !== undefined ? `Containment not confirmed: ${str(p.note)}` : undefined),
  },
  'authority-notified': {
    nl: (p, l) =>
      p.at
        ? `Gemeld bij de AP op ${time(p.at, l)}, meldnummer ${str(p.reference)}${p.late ? ' (te laat)' : ''}`
        : undefined,
    en: (p, l) =>
      p.at
        ? `Authority notified at ${time(p.at, l)}, reference ${str(p.reference)}${p.late ? ' (late)' : ''}`
        : undefined,
  },
  'data-subjects-notified': {
    // informedBy: the notification playbook's own line once the people are informed, however that was done.
    nl: (p, l) =>
      p.informedBy
        ? `Betrokkenen geïnformeerd ${({ email: 'per e-mail', letter: 'per brief', phone: 'per telefoon', 'public-communication': 'via een openbare mededeling' } as Record<string, string>)[str(p.informedBy)] ?? `via ${str(p.informedBy)}`} (${n(p.recipients, l)} ${Number(p.recipients) === 1 ? 'ontvanger' : 'ontvangers'}) op ${time(p.at, l)}`
        : p.ownChannel
          ? `Ongeveer ${n(p.approx, l)} betrokkenen geïnformeerd per ${({ email: 'e-mail', letter: 'brief', phone: 'telefoon' } as Record<string, string>)[str(p.ownChannel)] ?? str(p.ownChannel)} op ${time(p.at, l)}`
          : p.channel === 'public-communication'
            ? `Betrokkenen geïnformeerd via een openbare mededeling (art. 34 lid 3 onder c AVG) op ${time(p.at, l)}`
            : p.channel === 'email'
              ? `Betrokkenen geïnformeerd: ${n(p.sent, l)} van ${n(p.total, l)} verstuurd, ${n(p.failed, l)} mislukt, ${n(p.toPrint, l)} per post`
              : undefined,
    en: (p, l) =>
      p.informedBy
        ? `The people affected were informed by ${str(p.informedBy)} (${n(p.recipients, l)} recipient(s)) at ${time(p.at, l)}`
        : p.ownChannel
          ? `About ${n(p.approx, l)} data subject(s) informed by ${str(p.ownChannel)} at ${time(p.at, l)}`
          : p.channel === 'public-communication'
            ? `Data subjects informed by public communication (art. 34(3)(c)) at ${time(p.at, l)}`
            : p.channel === 'email'
              ? `Data subjects informed by email: ${n(p.sent, l)} of ${n(p.total, l)} sent, ${n(p.failed, l)} failed, ${n(p.toPrint, l)} to print`
              : undefined,
  },
  'data-subjects-not-required': {
    nl: () => 'De FG besloot dat de betrokkenen niet geïnformeerd hoeven te worden',
    en: () => 'The FG decided the people affected need not be informed',
  },
  'recipients-uploaded': {
    nl: (p, l) =>
      p.uploaded !== undefined ? `Lijst van betrokkenen aangeleverd: ${n(p.uploaded, l)} personen` : undefined,
    en: (p, l) => (p.uploaded !== undefined ? `Recipient list uploaded: ${n(p.uploaded, l)} people` : undefined),
  },
  'data-subjects-batch': {
    nl: (p, l) =>
      p.batch
        ? `Verzendronde ${n(p.batch, l)}: ${n(p.sent, l)} verstuurd, ${n(p.failed, l)} mislukt, ${n(p.toPrint, l)} per post; ${n(p.handled, l)} van ${n(p.total, l)} klaar`
        : undefined,
    en: (p, l) =>
      p.batch
        ? `Batch ${n(p.batch, l)}: ${n(p.sent, l)} sent, ${n(p.failed, l)} failed, ${n(p.toPrint, l)} to print; ${n(p.handled, l)} of ${n(p.total, l)} done`
        : undefined,
  },
  'aftercare-started': {
    // informed: false when the FG decided not to inform the people affected (the contact point only).
    nl: (p) =>
      p.informed === false
        ? 'Contactpunt voor vragen ingericht; de FG besloot de betrokkenen niet te informeren'
        : 'Contactpunt ingericht en betrokkenen geadviseerd',
    en: (p) =>
      p.informed === false
        ? 'Contact point set up for questions; the FG decided not to inform the people affected'
        : 'Contact point set up and advice given to the people affected',
  },
  'authority-not-required': {
    nl: () => 'De FG besloot het datalek niet bij de AP te melden (leidt waarschijnlijk niet tot een risico)',
    en: () => 'The FG decided not to notify the authority (unlikely to result in a risk)',
  },
  'contact-point': {
    nl: () => 'Contactpunt voor de betrokkenen ingericht',
    en: () => 'Contact point for the people affected set up',
  },
  'letter-written': {
    nl: (p, l) =>
      p.version
        ? `Brief aan de betrokkenen geschreven (versie ${n(p.version, l)}); wacht op goedkeuring van de FG`
        : undefined,
    en: (p, l) =>
      p.version
        ? `Letter to the people affected written (version ${n(p.version, l)}); waiting for the FG's approval`
        : undefined,
  },
  'letter-approved': {
    nl: (p, l) =>
      p.version
        ? `Brief versie ${n(p.version, l)} goedgekeurd door de FG; geschreven door ${str(p.writtenBy)} op ${time(p.writtenAt, l)}`
        : undefined,
    en: (p, l) =>
      p.version
        ? `Letter version ${n(p.version, l)} approved by the FG; written by ${str(p.writtenBy)} at ${time(p.writtenAt, l)}`
        : undefined,
  },
  'letter-sent-back': {
    nl: (p, l) => (p.version ? `Brief versie ${n(p.version, l)} door de FG teruggestuurd met opmerkingen` : undefined),
    en: (p, l) => (p.version ? `Letter version ${n(p.version, l)} sent back by the FG with remarks` : undefined),
  },
  'refused-unencrypted': {
    nl: (p, l) =>
      p.count !== undefined
        ? `${n(p.count, l)} ${Number(p.count) === 1 ? 'bericht' : 'berichten'} geweigerd: niet versleuteld met de sleutels van lekdicht`
        : undefined,
    en: (p, l) =>
      p.count !== undefined
        ? `${n(p.count, l)} message(s) refused: not encrypted with lekdicht's payload keys`
        : undefined,
  },
  'aftercare-follow-up': {
    nl: (p, l) =>
      p.round
        ? `Opvolging ${n(p.round, l)}: ${n(p.questions, l)} vragen, schade gemeld: ${yes(p.harm, l)}, verdere actie nodig: ${yes(p.further, l)}`
        : undefined,
    en: (p, l) =>
      p.round
        ? `Follow-up ${n(p.round, l)}: ${n(p.questions, l)} question(s), harm reported: ${yes(p.harm, l)}, further action needed: ${yes(p.further, l)}`
        : undefined,
  },
  'aftercare-continues': {
    nl: (p) => (p.note !== undefined ? `De nazorg loopt door: ${str(p.note)}` : undefined),
    en: (p) => (p.note !== undefined ? `Aftercare continues: ${str(p.note)}` : undefined),
  },
  'aftercare-finished': {
    nl: (p, l) =>
      p.followUps !== undefined ? `Nazorg afgesloten door de FG na ${n(p.followUps, l)} opvolging(en)` : undefined,
    en: (p, l) =>
      p.followUps !== undefined ? `Aftercare closed by the FG after ${n(p.followUps, l)} follow-up(s)` : undefined,
  },
  evaluated: {
    nl: (p, l) =>
      p.actions !== undefined
        ? `Evaluatie vastgelegd; aanpak nog actueel: ${yes(p.current, l)}; ${n(p.actions, l)} verbeteractie(s)`
        : undefined,
    en: (p, l) =>
      p.actions !== undefined
        ? `Lessons learned recorded; approach still current: ${yes(p.current, l)}; ${n(p.actions, l)} improvement action(s)`
        : undefined,
  },
  'improvements-done': {
    nl: (p, l) => (p.actions !== undefined ? `Alle ${n(p.actions, l)} verbeteractie(s) uitgevoerd` : undefined),
    en: (p, l) => (p.actions !== undefined ? `All ${n(p.actions, l)} improvement action(s) done` : undefined),
  },
  'final-record': {
    nl: () => 'Registerregel afgerond: feiten, gevolgen en genomen maatregelen (art. 33 lid 5 AVG)',
    en: () => 'Final register record written: facts, effects, remedial action (art. 33(5))',
  },
  closed: {
    nl: (p) =>
      p.outcome ? (p.outcome === 'breach' ? 'Datalek gesloten' : 'Beveiligingsincident gesloten') : undefined,
    en: (p) => (p.outcome ? (p.outcome === 'breach' ? 'Breach closed' : 'Security incident closed') : undefined),
  },
};

function decisionText(p: P, lang: Language): string {
  const nl = lang === 'nl';
  const authority = nl
    ? p.notifyAuthority
      ? 'melden bij de AP'
      : 'niet melden bij de AP'
    : p.notifyAuthority
      ? 'notify the authority'
      : 'do not notify the authority';
  const subjects = nl
    ? p.notifyDataSubjects
      ? 'betrokkenen informeren'
      : 'betrokkenen niet informeren'
    : p.notifyDataSubjects
      ? 'inform the data subjects'
      : 'do not inform the data subjects';
  const how = nl
    ? p.override
      ? 'wijkt af van het advies'
      : 'volgens het advies'
    : p.override
      ? 'overrides the suggestion'
      : 'as suggested';
  return `${authority}; ${subjects} (${how})`;
}

/** The entry in the reader's language, or undefined when it was recorded without the parameters it needs. */
export function timelineText(entry: Pick<TimelineEntry, 'kind' | 'params'>, lang: Language): string | undefined {
  const template = TEMPLATES[entry.kind]?.[lang];
  return template ? template(entry.params ?? {}, lang) : undefined;
}

/** A decision's summary in the reader's language (its justification, as written, follows); undefined for old ones. */
export function decisionSummary(decision: Decision, lang: Language): string | undefined {
  if (decision.kind === 'triage') {
    if (decision.isPersonalDataBreach === undefined) return undefined;
    return decision.isPersonalDataBreach
      ? lang === 'nl'
        ? 'Datalek met persoonsgegevens'
        : 'Personal-data breach'
      : lang === 'nl'
        ? 'Beveiligingsincident, geen datalek met persoonsgegevens'
        : 'Security incident, not a personal-data breach';
  }
  if (decision.notifyAuthority === undefined) return undefined;
  const text = decisionText(
    {
      notifyAuthority: decision.notifyAuthority,
      notifyDataSubjects: !!decision.notifyDataSubjects,
      override: !!decision.override,
    },
    lang,
  );
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.${decision.justification ? ` ${decision.justification}` : ''}`;
}
