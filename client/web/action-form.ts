import type { z } from 'zod';
import { issueCode, type DomainErrorCode, type ErrorParams } from '../../domain/errors';
import type { Language } from '../../domain/language';
import { domainErrorText } from './error-texts';
import { attr, html, type SafeHtml } from './html';
import { texts } from './i18n';
import { actionTexts } from './action-texts';
import { fromLocalInput, toDutchInput } from './time';
import { nextTexts } from './next-texts';
import { valueAt } from './form-model';
import type { FormBody } from './task-form-parse';

/**
 * The fields of the breach's action forms (report by hand, amend facts, correct awareness, classify, record a
 * notification). Unlike a task form, these are not generated from a task's answer schema: each form lists its
 * fields, and the action's own zod schema (the API's) validates what they read. Errors are placed by field and
 * read in the page's language.
 */

/**
 * A field of an action form. `name` may be a path ("protection.encrypted"): the value is read into, and shown
 * from, the nested object it names. Consecutive fields with the same `section` share a fieldset with that
 * legend, and within it those with the same `group` a smaller one (a `collapsible` group is a details element,
 * open when anything in it is filled in or wrong). `dependsOn` lets the page's script hide a field that does not
 * apply to what is chosen elsewhere (and leave it out of what is sent); without the script it stays, and its
 * hint says when it applies.
 */
export type ActionField = {
  name: string;
  label: string;
  hint?: string;
  required?: boolean;
  section?: string;
  group?: string;
  collapsible?: boolean;
  /** Said once under the group's legend (on its first field). */
  groupHint?: string;
  dependsOn?: { name: string; values: readonly string[]; mode: 'hide-when' | 'show-when-checked' };
} & (
  | { type: 'text'; max?: number; multiline?: boolean }
  /** No control: a question that does not apply here, with its hint saying why. Nothing is read from it. */
  | { type: 'note' }
  | { type: 'datetime' }
  | { type: 'number' }
  /** `numeric`: the values are numbers (the context adjustment -1, 0, 1), read as such. */
  | { type: 'choice'; options: readonly { value: string; label: string }[]; numeric?: boolean }
  | { type: 'multi'; options: readonly { value: string; label: string }[] }
  /** Yes, no, or (when not required) left as it is. */
  | { type: 'yesno' }
  | { type: 'lines' }
);

export type ActionErrors = Record<string, string>;

export function formParams(body: FormBody | undefined): URLSearchParams {
  if (body === undefined) return new URLSearchParams();
  if (typeof body === 'string' || body instanceof URLSearchParams) return new URLSearchParams(body);
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(body)) {
    if (value === undefined) continue;
    for (const item of typeof value === 'string' ? [value] : value) params.append(key, item);
  }
  return params;
}

/**
 * What the form holds, converted to the action's value types; a blank field is left out. A value that does not
 * convert (a number that is not one) goes through as text, so the schema's check names its field.
 */
export function readFields(fields: readonly ActionField[], body: FormBody | undefined): Record<string, unknown> {
  const form = formParams(body);
  const values: Record<string, unknown> = {};
  const set = (name: string, value: unknown) => setAt(values, name, value);
  for (const field of fields) {
    const raw = form.get(field.name)?.replace(/\r\n?/g, '\n');
    const blank = raw === undefined || raw.trim() === '';
    switch (field.type) {
      case 'note':
        break;
      case 'multi': {
        const chosen = form.getAll(field.name).filter((v) => v !== '');
        if (chosen.length > 0) set(field.name, chosen);
        break;
      }
      case 'lines': {
        const lines = (raw ?? '')
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean);
        if (lines.length > 0) set(field.name, lines);
        break;
      }
      default:
        if (blank) {
          if (field.required) set(field.name, '');
          break;
        }
        if (field.type === 'datetime') set(field.name, fromLocalInput(raw) ?? raw.trim());
        else if (field.type === 'number') {
          // The forms' numbers are counts of people and records, written the Dutch way: "1.500" is 1500.
          const n = Number(raw.trim().replace(/\./g, '').replace(',', '.'));
          set(field.name, Number.isFinite(n) ? n : raw);
        } else if (field.type === 'yesno') set(field.name, raw === 'true' ? true : raw === 'false' ? false : raw);
        else if (field.type === 'choice' && field.numeric && Number.isFinite(Number(raw))) set(field.name, Number(raw));
        else set(field.name, raw);
    }
  }
  return values;
}

/** Puts a value at a path ("protection.encrypted"), making the objects on the way. */
function setAt(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let current = target;
  for (const part of parts.slice(0, -1)) {
    const next = current[part];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) current[part] = {};
    current = current[part] as Record<string, unknown>;
  }
  current[parts.at(-1)!] = value;
}

/**
 * The field an error path is about: the field of that path or the deepest one it points into
 * ("outage.consequences.0" → "outage.consequences"), or for a path about a whole group ("protection") its first field.
 */
export function fieldFor(fields: readonly ActionField[], path: readonly PropertyKey[]): ActionField | undefined {
  const joined = path.map(String).join('.');
  if (joined === '') return undefined;
  const inputs = fields.filter((f) => f.type !== 'note');
  const within = inputs
    .filter((f) => joined === f.name || joined.startsWith(`${f.name}.`))
    .sort((a, b) => b.name.length - a.name.length)[0];
  return within ?? inputs.find((f) => f.name.startsWith(`${joined}.`));
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** One zod issue in the reader's words: Dutch by code or by kind of problem, English as the schema says it. */
function issueMessage(issue: z.core.$ZodIssue, field: ActionField | undefined, value: unknown, lang: Language): string {
  const e = texts(lang).errors;
  const known = issueCode(issue);
  if (known) return domainErrorText(known.code, known.params, lang, capitalise(issue.message));
  if (lang === 'en' && !/^(Invalid|Too (small|big))/.test(issue.message)) return capitalise(issue.message);
  if (value === undefined || value === '') {
    if (field?.type === 'choice' || field?.type === 'yesno') return e.chooseOne;
    return e.required;
  }
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'number' || issue.expected === 'int' ? e.number : e.invalid;
    case 'too_small':
      return issue.origin === 'string' ? e.required : e.atLeast(Number(issue.minimum));
    case 'too_big':
      return issue.origin === 'string' ? e.maxLength(Number(issue.maximum)) : e.atMost(Number(issue.maximum));
    case 'invalid_format':
      if (issue.format === 'email') return e.email;
      if (issue.format === 'datetime') return e.dateTime;
      return e.invalid;
    case 'invalid_value':
      return e.chooseOne;
    default:
      return e.invalid;
  }
}

/** The schema's issues by form field; an issue about no field of the form goes under "" (the top of the form). */
export function issuesByField(
  fields: readonly ActionField[],
  error: z.ZodError,
  values: Record<string, unknown>,
  lang: Language,
): ActionErrors {
  const errors: ActionErrors = {};
  for (const issue of error.issues) {
    const field = fieldFor(fields, issue.path);
    const key = field ? field.name : '';
    const message = issueMessage(issue, field, field ? valueAt(values, field.name) : undefined, lang);
    if (!errors[key]?.includes(message)) errors[key] = errors[key] ? `${errors[key]} ${message}` : message;
  }
  return errors;
}

/**
 * A workflow's refusal ("reasonsForDelay: …", "amendment.endedAt: …", or coded) placed at the field it names, in
 * the reader's language; one that names no field of the form goes to the top. Of several problems ("…; amendment.
 * …") the first is the one the code is about, and the one shown.
 */
export function refusalByField(
  fields: readonly ActionField[],
  message: string,
  refusal: { code: DomainErrorCode; params: ErrorParams } | undefined,
  lang: Language,
): ActionErrors {
  const first = message.split('; amendment.')[0]!.replace(/^amendment\./, '');
  const named = /^([A-Za-z][\w.-]*): /.exec(first)?.[1];
  const field = named === undefined ? undefined : fieldFor(fields, named.split('.'));
  const own = field ? first.slice(first.indexOf(': ') + 2) : message;
  const text = refusal ? domainErrorText(refusal.code, refusal.params, lang, capitalise(own)) : capitalise(own);
  return { [field ? field.name : '']: text };
}

/** Facts that contradict each other (domain/facts.ts factsConflicts), each at its field in the reader's words. */
export function conflictsByField(
  fields: readonly ActionField[],
  problems: readonly {
    path: readonly PropertyKey[];
    message: string;
    params: { code: DomainErrorCode } & ErrorParams;
  }[],
  lang: Language,
): ActionErrors {
  const errors: ActionErrors = {};
  for (const problem of problems) {
    const { code, ...params } = problem.params;
    const key = fieldFor(fields, problem.path)?.name ?? '';
    const text = domainErrorText(code, params, lang, capitalise(problem.message));
    if (!errors[key]?.includes(text)) errors[key] = errors[key] ? `${errors[key]} ${text}` : text;
  }
  return errors;
}

const fieldId = (name: string) => `a-${name.replace(/\./g, '__')}`;

function stringOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(stringOf).join('\n');
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** The attributes the page's script reads to hide a field that does not apply (client/web/assets.ts). */
function dependsOn(field: ActionField): SafeHtml {
  const d = field.dependsOn;
  if (!d) return html``;
  return html` data-depends-on="${d.name}" data-depends-values="${d.values.join(' ')}" data-depends-mode="${d.mode}"`;
}

function renderField(field: ActionField, value: unknown, error: string | undefined, lang: Language): SafeHtml {
  const t = texts(lang);
  const id = fieldId(field.name);
  const errorId = error ? `${id}-error` : undefined;
  const hint =
    field.type === 'datetime'
      ? [field.hint, nextTexts(lang).dateTimeFormat]
      : field.type === 'lines'
        ? [field.hint, t.listHint]
        : [field.hint];
  const hintText = hint.filter(Boolean).join(' ');
  const hintId = hintText ? `${id}-hint` : undefined;
  const described = attr('aria-describedby', [hintId, errorId].filter(Boolean).join(' ') || undefined);
  const invalid = attr('aria-invalid', error ? 'true' : undefined);
  const label = html`${field.label}${field.required ? '' : html` <span class="optional">${t.optional}</span>`}`;
  const notes = html`${hintText ? html`<p class="hint" id="${hintId}">${hintText}</p>` : ''}${
    error
      ? html`<p class="error-message" id="${errorId}"><span class="visually-hidden">${t.errorPrefix} </span>${error}</p>`
      : ''
  }`;
  const cls = html`class="field${error ? ' field-error' : ''}"${dependsOn(field)}`;
  const common = html`id="${id}" name="${field.name}"${attr('required', field.required)}${described}${invalid}`;
  switch (field.type) {
    case 'note':
      return html`<div ${cls} id="${id}"><p class="label">${field.label}</p>${notes}</div>`;
    case 'choice':
    case 'yesno': {
      const options =
        field.type === 'yesno'
          ? [
              { value: 'true', label: t.yes },
              { value: 'false', label: t.no },
            ]
          : field.options;
      const current = typeof value === 'boolean' ? String(value) : stringOf(value);
      return html`<div ${cls}><label for="${id}">${label}</label>${notes}
<select ${common}><option value="">${field.required ? t.chooseOption : actionTexts(lang).leaveAsIs}</option>${options.map(
        (o) => html`<option value="${o.value}"${attr('selected', current === o.value)}>${o.label}</option>`,
      )}</select></div>`;
    }
    case 'multi': {
      const chosen = new Set(Array.isArray(value) ? value.map(String) : []);
      return html`<fieldset ${cls}${described}><legend>${label}</legend>${notes}
<div class="choices">${field.options.map(
        (o, i) =>
          html`<div class="choice"><input type="checkbox" id="${i === 0 ? id : `${id}-${i}`}" name="${field.name}" value="${o.value}"${attr('checked', chosen.has(o.value))}${invalid}><label for="${i === 0 ? id : `${id}-${i}`}">${o.label}</label></div>`,
      )}</div></fieldset>`;
    }
    case 'datetime': {
      // A text field, as on the task forms: datetime-local shows the OS locale's order, the hint says day first.
      const local = typeof value === 'string' ? (toDutchInput(value) ?? value) : '';
      return html`<div ${cls}><label for="${id}">${label}</label>${notes}
<input type="text" class="datetime" autocomplete="off" placeholder="${nextTexts(lang).dateTimePlaceholder}" ${common} value="${local}"></div>`;
    }
    case 'number':
      return html`<div ${cls}><label for="${id}">${label}</label>${notes}
<input type="text" class="narrow" inputmode="numeric" autocomplete="off" ${common} value="${stringOf(value)}"></div>`;
    case 'lines':
      return html`<div ${cls}><label for="${id}">${label}</label>${notes}
<textarea rows="3" ${common}>
${stringOf(value)}</textarea></div>`;
    case 'text':
      if (field.multiline)
        return html`<div ${cls}><label for="${id}">${label}</label>${notes}
<textarea rows="4" ${common}>
${stringOf(value)}</textarea></div>`;
      return html`<div ${cls}><label for="${id}">${label}</label>${notes}
<input type="text" autocomplete="off" ${common} value="${stringOf(value)}"></div>`;
  }
}

/** Consecutive items with the same key, in order: the fields of one section, or of one group in it. */
function runs<T>(
  items: readonly T[],
  keyOf: (item: T) => string | undefined,
): { key: string | undefined; items: T[] }[] {
  const out: { key: string | undefined; items: T[] }[] = [];
  for (const item of items) {
    const key = keyOf(item);
    const last = out.at(-1);
    if (last && last.key === key) last.items.push(item);
    else out.push({ key, items: [item] });
  }
  return out;
}

const filled = (value: unknown) => value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0);

/** The fields with their values and errors, and the error summary above the form that links to each. */
export function renderActionFields(
  fields: readonly ActionField[],
  values: Record<string, unknown>,
  errors: ActionErrors,
  lang: Language,
): { fields: SafeHtml; summary: SafeHtml } {
  const t = texts(lang);
  const entries = [
    ...(errors[''] ? [html`<li>${errors['']}</li>`] : []),
    ...fields
      .filter((f) => errors[f.name])
      .map(
        (f) =>
          html`<li><a href="#${fieldId(f.name)}">${f.group ? `${f.group} › ` : ''}${f.label}: ${errors[f.name]}</a></li>`,
      ),
  ];
  const summary =
    entries.length === 0
      ? html``
      : html`<div class="error-summary" id="error-summary" tabindex="-1" role="alert" aria-labelledby="error-summary-title">
<h2 id="error-summary-title">${t.errorSummaryTitle}</h2><ul>${entries}</ul></div>`;
  const one = (f: ActionField) => renderField(f, valueAt(values, f.name), errors[f.name], lang);
  const group = (items: ActionField[], legend: string | undefined) => {
    if (legend === undefined) return html`${items.map(one)}`;
    const first = items[0]!;
    const hint = first.groupHint ? html`<p class="hint">${first.groupHint}</p>` : '';
    if (!first.collapsible)
      return html`<fieldset class="group"><legend>${legend}</legend>${hint}${items.map(one)}</fieldset>`;
    const open = items.some((f) => errors[f.name] !== undefined || filled(valueAt(values, f.name)));
    return html`<details class="group"${attr('open', open)}><summary>${legend}</summary>${hint}${items.map(one)}</details>`;
  };
  const rendered = runs(fields, (f) => f.section).map(({ key, items }) => {
    const inner = html`${runs(items, (f) => f.group).map((g) => group(g.items, g.key))}`;
    return key === undefined ? inner : html`<fieldset class="group section"><legend>${key}</legend>${inner}</fieldset>`;
  });
  return { fields: html`${rendered}`, summary };
}
