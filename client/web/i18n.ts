import type { Phase, DeadlineStatus } from '../../domain/case';
import type { RegimeDeadlineKind } from '../../domain/regimes';
import type { SeverityBand } from '../../domain/severity';
import { ROLE_LABELS, type Role } from '../../domain/roles';
import { TASK_TITLES, type TaskKind, type TaskStatus } from '../../domain/tasks';

/** Every text a page shows, Dutch first (the default) and English; task titles and roles come from domain/. */
export type Lang = 'nl' | 'en';
export const LANGS: readonly Lang[] = ['nl', 'en'];

/** Anything but "en" is Dutch: a wrong or missing `lang` parameter must not break a page. */
export function parseLang(value: unknown): Lang {
  return value === 'en' ? 'en' : 'nl';
}

const nl = {
  appName: 'lekdicht',
  skipToContent: 'Naar de inhoud',
  mainNavigation: 'Hoofdmenu',
  navDashboard: 'Overzicht',
  navMyTasks: 'Mijn taken',
  navRegister: 'Register',
  logout: 'Uitloggen',
  loggedInAs: 'Ingelogd als',
  otherLanguage: 'English',
  otherLanguageLabel: 'Switch to English',
  footer: 'lekdicht: datalekken afhandelen volgens de procedure. Tijden in Nederlandse tijd (Europe/Amsterdam).',
  yes: 'Ja',
  no: 'Nee',
  unknown: 'Onbekend',
  notSet: 'Niet ingevuld',
  none: 'Geen',
  // dashboard
  dashboardTitle: 'Open datalekken',
  dashboardIntro: 'Gesorteerd op de tijd tot de eerstvolgende wettelijke termijn; de meest dringende staan bovenaan.',
  dashboardEmpty: 'Er zijn geen open datalekken.',
  colBreach: 'Datalek',
  colNextDeadline: 'Eerstvolgende termijn',
  colTimeLeft: 'Resterende tijd',
  colPhase: 'Fase',
  colSeverity: 'Ernst',
  colOpenTasks: 'Open taken',
  colSummary: 'Omschrijving',
  noDeadlineYet: 'Nog geen termijn: het moment van bekend worden is nog niet vastgesteld',
  urgencyLate: 'Te laat',
  urgencyCritical: 'Minder dan 12 uur',
  urgencySoon: 'Minder dan 24 uur',
  urgencyOk: 'Op schema',
  urgencyNone: 'Geen termijn',
  lateBy: 'te laat sinds',
  overdueTasks: (n: number) => `waarvan ${n} te laat`,
  units: { d: 'd', h: 'u', m: 'm', s: 's' },
  // breach page
  breachTitle: (id: string) => `Datalek ${id}`,
  sectionOverview: 'Overzicht',
  sectionDeadlines: 'Termijnen',
  sectionTasks: 'Taken',
  sectionFacts: 'Feiten',
  sectionAssessment: 'Ernst en advies',
  sectionDecisions: 'Besluiten',
  sectionNotifications: 'Meldingen',
  sectionEmails: 'Verzonden e-mails',
  sectionReports: 'Signalen',
  sectionTimeline: 'Tijdlijn',
  sectionDataSubjects: 'Betrokkenen informeren',
  phase: 'Fase',
  outcome: 'Uitkomst',
  openedAt: 'Geopend',
  closedAt: 'Gesloten',
  awareAt: 'Bekend sinds',
  severity: 'Ernst (ENISA)',
  score: 'score',
  suggestion: 'Advies van lekdicht',
  suggestNotifyAuthority: 'Melden bij de AP (art. 33)',
  suggestNotifyDataSubjects: 'Betrokkenen informeren (art. 34)',
  suggestPublicCommunication: 'Via een openbare mededeling (art. 34 lid 3 onder c)',
  reasons: 'Onderbouwing',
  noFacts: 'Nog geen feiten vastgelegd.',
  noneYet: 'Nog niets.',
  colKind: 'Soort',
  colDue: 'Uiterlijk',
  colStatus: 'Status',
  colMetAt: 'Voldaan op',
  colBasis: 'Grondslag',
  provisional: 'voorlopig',
  colTask: 'Taak',
  colRole: 'Rol',
  colAssignee: 'Toegewezen aan',
  colCompleted: 'Afgerond',
  overdue: 'Te laat',
  openTask: 'Open de taak',
  answer: 'Antwoord',
  colAt: 'Tijdstip',
  colBy: 'Door',
  colDecision: 'Besluit',
  override: 'Wijkt af van het advies',
  colTo: 'Aan',
  colRegime: 'Regeling',
  colNotificationPhase: 'Onderdeel',
  colReference: 'Kenmerk',
  colChannel: 'Kanaal',
  colLate: 'Te laat',
  reasonsForDelay: 'Redenen van vertraging',
  colPurpose: 'Doel',
  colRecipient: 'Ontvanger',
  colSubject: 'Onderwerp',
  colSource: 'Bron',
  colEventId: 'Kenmerk bij de bron',
  duplicate: 'dubbele melding',
  duplicatesOf: (count: number, source: string) =>
    `${count.toLocaleString('nl-NL')} dubbele melding${count === 1 ? '' : 'en'} van ${source}`,
  duplicatesBetween: 'eerste en laatste',
  dataSubjectsProgress: (p: { total: number; sent: number; failed: number; toPrint: number }) =>
    `${p.sent} van ${p.total} verzonden; ${p.toPrint} per post; ${p.failed} mislukt.`,
  notificationTo: {
    authority: 'Toezichthouder',
    'data-subjects': 'Betrokkenen',
    controller: 'Verwerkingsverantwoordelijke',
  },
  outcomes: { breach: 'Datalek', 'security-incident': 'Beveiligingsincident (geen datalek)' },
  decisionKinds: { triage: 'Beoordeling signaal', notification: 'Meldaanpak' },
  // my tasks
  myTasksTitle: 'Mijn taken',
  myTasksIntro: 'Open taken voor uw rollen, en taken waarvoor u vervanger bent; de eerst verlopende bovenaan.',
  myTasksEmpty: 'U heeft geen open taken.',
  dueIn: 'over',
  // task form
  taskFormIntro: 'Vul de velden in en rond de taak af. Velden zonder "(optioneel)" zijn verplicht.',
  optional: '(optioneel)',
  submit: 'Taak afronden',
  addRow: 'Nog een rij toevoegen',
  row: (label: string, n: number) => `${label} ${n}`,
  errorSummaryTitle: 'Er is een probleem',
  errorPrefix: 'Fout:',
  errorTitlePrefix: 'Fout: ',
  chooseOption: 'Kies…',
  timeHint: 'Nederlandse tijd (Europe/Amsterdam).',
  listHint: 'Eén per regel.',
  taskDone: 'Deze taak is al afgerond.',
  taskOf: (breachId: string) => `Taak in datalek ${breachId}`,
  backToBreach: 'Terug naar het datalek',
  taskCompleted: (title: string) => `Taak afgerond: ${title}.`,
  viaCli: (osUser: string, host: string) =>
    `namens deze persoon via de CLI, OS-gebruiker ${osUser} op ${host} (handeling van een beheerder)`,
  // error pages
  notFoundTitle: 'Niet gevonden',
  notFoundText: 'Deze pagina of dit datalek bestaat niet, of u heeft er geen toegang toe.',
  forbiddenTitle: 'Geen toegang',
  forbiddenText: 'Uw rol staat dit niet toe. Een vervanger of de FG kan het overnemen.',
  serverErrorTitle: 'Er ging iets mis',
  serverErrorText:
    'Er ging iets mis op de server; er is niets opgeslagen. Probeer het opnieuw. Blijft het misgaan, meld het dan bij de beheerder.',
  sessionExpiredTitle: 'Formulier verlopen',
  sessionExpiredText:
    'Het formulier was verlopen of kwam niet van deze site. Open de pagina opnieuw en probeer het nog eens.',
  serverSaid: 'Melding van de server',
  toDashboard: 'Naar het overzicht',
  // register
  registerTitle: 'Register van datalekken',
  registerIntro: 'Alle datalekken en beveiligingsincidenten, gemeld of niet (art. 33 lid 5 AVG).',
  filter: 'Filteren',
  filterLegend: 'Filter',
  periodFrom: 'Geopend vanaf',
  periodTo: 'Geopend tot en met',
  status: 'Status',
  all: 'Alle',
  registerStatus: {
    open: 'Open',
    'ended-outside': 'Buiten lekdicht beëindigd',
    closed: 'Gesloten',
    late: 'Te laat gemeld',
    'security-incident': 'Geen datalek',
  },
  endedOutsideHow: (status: string, run: string, cause: string) =>
    `${run}: ${status.toLowerCase()} (${cause}); de termijnen worden niet bewaakt`,
  downloadCsv: 'Download als CSV',
  registerEmpty: 'Geen datalekken die aan het filter voldoen.',
  registerCount: (n: number) => (n === 1 ? '1 datalek' : `${n} datalekken`),
  colAuthorityNotified: 'Gemeld bij de AP',
  colDataSubjectsNotified: 'Betrokkenen geïnformeerd',
  colDeadline: 'Meldtermijn',
  lateMarker: 'te laat',
  // errors (translated by issue code; the schema's own English words are the fallback)
  errors: {
    required: 'Dit veld is verplicht.',
    chooseYesNo: 'Kies ja of nee.',
    chooseOne: 'Kies een van de mogelijkheden.',
    chooseAtLeast: (n: number) => `Kies er minstens ${n}.`,
    number: 'Vul een getal in.',
    integer: 'Vul een geheel getal in.',
    atLeast: (n: number) => `Moet minstens ${n} zijn.`,
    atMost: (n: number) => `Mag hoogstens ${n} zijn.`,
    maxLength: (n: number) => `Gebruik hoogstens ${n} tekens.`,
    minLength: (n: number) => `Gebruik minstens ${n} tekens.`,
    maxItems: (n: number) => `Hoogstens ${n}.`,
    dateTime: 'Vul een geldige datum en tijd in.',
    email: 'Vul een geldig e-mailadres in.',
    mustCheck: 'Vink dit aan.',
    invalid: 'Deze waarde is niet geldig.',
  },
};

type Texts = typeof nl;

const en: Texts = {
  appName: 'lekdicht',
  skipToContent: 'Skip to content',
  mainNavigation: 'Main menu',
  navDashboard: 'Dashboard',
  navMyTasks: 'My tasks',
  navRegister: 'Register',
  logout: 'Log out',
  loggedInAs: 'Logged in as',
  otherLanguage: 'Nederlands',
  otherLanguageLabel: 'Schakel naar Nederlands',
  footer: 'lekdicht: handling personal-data breaches by the procedure. Times in Dutch time (Europe/Amsterdam).',
  yes: 'Yes',
  no: 'No',
  unknown: 'Unknown',
  notSet: 'Not filled in',
  none: 'None',
  dashboardTitle: 'Open breaches',
  dashboardIntro: 'Sorted by the time left to the next legal deadline; the most urgent first.',
  dashboardEmpty: 'There are no open breaches.',
  colBreach: 'Breach',
  colNextDeadline: 'Next deadline',
  colTimeLeft: 'Time left',
  colPhase: 'Phase',
  colSeverity: 'Severity',
  colOpenTasks: 'Open tasks',
  colSummary: 'Summary',
  noDeadlineYet: 'No deadline yet: the moment of awareness has not been set',
  urgencyLate: 'Late',
  urgencyCritical: 'Less than 12 hours',
  urgencySoon: 'Less than 24 hours',
  urgencyOk: 'On track',
  urgencyNone: 'No deadline',
  lateBy: 'late by',
  overdueTasks: (n: number) => `${n} overdue`,
  units: { d: 'd', h: 'h', m: 'm', s: 's' },
  breachTitle: (id: string) => `Breach ${id}`,
  sectionOverview: 'Overview',
  sectionDeadlines: 'Deadlines',
  sectionTasks: 'Tasks',
  sectionFacts: 'Facts',
  sectionAssessment: 'Severity and suggestion',
  sectionDecisions: 'Decisions',
  sectionNotifications: 'Notifications',
  sectionEmails: 'Emails sent',
  sectionReports: 'Signals',
  sectionTimeline: 'Timeline',
  sectionDataSubjects: 'Informing the people affected',
  phase: 'Phase',
  outcome: 'Outcome',
  openedAt: 'Opened',
  closedAt: 'Closed',
  awareAt: 'Aware since',
  severity: 'Severity (ENISA)',
  score: 'score',
  suggestion: "lekdicht's suggestion",
  suggestNotifyAuthority: 'Notify the authority (art. 33)',
  suggestNotifyDataSubjects: 'Inform the people affected (art. 34)',
  suggestPublicCommunication: 'By a public communication (art. 34(3)(c))',
  reasons: 'Reasons',
  noFacts: 'No facts recorded yet.',
  noneYet: 'Nothing yet.',
  colKind: 'Kind',
  colDue: 'Due',
  colStatus: 'Status',
  colMetAt: 'Met at',
  colBasis: 'Basis',
  provisional: 'provisional',
  colTask: 'Task',
  colRole: 'Role',
  colAssignee: 'Assigned to',
  colCompleted: 'Completed',
  overdue: 'Overdue',
  openTask: 'Open the task',
  answer: 'Answer',
  colAt: 'Time',
  colBy: 'By',
  colDecision: 'Decision',
  override: 'Departs from the suggestion',
  colTo: 'To',
  colRegime: 'Regime',
  colNotificationPhase: 'Part',
  colReference: 'Reference',
  colChannel: 'Channel',
  colLate: 'Late',
  reasonsForDelay: 'Reasons for the delay',
  colPurpose: 'Purpose',
  colRecipient: 'Recipient',
  colSubject: 'Subject',
  colSource: 'Source',
  colEventId: "Source's event id",
  duplicate: 'duplicate report',
  duplicatesOf: (count: number, source: string) =>
    `${count.toLocaleString('en-GB')} duplicate report${count === 1 ? '' : 's'} from ${source}`,
  duplicatesBetween: 'first and last',
  dataSubjectsProgress: (p: { total: number; sent: number; failed: number; toPrint: number }) =>
    `${p.sent} of ${p.total} sent; ${p.toPrint} by post; ${p.failed} failed.`,
  notificationTo: { authority: 'Authority', 'data-subjects': 'People affected', controller: 'Controller' },
  outcomes: { breach: 'Personal-data breach', 'security-incident': 'Security incident (not a breach)' },
  decisionKinds: { triage: 'Assessment of the signal', notification: 'Notification approach' },
  myTasksTitle: 'My tasks',
  myTasksIntro: 'Open tasks for your roles, and tasks you deputise for; the earliest due first.',
  myTasksEmpty: 'You have no open tasks.',
  dueIn: 'in',
  taskFormIntro: 'Fill in the fields and complete the task. Fields without "(optional)" are required.',
  optional: '(optional)',
  submit: 'Complete task',
  addRow: 'Add another row',
  row: (label: string, n: number) => `${label} ${n}`,
  errorSummaryTitle: 'There is a problem',
  errorPrefix: 'Error:',
  errorTitlePrefix: 'Error: ',
  chooseOption: 'Choose…',
  timeHint: 'Dutch time (Europe/Amsterdam).',
  listHint: 'One per line.',
  taskDone: 'This task has been completed.',
  taskOf: (breachId: string) => `Task in breach ${breachId}`,
  backToBreach: 'Back to the breach',
  taskCompleted: (title: string) => `Task completed: ${title}.`,
  viaCli: (osUser: string, host: string) => `on their behalf via the CLI, OS user ${osUser} on ${host} (operator act)`,
  // error pages
  notFoundTitle: 'Not found',
  notFoundText: 'This page or breach does not exist, or you do not have access to it.',
  forbiddenTitle: 'No access',
  forbiddenText: 'Your role does not allow this. A deputy or the DPO can take it over.',
  serverErrorTitle: 'Something went wrong',
  serverErrorText:
    'Something went wrong on the server; nothing was saved. Please try again. If it keeps failing, tell the administrator.',
  sessionExpiredTitle: 'Form expired',
  sessionExpiredText: 'The form had expired or did not come from this site. Open the page again and retry.',
  serverSaid: 'Message from the server',
  toDashboard: 'To the overview',
  registerTitle: 'Breach register',
  registerIntro: 'Every breach and security incident, notified or not (GDPR art. 33(5)).',
  filter: 'Filter',
  filterLegend: 'Filter',
  periodFrom: 'Opened from',
  periodTo: 'Opened up to and including',
  status: 'Status',
  all: 'All',
  registerStatus: {
    open: 'Open',
    'ended-outside': 'Ended outside lekdicht',
    closed: 'Closed',
    late: 'Notified late',
    'security-incident': 'Not a breach',
  },
  endedOutsideHow: (status: string, run: string, cause: string) =>
    `${run}: ${status.toLowerCase()} (${cause}); its deadlines are not watched`,
  downloadCsv: 'Download as CSV',
  registerEmpty: 'No breaches match the filter.',
  registerCount: (n: number) => (n === 1 ? '1 breach' : `${n} breaches`),
  colAuthorityNotified: 'Authority notified',
  colDataSubjectsNotified: 'People informed',
  colDeadline: 'Notification deadline',
  lateMarker: 'late',
  errors: {
    required: 'This field is required.',
    chooseYesNo: 'Choose yes or no.',
    chooseOne: 'Choose one of the options.',
    chooseAtLeast: (n: number) => `Choose at least ${n}.`,
    number: 'Enter a number.',
    integer: 'Enter a whole number.',
    atLeast: (n: number) => `Must be at least ${n}.`,
    atMost: (n: number) => `Must be at most ${n}.`,
    maxLength: (n: number) => `Use at most ${n} characters.`,
    minLength: (n: number) => `Use at least ${n} characters.`,
    maxItems: (n: number) => `At most ${n}.`,
    dateTime: 'Enter a valid date and time.',
    email: 'Enter a valid email address.',
    mustCheck: 'Tick this box.',
    invalid: 'This value is not valid.',
  },
};

export const TEXTS: Record<Lang, Texts> = { nl, en };

export function texts(lang: Lang): Texts {
  return TEXTS[lang];
}

export const PHASE_LABELS: Record<Phase, Record<Lang, string>> = {
  triage: { nl: 'Beoordeling signaal', en: 'Triage' },
  'first-picture': { nl: 'Eerste beeldvorming', en: 'First picture' },
  containment: { nl: 'Beperken', en: 'Containment' },
  impact: { nl: 'Impact bepalen', en: 'Impact' },
  decision: { nl: 'Meldaanpak', en: 'Decision' },
  notification: { nl: 'Melden', en: 'Notification' },
  aftercare: { nl: 'Nazorg', en: 'Aftercare' },
  evaluation: { nl: 'Evaluatie', en: 'Evaluation' },
  closed: { nl: 'Gesloten', en: 'Closed' },
};

export const BAND_LABELS: Record<SeverityBand, Record<Lang, string>> = {
  low: { nl: 'Laag', en: 'Low' },
  medium: { nl: 'Gemiddeld', en: 'Medium' },
  high: { nl: 'Hoog', en: 'High' },
  'very-high': { nl: 'Zeer hoog', en: 'Very high' },
};

export const DEADLINE_LABELS: Record<RegimeDeadlineKind, Record<Lang, string>> = {
  'gdpr-authority': { nl: 'Melding AP (72 uur)', en: 'Authority notification (72 hours)' },
  'data-subjects': { nl: 'Betrokkenen informeren', en: 'Inform the people affected' },
  'processor-controller': { nl: 'Verwerker meldt aan verantwoordelijke', en: 'Processor tells the controller' },
  'nis2-early-warning': { nl: 'NIS2 vroegtijdige waarschuwing', en: 'NIS2 early warning' },
  'nis2-notification': { nl: 'NIS2 incidentmelding', en: 'NIS2 incident notification' },
  'nis2-final-report': { nl: 'NIS2 eindverslag', en: 'NIS2 final report' },
  'dora-initial': { nl: 'DORA eerste melding', en: 'DORA initial notification' },
  'dora-intermediate': { nl: 'DORA tussentijds verslag', en: 'DORA intermediate report' },
  'dora-final': { nl: 'DORA eindverslag', en: 'DORA final report' },
};

export const DEADLINE_STATUS_LABELS: Record<DeadlineStatus, Record<Lang, string>> = {
  pending: { nl: 'Loopt', en: 'Pending' },
  met: { nl: 'Voldaan', en: 'Met' },
  late: { nl: 'Te laat', en: 'Late' },
  'not-required': { nl: 'Niet nodig', en: 'Not required' },
};

export const TASK_STATUS_LABELS: Record<TaskStatus, Record<Lang, string>> = {
  open: { nl: 'Open', en: 'Open' },
  done: { nl: 'Afgerond', en: 'Done' },
  cancelled: { nl: 'Vervallen', en: 'Cancelled' },
};

export function taskTitle(kind: TaskKind, lang: Lang): string {
  return TASK_TITLES[kind][lang];
}

export function roleLabel(role: string, lang: Lang): string {
  return (ROLE_LABELS as Record<string, { nl: string; en: string } | undefined>)[role as Role]?.[lang] ?? role;
}

/**
 * Labels of answer fields by path (array indices left out); `kind:path` wins over `path`, then the last
 * segment, so "measures.secure-evidence.note" finds "note".
 */
const FIELD_LABELS: Record<string, Record<Lang, string>> = {
  isPersonalDataBreach: {
    nl: 'Is dit een datalek (inbreuk op persoonsgegevens)?',
    en: 'Is this a personal-data breach?',
  },
  awareAt: { nl: 'Sinds wanneer is de organisatie op de hoogte?', en: 'Since when has the organisation been aware?' },
  reasoning: { nl: 'Onderbouwing', en: 'Reasoning' },
  location: { nl: 'Waar deed het lek zich voor?', en: 'Where did it happen?' },
  systems: { nl: 'Betrokken systemen', en: 'Systems involved' },
  physicalMedia: { nl: 'Fysieke gegevensdragers', en: 'Physical media' },
  'physicalMedia.lost': {
    nl: 'Zijn fysieke gegevensdragers (laptop, USB-stick, papier) verloren of gestolen?',
    en: 'Were physical media (laptop, USB stick, paper) lost or stolen?',
  },
  'physicalMedia.description': { nl: 'Omschrijving van de gegevensdragers', en: 'Description of the media' },
  dataCategories: { nl: 'Soorten persoonsgegevens', en: 'Kinds of personal data' },
  approxPeople: { nl: 'Ongeveer hoeveel betrokkenen?', en: 'About how many people?' },
  approxRecords: { nl: 'Ongeveer hoeveel records?', en: 'About how many records?' },
  cause: { nl: 'Oorzaak', en: 'Cause' },
  intentional: { nl: 'Opzettelijk veroorzaakt?', en: 'Caused on purpose?' },
  stillLeaking: { nl: 'Lekken er nog persoonsgegevens?', en: 'Is personal data still leaking?' },
  protection: { nl: 'Beveiliging van de gegevens', en: 'Protection of the data' },
  'protection.encrypted': { nl: 'Waren de gegevens versleuteld?', en: 'Was the data encrypted?' },
  'protection.hashed': { nl: 'Waren de gegevens gehasht?', en: 'Was the data hashed?' },
  'protection.keySafe': {
    nl: 'Is de sleutel buiten bereik van wie de gegevens heeft?',
    en: 'Is the key out of reach of whoever has the data?',
  },
  backup: { nl: 'Back-up', en: 'Backup' },
  'backup.available': {
    nl: 'Kunnen de gegevens uit een back-up worden hersteld?',
    en: 'Can the data be restored from a backup?',
  },
  'backup.restoreHours': { nl: 'Hersteltijd in uren', en: 'Restore time in hours' },
  exfiltration: { nl: 'Zijn de gegevens meegenomen (exfiltratie)?', en: 'Was the data taken (exfiltration)?' },
  recipients: { nl: 'Wie heeft de gegevens ontvangen of kunnen zien?', en: 'Who received or could see the data?' },
  crossBorder: {
    nl: 'Zijn betrokkenen of vestigingen in andere EU-landen betrokken?',
    en: 'Are people or establishments in other EU countries involved?',
  },
  processorInvolved: { nl: 'Gebeurde het bij een verwerker?', en: 'Did it happen at a processor?' },
  contactDetailsKnown: {
    nl: 'Hebben we een e-mail- of postadres van de betrokkenen?',
    en: 'Do we have an email or postal address for the people affected?',
  },
  impact: {
    nl: 'Verlies van beschikbaarheid, integriteit, vertrouwelijkheid',
    en: 'Loss of confidentiality, integrity, availability',
  },
  'impact.confidentiality': { nl: 'Vertrouwelijkheid', en: 'Confidentiality' },
  'impact.integrity': { nl: 'Integriteit', en: 'Integrity' },
  'impact.availability': { nl: 'Beschikbaarheid', en: 'Availability' },
  identifiability: { nl: 'Identificeerbaarheid van de betrokkenen', en: 'Ease of identification' },
  context: { nl: 'Bijstelling voor de context (ENISA)', en: 'Context adjustment (ENISA)' },
  'context.adjustment': { nl: 'Bijstelling', en: 'Adjustment' },
  'context.reason': { nl: 'Reden van de bijstelling', en: 'Reason for the adjustment' },
  summary: { nl: 'Samenvatting: wat is er gebeurd?', en: 'Summary: what happened?' },
  measures: { nl: 'Maatregelen (checklist)', en: 'Measures (checklist)' },
  'measures.secure-evidence': { nl: 'Bewijs veiligstellen (eerst)', en: 'Secure evidence (first)' },
  'measures.controlled-shutdown': {
    nl: 'Gecontroleerd afsluiten van het systeem',
    en: 'Controlled shutdown of the system',
  },
  'measures.disconnect-network': { nl: 'Loskoppelen van het netwerk', en: 'Disconnect from the network' },
  'measures.adjust-firewall': { nl: 'Firewall aanpassen', en: 'Adjust the firewall' },
  'measures.block-accounts': { nl: 'Gebruikersaccounts blokkeren', en: 'Block user accounts' },
  'measures.change-passwords': { nl: 'Wachtwoorden wijzigen', en: 'Change passwords' },
  'measures.agree-with-ict': {
    nl: 'Met ICT afspreken hoe het lek gedicht wordt',
    en: 'Agree with ICT how to stop the leak',
  },
  status: { nl: 'Status', en: 'Status' },
  note: { nl: 'Toelichting', en: 'Note' },
  contained: { nl: 'Is het lek gedicht?', en: 'Is the leak stopped?' },
  dataLeaked: { nl: 'Welke gegevens zijn gelekt?', en: 'Which data leaked?' },
  impactOnPeople: { nl: 'Impact op de betrokkenen', en: 'Impact on the people concerned' },
  impactOnOrganisation: { nl: 'Impact op de organisatie', en: 'Impact on the organisation' },
  riskToPeople: { nl: 'Risico voor de betrokkenen', en: 'Risk to the people concerned' },
  notifyAuthority: { nl: 'Melden bij de Autoriteit Persoonsgegevens?', en: 'Notify the supervisory authority (AP)?' },
  notifyDataSubjects: { nl: 'Betrokkenen informeren?', en: 'Inform the people affected?' },
  dataSubjectsBy: { nl: 'Hoe worden de betrokkenen geïnformeerd?', en: 'How are the people affected informed?' },
  justification: { nl: 'Onderbouwing van het besluit', en: 'Justification of the decision' },
  notifiedAt: { nl: 'Wanneer is de melding gedaan?', en: 'When was the notification made?' },
  'authority-notification:reference': { nl: 'Meldnummer van de AP', en: "The AP's reference number" },
  reasonsForDelay: {
    nl: 'Redenen van de vertraging (bij een late melding)',
    en: 'Reasons for the delay (for a late notification)',
  },
  channel: { nl: 'Kanaal', en: 'Channel' },
  approxRecipients: {
    nl: 'Ongeveer hoeveel betrokkenen zijn geïnformeerd?',
    en: 'About how many people were informed?',
  },
  uploaded: { nl: 'Aantal aangeleverde betrokkenen', en: 'Number of people uploaded' },
  publishedAt: { nl: 'Wanneer is de mededeling gepubliceerd?', en: 'When was it published?' },
  'public-communication:reference': {
    nl: 'Vindplaats (link of kenmerk)',
    en: 'Where it can be found (link or reference)',
  },
  reference: { nl: 'Kenmerk', en: 'Reference' },
  contactPoint: { nl: 'Contactpunt voor betrokkenen', en: 'Contact point for the people affected' },
  adviceGiven: { nl: 'Gegeven advies', en: 'Advice given' },
  questionsReceived: { nl: 'Aantal ontvangen vragen', en: 'Questions received' },
  harmReported: { nl: 'Is schade of misbruik gemeld?', en: 'Was harm or misuse reported?' },
  furtherActionNeeded: { nl: 'Zijn verdere acties nodig?', en: 'Is further action needed?' },
  close: { nl: 'Kan de nazorg worden afgesloten?', en: 'Can aftercare end?' },
  lessonsLearned: { nl: 'Geleerde lessen', en: 'Lessons learned' },
  improvementActions: { nl: 'Verbeteracties', en: 'Improvement actions' },
  'improvementActions.item': { nl: 'Verbeteractie', en: 'Improvement action' },
  'improvementActions.description': { nl: 'Omschrijving', en: 'Description' },
  'improvementActions.owner': { nl: 'Eigenaar (e-mailadres)', en: 'Owner (email address)' },
  'improvementActions.due': { nl: 'Uiterlijk', en: 'Due' },
  approachStillCurrent: { nl: 'Is de aanpak nog actueel?', en: 'Is the approach still current?' },
  outcome: { nl: 'Uitkomst', en: 'Outcome' },
  done: { nl: 'De verbeteractie is uitgevoerd', en: 'The improvement action is done' },
};

/** Help texts shown under a field, where the label alone does not say enough. */
const FIELD_HINTS: Record<string, Record<Lang, string>> = {
  awareAt: {
    nl: 'Het moment van redelijke zekerheid dat persoonsgegevens zijn getroffen; vanaf dan loopt de meldtermijn van 72 uur. Mag vóór het signaal liggen.',
    en: 'The moment of reasonable certainty that personal data was compromised; the 72-hour deadline runs from then. May lie before the signal.',
  },
  'measures.secure-evidence': {
    nl: 'Stel eerst bewijs veilig, vóór andere maatregelen.',
    en: 'Secure evidence before any other measure.',
  },
  reasonsForDelay: {
    nl: 'Verplicht als de termijn van 72 uur al verstreken is (art. 33 lid 1 AVG).',
    en: 'Required when the 72-hour deadline has passed (GDPR art. 33(1)).',
  },
  improvementActions: { nl: 'Lege rijen worden genegeerd.', en: 'Empty rows are ignored.' },
  'context.adjustment': {
    nl: '-1: minder gevoelig door de context; +1: gevoeliger. Bij -1 of +1 is een reden verplicht.',
    en: '-1: less sensitive in context; +1: more. A reason is required for -1 or +1.',
  },
};

const lookup = (
  table: Record<string, Record<Lang, string>>,
  kind: string,
  path: string,
): Record<Lang, string> | undefined => {
  const general = path
    .split('.')
    .filter((s) => !/^\d+$/.test(s))
    .join('.');
  return table[`${kind}:${general}`] ?? table[general];
};

export function fieldLabel(kind: string, path: string, lang: Lang): string {
  const found = lookup(FIELD_LABELS, kind, path) ?? FIELD_LABELS[path.split('.').at(-1) ?? ''];
  if (found) return found[lang];
  const last = path.split('.').at(-1) ?? path;
  return last
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/-/g, ' ')
    .replace(/^./, (c) => c.toUpperCase());
}

export function fieldHint(kind: string, path: string, lang: Lang): string | undefined {
  return lookup(FIELD_HINTS, kind, path)?.[lang];
}

/** Labels of enum values in answers and facts; the same word means the same in every field that uses it. */
const VALUE_LABELS: Record<string, Record<Lang, string>> = {
  inside: { nl: 'Binnen de organisatie', en: 'Inside the organisation' },
  outside: { nl: 'Buiten de organisatie', en: 'Outside the organisation' },
  both: { nl: 'Beide', en: 'Both' },
  unknown: { nl: 'Onbekend', en: 'Unknown' },
  ordinary: {
    nl: 'Gewone persoonsgegevens (naam, adres, contactgegevens)',
    en: 'Ordinary personal data (name, address, contact details)',
  },
  special: {
    nl: 'Bijzondere persoonsgegevens (art. 9: gezondheid, religie, …)',
    en: 'Special categories (art. 9: health, religion, …)',
  },
  criminal: { nl: 'Strafrechtelijke gegevens (art. 10)', en: 'Criminal-law data (art. 10)' },
  'national-id': { nl: 'BSN of ander identificatienummer', en: 'BSN or other national id number' },
  financial: { nl: 'Financiële gegevens', en: 'Financial data' },
  credentials: { nl: 'Inloggegevens', en: 'Login credentials' },
  location: { nl: 'Locatiegegevens', en: 'Location data' },
  'communications-content': { nl: 'Inhoud van communicatie', en: 'Content of communications' },
  children: { nl: 'Gegevens van kinderen', en: "Children's data" },
  'wrong-recipient': { nl: 'Verkeerde ontvanger', en: 'Wrong recipient' },
  'loss-or-theft': { nl: 'Verlies of diefstal', en: 'Loss or theft' },
  'abuse-of-authorisation': { nl: 'Misbruik van bevoegdheden', en: 'Abuse of authorisation' },
  attack: { nl: 'Aanval (hack, phishing, ransomware)', en: 'Attack (hack, phishing, ransomware)' },
  'technical-failure': { nl: 'Technisch falen', en: 'Technical failure' },
  other: { nl: 'Anders', en: 'Other' },
  none: { nl: 'Geen', en: 'None' },
  limited: { nl: 'Beperkt', en: 'Limited' },
  significant: { nl: 'Aanzienlijk', en: 'Significant' },
  negligible: { nl: 'Verwaarloosbaar', en: 'Negligible' },
  maximum: { nl: 'Maximaal', en: 'Maximum' },
  excluded: { nl: 'Uitgesloten', en: 'Excluded' },
  suspected: { nl: 'Vermoed', en: 'Suspected' },
  confirmed: { nl: 'Bevestigd', en: 'Confirmed' },
  'trusted-confidential': {
    nl: 'Een vertrouwde ontvanger met geheimhoudingsplicht',
    en: 'A trusted recipient bound to confidentiality',
  },
  public: { nl: 'Openbaar', en: 'The public' },
  done: { nl: 'Gedaan', en: 'Done' },
  'not-applicable': { nl: 'Niet van toepassing', en: 'Not applicable' },
  pending: { nl: 'Nog te doen', en: 'Pending' },
  unlikely: { nl: 'Onwaarschijnlijk', en: 'Unlikely' },
  risk: { nl: 'Risico', en: 'Risk' },
  high: { nl: 'Hoog risico', en: 'High risk' },
  'own-channel': { nl: 'Via een eigen kanaal van de organisatie', en: "Through the organisation's own channel" },
  lekdicht: { nl: 'Met brieven van lekdicht (lijst aanleveren)', en: "With lekdicht's letters (upload a list)" },
  'public-communication': { nl: 'Openbare mededeling', en: 'Public communication' },
  email: { nl: 'E-mail', en: 'Email' },
  letter: { nl: 'Brief', en: 'Letter' },
  phone: { nl: 'Telefoon', en: 'Phone' },
  '-1': { nl: '-1 (minder gevoelig)', en: '-1 (less sensitive)' },
  '0': { nl: '0 (geen bijstelling)', en: '0 (no adjustment)' },
  '1': { nl: '+1 (gevoeliger)', en: '+1 (more sensitive)' },
};

export function valueLabel(value: string | number, lang: Lang): string {
  return VALUE_LABELS[String(value)]?.[lang] ?? String(value);
}
