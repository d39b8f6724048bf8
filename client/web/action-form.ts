import type { z } from 'zod';
import { issueCode, type DomainErrorCode, type ErrorParams } from '../../domain/errors';
import type { Language } from '../../domain/language';
import { domainErrorText } from './error-texts';
import { attr, html, type SafeHtml } from './html';
import { texts } from './i18n';
import { actionTexts } from './action-texts';
import { fromLocalInput, toLocalInput } from './time';
import type { FormBody } from './task-form-parse';

/**
 * The fields of the breach's action forms (report by hand, amend facts, correct awareness, classify, record a
 * notification). Unlike a task form, these are not generated from a task's answer schema: each form lists its
 * fields, and the action's own zod schema (the API's) validates what they read. Errors are placed by field and
 * read in the page's language.
 */

export type ActionField = { name: string; label: string; hint?: string; required?: boolean } & (
  | { type: 'text'; max?: number; multiline?: boolean }
  | { type: 'datetime' }
  | { type: 'number' }
  | { type: 'choice'; options: readonly { value: string; label: string }[] }
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
  for (const field of fields) {
    const raw = form.get(field.name)?.replace(/\r\n?/g, '\n');
    const blank = raw === undefined || raw.trim() === '';
    switch (field.type) {
      case 'multi': {
        const chosen = form.getAll(field.name).filter((v) => v !== '');
        if (chosen.length > 0) values[field.name] = chosen;
        break;
      }
      case 'lines': {
        const lines = (raw ?? '')
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean);
        if (lines.length > 0) values[field.name] = lines;
        break;
      }
      default:
        if (blank) {
          if (field.required) values[field.name] = '';
          break;
        }
        if (field.type === 'datetime') values[field.name] = fromLocalInput(raw) ?? raw.trim();
        else if (field.type === 'number') {
          // The forms' numbers are counts of people and records, written the Dutch way: "1.500" is 1500.
          const n = Number(raw.trim().replace(/\./g, '').replace(',', '.'));
          values[field.name] = Number.isFinite(n) ? n : raw;
        } else if (field.type === 'yesno') values[field.name] = raw === 'true' ? true : raw === 'false' ? false : raw;
        else values[field.name] = raw;
    }
  }
  return values;
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
    const first = issue.path[0];
    const field = fields.find((f) => f.name === String(first));
    const key = field ? field.name : '';
    const message = issueMessage(issue, field, field ? values[field.name] : undefined, lang);
    if (!errors[key]?.includes(message)) errors[key] = errors[key] ? `${errors[key]} ${message}` : message;
  }
  return errors;
}

/**
 * A workflow's refusal ("reasonsForDelay: …", or coded) placed at the field it names, in the reader's language;
 * one that names no field of the form goes to the top.
 */
export function refusalByField(
  fields: readonly ActionField[],
  message: string,
  refusal: { code: DomainErrorCode; params: ErrorParams } | undefined,
  lang: Language,
): ActionErrors {
  const named = /^([A-Za-z]+)(?:\.[\w.]+)?: /.exec(message)?.[1];
  const field = fields.find((f) => f.name === named);
  const own = field ? message.slice(message.indexOf(': ') + 2) : message;
  const text = refusal ? domainErrorText(refusal.code, refusal.params, lang, capitalise(own)) : capitalise(own);
  return { [field ? field.name : '']: text };
}

const fieldId = (name: string) => `a-${name}`;

function stringOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(stringOf).join('\n');
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function renderField(field: ActionField, value: unknown, error: string | undefined, lang: Language): SafeHtml {
  const t = texts(lang);
  const id = fieldId(field.name);
  const errorId = error ? `${id}-error` : undefined;
  const hint =
    field.type === 'datetime'
      ? [field.hint, t.timeHint]
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
  const cls = `field${error ? ' field-error' : ''}`;
  const common = html`id="${id}" name="${field.name}"${attr('required', field.required)}${described}${invalid}`;
  switch (field.type) {
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
      return html`<div class="${cls}"><label for="${id}">${label}</label>${notes}
<select ${common}><option value="">${field.required ? t.chooseOption : actionTexts(lang).leaveAsIs}</option>${options.map(
        (o) => html`<option value="${o.value}"${attr('selected', current === o.value)}>${o.label}</option>`,
      )}</select></div>`;
    }
    case 'multi': {
      const chosen = new Set(Array.isArray(value) ? value.map(String) : []);
      return html`<fieldset class="${cls}"${described}><legend>${label}</legend>${notes}
<div class="choices">${field.options.map(
        (o, i) =>
          html`<div class="choice"><input type="checkbox" id="${i === 0 ? id : `${id}-${i}`}" name="${field.name}" value="${o.value}"${attr('checked', chosen.has(o.value))}${invalid}><label for="${i === 0 ? id : `${id}-${i}`}">${o.label}</label></div>`,
      )}</div></fieldset>`;
    }
    case 'datetime': {
      const local = typeof value === 'string' ? (toLocalInput(value) ?? value) : '';
      return html`<div class="${cls}"><label for="${id}">${label}</label>${notes}
<input type="datetime-local" step="60" ${common} value="${local}"></div>`;
    }
    case 'number':
      return html`<div class="${cls}"><label for="${id}">${label}</label>${notes}
<input type="text" class="narrow" inputmode="numeric" autocomplete="off" ${common} value="${stringOf(value)}"></div>`;
    case 'lines':
      return html`<div class="${cls}"><label for="${id}">${label}</label>${notes}
<textarea rows="3" ${common}>
${stringOf(value)}</textarea></div>`;
    case 'text':
      if (field.multiline)
        return html`<div class="${cls}"><label for="${id}">${label}</label>${notes}
<textarea rows="4" ${common}>
${stringOf(value)}</textarea></div>`;
      return html`<div class="${cls}"><label for="${id}">${label}</label>${notes}
<input type="text" autocomplete="off" ${common} value="${stringOf(value)}"></div>`;
  }
}

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
      .map((f) => html`<li><a href="#${fieldId(f.name)}">${f.label}: ${errors[f.name]}</a></li>`),
  ];
  const summary =
    entries.length === 0
      ? html``
      : html`<div class="error-summary" id="error-summary" tabindex="-1" role="alert" aria-labelledby="error-summary-title">
<h2 id="error-summary-title">${t.errorSummaryTitle}</h2><ul>${entries}</ul></div>`;
  return { fields: html`${fields.map((f) => renderField(f, values[f.name], errors[f.name], lang))}`, summary };
}
