import type { DomainErrorCode, ErrorParams } from '../../domain/errors';
import { roleLabel, TASK_STATUS_LABELS } from '../../domain/labels';
import type { Language, Wording } from '../../domain/language';
import { formatDateTime } from './time';

/**
 * Dutch for the domain's refusals, by their code (domain/errors.ts), never by their English words: those may
 * change for the logs, the API and the CLI without a page noticing. An English page shows the domain's own
 * message, which already names the problem; every code has its Dutch, so a new rule cannot go untranslated.
 */
const DOMAIN_ERRORS_NL: Record<DomainErrorCode, (params: ErrorParams) => string> = {
  'awareness-required': () => 'Verplicht bij een datalek: sinds wanneer is de organisatie op de hoogte?',
  'awareness-in-future': () =>
    'Dit moment ligt in de toekomst: vul het moment in waarop de organisatie op de hoogte raakte.',
  'not-a-date-time': () => 'Vul een geldige datum en tijd in.',
  'measure-note-required': () => 'Verplicht als een maatregel niet van toepassing is: zeg waarom.',
  'evidence-first': () => 'Stel eerst het bewijs veilig: dat staat nog open terwijl andere maatregelen al gedaan zijn.',
  'key-safe-without-protection': () => 'Geldt alleen als de gegevens versleuteld of gehasht waren.',
  'context-reason-required': () =>
    'Verplicht als de bijstelling niet 0 is: zeg wat de gegevens in deze context meer of minder gevoelig maakt.',
  'backup-kind-without-backup': () => 'Geldt alleen als er een back-up is.',
  'ended-before-started': () =>
    'Dit moment ligt vóór het begin van het datalek: een datalek kan niet eindigen voordat het begon.',
  'people-per-category-unknown': () =>
    'Deze soort gegevens staat niet bij de soorten gegevens van dit datalek: kies hem daar eerst.',
  'people-per-category-too-many': () =>
    'Dit zijn meer mensen dan het aantal betrokkenen: het kan er hoogstens evenveel zijn.',
  'lead-authority-not-cross-border': () => 'Geldt alleen bij grensoverschrijdende verwerking: zet die eerst op ja.',
  'recipient-count-without-recipients': () => 'Er zijn geen ontvangers vastgelegd: kies eerst wie de gegevens kreeg.',
  'data-categories-empty': () => 'Kies minstens één soort gegevens.',
  'recipient-list-empty': () => 'Moet minstens 1 zijn: lever eerst de lijst aan (npx lekdicht recipients upload).',
  'improvement-action-not-done': () => 'Vink dit aan: rond de actie af als die is uitgevoerd.',
  'letter-remarks-required': () => 'Verplicht als u de brief terugstuurt: zeg wat er anders moet.',
  'task-not-found': (p) => `Deze taak (${p.taskId}) bestaat niet in dit datalek.`,
  'task-not-open': (p) =>
    `Deze taak (${p.taskId}) staat niet meer open: ${statusLabel(p.status).toLowerCase()}. Er is niets opgeslagen.`,
  'owner-not-in-directory': (p) =>
    `${p.owner} staat niet in het adresboek: kies de eigenaar uit de lijst, zodat die kan inloggen en de taak krijgt.`,
  'actor-unknown': (p) => `${p.actor} staat niet in de directory.`,
  'actor-lacks-role': (p) => `${p.actor} heeft niet de rol die hiervoor nodig is: ${rolesLabel(p.roles)}.`,
  'actor-not-on-team': (p) =>
    `${p.actor} hoort niet bij het datalekteam (FG, CISO, proceseigenaar) en is geen vervanger van een van hen.`,
  'reasons-for-delay-required': (p) =>
    `Geef de redenen van de vertraging: de melding kwam na de termijn van 72 uur (${formatDateTime(String(p.deadline), 'nl')}; art. 33 lid 1 AVG).`,
};

/** Roles as the `roles` parameter gives them ("fg,ciso"), in words: "FG of CISO". */
function rolesLabel(roles: string | number | undefined): string {
  return String(roles)
    .split(',')
    .map((role) => roleLabel(role, 'nl'))
    .join(' of ');
}

function statusLabel(status: string | number | undefined): string {
  return (TASK_STATUS_LABELS as Record<string, Wording | undefined>)[String(status)]?.nl ?? String(status);
}

/** A refusal as the page's reader reads it: in Dutch by its code, in English the domain's own words as given. */
export function domainErrorText(code: DomainErrorCode, params: ErrorParams, lang: Language, english: string): string {
  return lang === 'nl' ? DOMAIN_ERRORS_NL[code](params) : english;
}

/**
 * The answer field a refusal from the workflow's validator is about, as the task form names its fields
 * ("notifiedAt", "measures.secure-evidence.status"): the validator names it first, "answer.notifiedAt: …".
 * '' (the top of the form) when it names none, or more than one problem.
 */
export function refusalField(message: string): string {
  if (message.includes('; answer.')) return '';
  return /^answer\.([A-Za-z0-9_.-]+): /.exec(message)?.[1] ?? '';
}
