import type { z } from 'zod';
import { answerSchemas, type Answer, type TaskKind } from '../../domain/tasks';
import { formModel, joinPath, resolveField, valueAt, type FieldNode } from './form-model';
import { issueCode } from '../../domain/errors';
import { domainErrorText } from './error-texts';
import { texts } from './i18n';
import type { Language } from '../../domain/language';
import { fromLocalInput } from './time';

/** A urlencoded body as a string, URLSearchParams, or the object @fastify/formbody makes of it. */
export type FormBody = string | URLSearchParams | Readonly<Record<string, string | readonly string[] | undefined>>;

/** Error messages by field path ("measures.secure-evidence.status"); "" holds errors about the whole answer. */
export type TaskFormErrors = Record<string, string>;

export type ParsedTaskForm<K extends TaskKind = TaskKind> =
  | { ok: true; answer: Answer<K> }
  | {
      ok: false;
      /** What the person entered, shaped like the answer (raw text where it did not convert): re-render with it. */
      values: Record<string, unknown>;
      errors: TaskFormErrors;
      /**
       * "add-row": the person asked for another row; nothing was validated and nothing is wrong. "preview": show
       * what the answer would make (the letter) without completing; `values` is the parsed answer when valid.
       */
      intent?: 'add-row' | 'preview';
    };

function toParams(body: FormBody): URLSearchParams {
  if (typeof body === 'string' || body instanceof URLSearchParams) return new URLSearchParams(body);
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(body)) {
    if (value === undefined) continue;
    for (const item of typeof value === 'string' ? [value] : value) params.append(key, item);
  }
  return params;
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function readField(node: FieldNode, path: string, form: URLSearchParams): unknown {
  const raw = form.get(path);
  const text = raw?.replace(/\r\n?/g, '\n');
  const blank = text === undefined || text.trim() === '';
  switch (node.type) {
    case 'text':
      // An empty required field goes to the schema as "", so its own "is required" message applies.
      if (blank) return node.required ? '' : undefined;
      return text;
    case 'datetime':
      if (blank) return undefined;
      return fromLocalInput(text) ?? (ISO_WITH_OFFSET.test(text.trim()) ? text.trim() : text);
    case 'number': {
      if (blank) return undefined;
      const n = Number(text.trim().replace(',', '.'));
      return Number.isFinite(n) ? n : text;
    }
    case 'boolean':
      if (blank) return undefined;
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'check':
      return text === 'true' ? true : undefined;
    case 'choice':
      if (blank) return undefined;
      return node.options.find((option) => String(option) === text) ?? text;
    case 'multi': {
      const chosen = form.getAll(path).filter((v) => v !== '');
      if (chosen.length === 0) return node.required ? [] : undefined;
      return chosen;
    }
    case 'lines': {
      const lines = (text ?? '')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '');
      if (lines.length === 0) return node.required ? [] : undefined;
      return lines;
    }
    case 'group': {
      const value = readGroup(node.children, path, form);
      if (Object.keys(value).length === 0) return node.required ? {} : undefined;
      return value;
    }
    case 'rows': {
      // Rows are numbered by the form; a row left entirely blank is dropped (the form always offers one).
      const indices = new Set<number>();
      const rowName = new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)\\.`);
      for (const key of form.keys()) {
        const m = rowName.exec(key);
        if (m) indices.add(Number(m[1]));
      }
      const rows = [...indices]
        .sort((a, b) => a - b)
        .map((i) => readGroup(node.item, joinPath(path, i), form))
        .filter((row) => Object.keys(row).length > 0);
      if (rows.length === 0) return node.required ? [] : undefined;
      return rows;
    }
  }
}

function readGroup(nodes: readonly FieldNode[], prefix: string, form: URLSearchParams): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  for (const node of nodes) {
    const field = readField(node, joinPath(prefix, node.key), form);
    // A required text read as "" only counts when something else in the group was filled in.
    if (field !== undefined) value[node.key] = field;
  }
  // A group of only empty required texts is a blank group: an optional group (or a blank row) is left out.
  if (Object.values(value).every((v) => v === '')) return {};
  return value;
}

const isMissing = (value: unknown) =>
  value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** zod's own wording (not the schema's): replaced by a message for people. */
const ZOD_DEFAULT = /^(Invalid|Too (small|big))/;

function messageFor(issue: z.core.$ZodIssue, node: FieldNode | undefined, value: unknown, lang: Language): string {
  const e = texts(lang).errors;
  const domain = ZOD_DEFAULT.test(issue.message) ? undefined : issue.message;
  const known = issueCode(issue);
  if (known) return domainErrorText(known.code, known.params, lang, capitalise(issue.message));
  // A refinement's own words; in Dutch only when it carries a code (domain/errors.ts).
  if (issue.code === 'custom') return capitalise(domain ?? e.invalid);
  if (isMissing(value)) {
    switch (node?.type) {
      case 'boolean':
        return e.chooseYesNo;
      case 'choice':
        return e.chooseOne;
      case 'check':
        return e.mustCheck;
      case 'multi':
        return e.chooseAtLeast(1);
      default:
        return e.required;
    }
  }
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'number' || issue.expected === 'int')
        return node?.type === 'number' && node.integer ? e.integer : e.number;
      if (issue.expected === 'boolean') return e.chooseYesNo;
      return e.invalid;
    case 'too_small':
      if (issue.origin === 'string') return e.minLength(Number(issue.minimum));
      if (issue.origin === 'array' || issue.origin === 'set') return e.chooseAtLeast(Number(issue.minimum));
      return e.atLeast(Number(issue.minimum));
    case 'too_big':
      if (issue.origin === 'string') return e.maxLength(Number(issue.maximum));
      if (issue.origin === 'array' || issue.origin === 'set') return e.maxItems(Number(issue.maximum));
      return e.atMost(Number(issue.maximum));
    case 'invalid_format':
      if (issue.format === 'email') return e.email;
      if (issue.format === 'datetime' || issue.format === 'date-time') return e.dateTime;
      return e.invalid;
    case 'invalid_value':
      return node?.type === 'check' ? e.mustCheck : e.chooseOne;
    default:
      return domain !== undefined ? capitalise(domain) : e.invalid;
  }
}

/**
 * The zod errors of an answer as messages by form field: each issue is placed at the deepest field its path
 * points into, in the page's language.
 */
export function errorsByField(kind: TaskKind, error: z.ZodError, values: unknown, lang: Language): TaskFormErrors {
  const model = formModel(kind);
  const errors: TaskFormErrors = {};
  for (const issue of error.issues) {
    const { path, node } = resolveField(model, issue.path);
    const message = messageFor(
      issue,
      path === '' ? undefined : node,
      valueAt(values, issue.path.map(String).join('.')),
      lang,
    );
    if (!errors[path]?.includes(message)) errors[path] = errors[path] ? `${errors[path]} ${message}` : message;
  }
  return errors;
}

/**
 * Turns a submitted task form back into the answer its update expects, validated by the kind's own zod schema.
 * Fields whose names start with "_" (`_csrf`, `_intent`) are the page's, never the answer's.
 */
export function parseTaskForm<K extends TaskKind>(kind: K, body: FormBody, lang: Language = 'nl'): ParsedTaskForm<K> {
  const form = toParams(body);
  const values = readGroup(formModel(kind), '', form);
  if (form.get('_intent') === 'add-row') return { ok: false, values, errors: {}, intent: 'add-row' };
  const result = (answerSchemas[kind] as z.ZodType).safeParse(values);
  const preview = form.get('_intent') === 'preview' ? ({ intent: 'preview' } as const) : {};
  if (result.success)
    return 'intent' in preview
      ? { ok: false, values: result.data as Record<string, unknown>, errors: {}, ...preview }
      : { ok: true, answer: result.data as Answer<K> };
  return { ok: false, values, errors: errorsByField(kind, result.error, values, lang), ...preview };
}
