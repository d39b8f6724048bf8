import type { DeadlineStatus, Phase } from './case';
import type { Language, Wording } from './language';
import type { RegimeDeadlineKind } from './regimes/deadlines';
import type { Role } from './roles';
import type { SeverityBand } from './severity';
import type { TaskKind, TaskStatus } from './tasks';

/**
 * The one label table per enum that people read: pages, emails, letters and the CLI take their words from here,
 * so a phase, a band or a deadline is called the same everywhere.
 */

export const PHASE_LABELS: Record<Phase, Wording> = {
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

/** ENISA's severity bands (domain/severity.ts). */
export const BAND_LABELS: Record<SeverityBand, Wording> = {
  low: { nl: 'Laag', en: 'Low' },
  medium: { nl: 'Gemiddeld', en: 'Medium' },
  high: { nl: 'Hoog', en: 'High' },
  'very-high': { nl: 'Zeer hoog', en: 'Very high' },
};

/** "very high": a band inside an English sentence (the CLI, the decision's reasons). */
export function bandInEnglish(band: SeverityBand): string {
  return BAND_LABELS[band].en.toLowerCase();
}

/** Every legal clock (domain/regimes/deadlines.ts): RegimeDeadline.label, emails and pages use these words. */
export const DEADLINE_LABELS: Record<RegimeDeadlineKind, Wording> = {
  'gdpr-authority': {
    nl: 'Melding aan de Autoriteit Persoonsgegevens',
    en: 'Notification to the Dutch DPA (Autoriteit Persoonsgegevens)',
  },
  'data-subjects': { nl: 'Betrokkenen informeren', en: 'Inform the people affected' },
  'processor-controller': { nl: 'Melding aan de verwerkingsverantwoordelijke', en: 'Notify the controller' },
  'nis2-early-warning': { nl: 'NIS2 vroegtijdige waarschuwing', en: 'NIS2 early warning' },
  'nis2-notification': { nl: 'NIS2 incidentmelding', en: 'NIS2 incident notification' },
  'nis2-final-report': { nl: 'NIS2 eindverslag', en: 'NIS2 final report' },
  'dora-initial': { nl: 'DORA initiële melding', en: 'DORA initial notification' },
  'dora-intermediate': { nl: 'DORA tussentijds rapport', en: 'DORA intermediate report' },
  'dora-final': { nl: 'DORA eindrapport', en: 'DORA final report' },
};

export const DEADLINE_STATUS_LABELS: Record<DeadlineStatus, Wording> = {
  pending: { nl: 'Loopt', en: 'Pending' },
  met: { nl: 'Voldaan', en: 'Met' },
  late: { nl: 'Te laat', en: 'Late' },
  'not-required': { nl: 'Niet nodig', en: 'Not required' },
};

export const TASK_STATUS_LABELS: Record<TaskStatus, Wording> = {
  open: { nl: 'Open', en: 'Open' },
  done: { nl: 'Afgerond', en: 'Done' },
  cancelled: { nl: 'Vervallen', en: 'Cancelled' },
};

export const ROLE_LABELS: Record<Role, Wording> = {
  fg: { nl: 'Functionaris Gegevensbescherming (FG)', en: 'Data protection officer (DPO)' },
  ciso: { nl: 'CISO', en: 'CISO' },
  'process-owner': { nl: 'Proceseigenaar', en: 'Process owner' },
  ict: { nl: 'ICT-beheer', en: 'ICT management' },
  legal: { nl: 'Juridische zaken', en: 'Legal' },
  finance: { nl: 'Financiën', en: 'Finance' },
  communications: { nl: 'Communicatie', en: 'Communications' },
  kcc: { nl: 'Klantcontactcentrum (KCC)', en: 'Customer contact centre' },
  processor: { nl: 'Verwerker', en: 'Processor' },
  'executive-sponsor': { nl: 'Bestuurlijk sponsor', en: 'Executive sponsor' },
  hr: { nl: 'HR / P&O', en: 'HR' },
  'business-continuity': { nl: 'Bedrijfscontinuïteit', en: 'Business continuity' },
};

export const TASK_TITLES: Record<TaskKind, Wording> = {
  triage: {
    nl: 'Beoordeel het signaal: is er sprake van een datalek?',
    en: 'Assess the signal: is this a personal-data breach?',
  },
  'first-picture': {
    nl: 'Eerste beeldvorming: waar, welke gegevens, oorzaak, lekt het nog?',
    en: 'First picture: where, what data, cause, still leaking?',
  },
  containment: {
    nl: 'Beperk het incident (stel eerst bewijs veilig)',
    en: 'Contain the incident (secure evidence first)',
  },
  'containment-confirmation': { nl: 'Bevestig dat het lek gedicht is', en: 'Confirm that the leak is stopped' },
  impact: {
    nl: 'Bepaal de impact op betrokkenen en organisatie',
    en: 'Determine the impact on the people concerned and the organisation',
  },
  'notification-decision': {
    nl: 'Besluit over de melding (AP en betrokkenen)',
    en: 'Decide on notification (authority and data subjects)',
  },
  'authority-notification': {
    nl: 'Meld het datalek bij de AP en leg het meldnummer vast',
    en: 'Notify the AP and record its reference number',
  },
  'data-subject-notification': { nl: 'Informeer de betrokkenen', en: 'Inform the data subjects' },
  'recipient-list': {
    nl: 'Lever de lijst van betrokkenen aan (naam, e-mail of postadres)',
    en: 'Upload the list of data subjects (name, email or postal address)',
  },
  'public-communication': {
    nl: 'Informeer de betrokkenen via een openbare mededeling',
    en: 'Inform the data subjects through a public communication',
  },
  'contact-point': {
    nl: 'Richt het contactpunt voor betrokkenen in',
    en: 'Set up the contact point for the people affected',
  },
  letter: {
    nl: 'Schrijf de brief aan de betrokkenen (art. 34 AVG)',
    en: 'Write the letter to the people affected (GDPR art. 34)',
  },
  'letter-approval': {
    nl: 'Keur de brief aan de betrokkenen goed (of stuur hem terug)',
    en: 'Approve the letter to the people affected (or send it back)',
  },
  aftercare: {
    nl: 'Nazorg: richt een contactpunt in en adviseer betrokkenen',
    en: 'Aftercare: set up a contact point and advise the people affected',
  },
  'aftercare-follow-up': {
    nl: 'Nazorg: opvolging bij betrokkenen',
    en: 'Aftercare: follow up with the people affected',
  },
  'aftercare-close': { nl: 'Nazorg: kan de nazorg worden afgesloten?', en: 'Aftercare: can aftercare end?' },
  evaluation: {
    nl: 'Evalueer de afhandeling en leg verbeteracties vast',
    en: 'Evaluate the handling and record improvement actions',
  },
  'improvement-action': { nl: 'Voer de verbeteractie uit', en: 'Carry out the improvement action' },
  'organisation-interest': { nl: 'Borg het organisatiebelang', en: "Protect the organisation's interest" },
};

export function taskTitle(kind: TaskKind, lang: Language): string {
  return TASK_TITLES[kind][lang];
}

export function roleLabel(role: string, lang: Language): string {
  return (ROLE_LABELS as Record<string, Wording | undefined>)[role as Role]?.[lang] ?? role;
}

/** The evaluation's "approach still current? no" becomes this improvement action for the FG (task id procedure-review). */
export const PROCEDURE_REVIEW: Record<'title' | 'detail', Record<Language, string>> = {
  title: { nl: 'Werk de datalekprocedure bij', en: 'Update the data breach procedure' },
  detail: {
    nl: 'De evaluatie van dit datalek zegt dat de aanpak niet meer actueel is: pas de procedure aan en leg vast wat er veranderd is.',
    en: 'The evaluation of this breach says the approach is no longer current: update the procedure and record what changed.',
  },
};
