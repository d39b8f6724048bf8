import type { z } from 'zod';

/** Longest part of a field name quoted in a message; an unknown key can be as long as the input it came in. */
const MAX_KEY_IN_MESSAGE = 60;

/**
 * One part of a field's path as a person reads it: a plain name or index as it is (`measures.secure-evidence`),
 * anything else (an unknown key with spaces, markup, control characters) quoted as JSON and shortened, so a
 * message about a hostile key stays one readable line.
 */
function pathPart(part: PropertyKey): string {
  const text = String(part);
  if (/^[A-Za-z0-9_-]{1,60}$/.test(text)) return text;
  const chars = Array.from(text);
  return escapeUnprintable(
    JSON.stringify(chars.length <= MAX_KEY_IN_MESSAGE ? text : `${chars.slice(0, MAX_KEY_IN_MESSAGE).join('')}…`),
  );
}

/** Longest problem text of one issue; a rule may quote the value it refused, and that value can be a novel. */
const MAX_PROBLEM_LENGTH = 300;

// Control characters, Unicode line separators, bidirectional overrides and lone surrogates: what a quoted value
// must not bring into a message (a line break would forge a line of output, an override would hide what it says).
const UNPRINTABLE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Text with control characters, line separators, bidi overrides and lone surrogates as escapes (`\n`, `\u202e`): one printable line. */
export function escapeUnprintable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A problem as one printable line of bounded length: unprintable characters as escapes (`\n`, `\u0000`). */
export function printable(problem: string): string {
  const escaped = escapeUnprintable(problem);
  const chars = Array.from(escaped);
  return chars.length <= MAX_PROBLEM_LENGTH ? escaped : `${chars.slice(0, MAX_PROBLEM_LENGTH).join('')}…`;
}

/** "facts.awareAt: Invalid ISO datetime" — every issue names the field it is about. */
export function describeIssues(error: z.ZodError, prefix = ''): string {
  const name = (path: readonly PropertyKey[]) => [prefix, ...path.map(pathPart)].filter(Boolean).join('.') || '(input)';
  return error.issues
    .flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => `${name([...issue.path, key])}: is not a known field`)
        : [`${name(issue.path)}: ${printable(issue.message)}`],
    )
    .join('; ');
}

/**
 * Stable codes of the refusals that pages put into words of their own (client/web/i18n.ts), so a translation
 * follows the rule and not the English text: that text is for logs, the API and the CLI, and may change.
 */
export const DOMAIN_ERROR_CODES = [
  // answers and facts (zod refinements and checks)
  'awareness-required',
  'awareness-in-future',
  'not-a-date-time',
  'measure-note-required',
  'evidence-first',
  'key-safe-without-protection',
  'context-reason-required',
  'backup-kind-without-backup',
  'ended-before-started',
  'people-per-category-unknown',
  'people-per-category-too-many',
  'lead-authority-not-cross-border',
  'recipient-count-without-recipients',
  'data-categories-empty',
  'recipient-list-empty',
  'improvement-action-not-done',
  'letter-remarks-required',
  'owner-not-in-directory',
  // completing a task (the workflow's update validator)
  'task-not-found',
  'task-not-open',
  'actor-unknown',
  'actor-lacks-role',
  'actor-not-on-team',
  'reasons-for-delay-required',
] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/** What a refusal's words are made of besides the code: names, ids, moments (never free text from the case). */
export type ErrorParams = Readonly<Record<string, string | number>>;

/** A refusal for people: its code and parameters for a translation, its English message for everyone else. */
export interface Refusal {
  code: DomainErrorCode;
  params?: ErrorParams;
  message: string;
}

/** A check's refusal: always the English message, and a code where a page translates it. */
export type Refused = { ok: false; message: string } & Partial<Omit<Refusal, 'message'>>;

export function isDomainErrorCode(value: unknown): value is DomainErrorCode {
  return typeof value === 'string' && (DOMAIN_ERROR_CODES as readonly string[]).includes(value);
}

/**
 * The `params` of a zod custom issue that carries a code: `ctx.addIssue({ code: 'custom', message,
 * params: coded('evidence-first', { others }) })`.
 */
export function coded(code: DomainErrorCode, params: ErrorParams = {}): { code: DomainErrorCode } & ErrorParams {
  return { ...params, code };
}

// zod's own checks (min, literal) cannot carry params: their message is registered under its code instead, from
// the same constant the schema uses, so the code is found by the message's identity and never by its wording.
const CODE_OF_CHECK_MESSAGE = new Map<string, DomainErrorCode>();

/** A zod check's message, registered under its code: `.min(1, codedMessage('recipient-list-empty', '…'))`. */
export function codedMessage(code: DomainErrorCode, message: string): string {
  CODE_OF_CHECK_MESSAGE.set(message, code);
  return message;
}

/** The code and parameters of a zod issue the domain raised with one; undefined for zod's own issues. */
export function issueCode(issue: z.core.$ZodIssue): { code: DomainErrorCode; params: ErrorParams } | undefined {
  if (issue.code === 'custom' && isDomainErrorCode(issue.params?.code)) {
    const { code, ...params } = issue.params as { code: DomainErrorCode } & ErrorParams;
    return { code, params };
  }
  const code = CODE_OF_CHECK_MESSAGE.get(issue.message);
  return code ? { code, params: {} } : undefined;
}

/**
 * Thrown for input a person or system got wrong; the message names the field and the problem. A refusal a page
 * translates also carries its code and parameters.
 */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';
  readonly code: DomainErrorCode | undefined;
  readonly params: ErrorParams;

  constructor(message: string, coded?: { code: DomainErrorCode; params?: ErrorParams }) {
    super(message);
    this.code = coded?.code;
    this.params = coded?.params ?? {};
  }

  static of(refusal: Refusal): InvalidInputError {
    return new InvalidInputError(refusal.message, refusal);
  }
}

/** Parses with a schema, throwing an InvalidInputError that names each bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new InvalidInputError(`invalid ${what}: ${describeIssues(result.error)}`);
  return result.data;
}
