import type { Language, Wording } from './language';
import type { RecipientRow } from './recipients';

/**
 * Practice mode (config `practice: true`, env LEKDICHT_PRACTICE=1): for trying lekdicht and for exercises. Every
 * page and email says it is practice, the timers are short enough to walk a whole breach in minutes, and letters to
 * people affected go only to addresses in domains reserved for testing, so an exercise can never reach a real person.
 */

/** What every page, email and letter says in practice mode. */
export const PRACTICE_NOTICE: Wording = {
  nl: 'OEFENING — dit is een oefendatalek: er gaat niets naar de AP, en brieven aan betrokkenen gaan alleen naar testadressen.',
  en: 'PRACTICE — this is a practice breach: nothing goes to the supervisory authority, and letters to people affected go only to test addresses.',
};

/** Put before every subject in practice mode, so a mailbox rule or a reader sees it first. */
export const PRACTICE_SUBJECT_PREFIX: Wording = { nl: '[OEFENING]', en: '[PRACTICE]' };

/**
 * The practice timing profile: tasks due in minutes, the waits between phases (containment recheck, aftercare
 * follow-ups, evaluation) in a minute or two. The legal deadlines stay what the law says (72 hours for the AP): only
 * the organisation's own timing is shortened. Keys set in the config's `timing` win over these.
 */
export const PRACTICE_TIMING = {
  triageDue: '15m',
  firstPictureDue: '15m',
  containmentDue: '15m',
  escalateToFgAfter: '5m',
  containmentRecheck: '2m',
  impactDue: '15m',
  decisionDue: '15m',
  notificationReminders: ['5m', '10m', '15m', '20m'],
  aftercareDue: '15m',
  aftercareFollowUps: ['2m', '4m'],
  aftercareRecheck: '5m',
  aftercareFollowUpDue: '15m',
  interestDue: '15m',
  evaluationAfter: '2m',
  evaluationDue: '15m',
} as const;

/** The reserved domains (RFC 2606, RFC 6761) a practice letter may go to, as people read them. */
export const TEST_DOMAINS = 'example.com, example.net, example.org, *.example, *.test, *.invalid, *.localhost';

const RESERVED_SECOND_LEVEL = ['example.com', 'example.net', 'example.org'];
const RESERVED_TOP_LEVEL = ['example', 'test', 'invalid', 'localhost'];

/** True when the address is in a domain that can never be a real mailbox (RFC 2606, RFC 6761). */
export function isTestAddress(email: string): boolean {
  const domain = domainOf(email);
  if (domain === '') return false;
  if (RESERVED_SECOND_LEVEL.some((d) => domain === d || domain.endsWith(`.${d}`))) return true;
  const top = domain.split('.').at(-1) ?? '';
  return RESERVED_TOP_LEVEL.includes(top);
}

function domainOf(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0
    ? ''
    : email
        .slice(at + 1)
        .trim()
        .toLowerCase()
        .replace(/\.$/, '');
}

/**
 * In practice mode, the rows of an uploaded list whose letter would reach a real person: a real email address, or
 * a postal address only. Each is named by its spreadsheet row (the header is row 1) and, for an email, its domain
 * (never the whole address). Empty when every row has a test address.
 */
export function practiceRefusals(rows: readonly Pick<RecipientRow, 'email'>[], language: Language): string[] {
  const errors: string[] = [];
  rows.forEach((row, index) => {
    if (row.email === undefined) {
      errors.push(
        language === 'nl'
          ? `rij ${index + 2}: email: in een oefening gaan brieven alleen per e-mail naar testadressen (${TEST_DOMAINS}), niet per post`
          : `row ${index + 2}: email: in practice, letters go only by email to test addresses (${TEST_DOMAINS}), not by post`,
      );
      return;
    }
    if (isTestAddress(row.email)) return;
    const domain = domainOf(row.email);
    errors.push(
      language === 'nl'
        ? `rij ${index + 2}: email: in een oefening gaan brieven alleen naar testadressen (${TEST_DOMAINS}); "${domain}" is een echt domein`
        : `row ${index + 2}: email: in practice, letters go only to test addresses (${TEST_DOMAINS}); "${domain}" is a real domain`,
    );
  });
  return errors;
}

/** What the register notes for a letter held back at send time in practice mode (a real address got in anyway). */
export const PRACTICE_NOT_SENT = 'not sent: practice mode sends letters only to test addresses (RFC 2606/6761)';
