import type { TaskKind } from '../../domain/tasks';
import { timeEl, yesNo } from './components';
import { formModel, joinPath, type FieldNode } from './form-model';
import { html, type SafeHtml } from './html';
import { fieldLabel, valueLabel } from './i18n';
import type { Language } from '../../domain/language';

/** Anything the model did not expect (an answer from an older schema), as readable text rather than "[object Object]". */
function plain(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

/** A value read back as people read it: the same labels as the form it was entered in. */
function show(kind: TaskKind, node: FieldNode | undefined, path: string, value: unknown, lang: Language): SafeHtml {
  if (value === null || value === undefined) return html`–`;
  switch (node?.type) {
    case 'datetime':
      return typeof value === 'string' ? timeEl(value, lang) : html`${plain(value)}`;
    case 'boolean':
    case 'check':
      return typeof value === 'boolean' ? html`${yesNo(value, lang)}` : html`${plain(value)}`;
    case 'choice':
      return html`${valueLabel(value as string, lang, path)}`;
    case 'multi':
    case 'lines':
      return Array.isArray(value)
        ? html`<ul>${value.map((v) => html`<li>${node.type === 'multi' ? valueLabel(String(v), lang, path) : String(v)}</li>`)}</ul>`
        : html`${plain(value)}`;
    case 'group':
      return renderFields(kind, node.children, path, value, lang);
    case 'rows':
      return Array.isArray(value)
        ? html`<ol>${value.map((row, i) => html`<li>${renderFields(kind, node.item, joinPath(path, i), row, lang)}</li>`)}</ol>`
        : html`${JSON.stringify(value)}`;
    default:
      if (typeof value === 'object') return html`${JSON.stringify(value)}`;
      return html`${plain(value)}`;
  }
}

/** A definition list of the fields that have a value; fields the model does not know are shown as they are. */
export function renderFields(
  kind: TaskKind,
  nodes: readonly FieldNode[],
  prefix: string,
  value: unknown,
  lang: Language,
): SafeHtml {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return html`${JSON.stringify(value)}`;
  const record = value as Record<string, unknown>;
  const known = nodes.filter((n) => record[n.key] !== undefined);
  const extra = Object.keys(record).filter((k) => record[k] !== undefined && !nodes.some((n) => n.key === k));
  return html`<dl class="facts">${known.map((n) => {
    const path = joinPath(prefix, n.key);
    return html`<dt>${fieldLabel(kind, path, lang)}</dt><dd>${show(kind, n, path, record[n.key], lang)}</dd>`;
  })}${extra.map((k) => html`<dt>${k}</dt><dd>${show(kind, undefined, joinPath(prefix, k), record[k], lang)}</dd>`)}</dl>`;
}

/** A task's answer (or the facts, with kind "first-picture"), read-only. */
export function renderAnswer(kind: TaskKind, answer: unknown, lang: Language): SafeHtml {
  return renderFields(kind, formModel(kind), '', answer, lang);
}
