import type { CaseView } from '../../domain/case';
import type { Task, TaskKind } from '../../domain/tasks';
import { renderAnswer } from './answer-view';
import { englishText, timeEl, yesNo } from './components';
import { fieldId, formModel, joinPath, valueAt, type FieldNode } from './form-model';
import { attr, html, type SafeHtml } from './html';
import { fieldHint, fieldLabel, texts, valueLabel } from './i18n';
import { roleLabel } from '../../domain/labels';
import { severityText, suggestionReasons } from './reasoning';
import type { Language } from '../../domain/language';
import { csrfField, href, renderLayout, segment, type PageContext } from './layout';
import type { TaskFormErrors } from './task-form-parse';
import { letterPrefill, letterPreviewButton, letterSection } from './letter-view';
import { toDutchInput } from './time';
import { nextTexts } from './next-texts';
import { triageContext, triageDefaults } from './triage';
import { ownerSelect, type DirectoryChoice } from './owner-select';
import { displayTaskTitle } from './task-title';
import { DATA_LEFT_TYPES } from '../../domain/facts';
import { actionTexts } from './action-texts';
import { dataHasLeft, inSectionOrder } from './facts-layout';

export interface TaskFormState {
  breachId: string;
  /** Shaped like the answer: what parseTaskForm returned after a refused submission, or nothing for a new form. */
  values?: unknown;
  errors?: TaskFormErrors;
  /** The case, for context the task needs (the suggestion beside the notification decision). */
  view?: CaseView;
  /** The letter form asked for a preview (client/web/letter-view.ts): shown above the form, nothing completed. */
  preview?: boolean;
  /** The directory's people: an owner field (improvement actions) is chosen from them. */
  people?: readonly DirectoryChoice[];
}

interface RenderContext {
  kind: TaskKind;
  lang: Language;
  errors: TaskFormErrors;
  /** Fields in document order with the id of their first input: the error summary links there. */
  anchors: Map<string, string>;
  people?: readonly DirectoryChoice[] | undefined;
}

/** Radios up to this many options; a longer list is a select, which stays short on a phone. */
const MAX_RADIOS = 6;

function describedBy(hintId: string | undefined, errorId: string | undefined): SafeHtml {
  const ids = [hintId, errorId].filter(Boolean).join(' ');
  return attr('aria-describedby', ids || undefined);
}

function hintAndError(ctx: RenderContext, path: string, id: string, withHint = true) {
  const hint = withHint ? fieldHint(ctx.kind, path, ctx.lang) : undefined;
  const error = ctx.errors[path];
  const t = texts(ctx.lang);
  return {
    hintId: hint ? `${id}-hint` : undefined,
    errorId: error ? `${id}-error` : undefined,
    markup: html`${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ''}${
      error
        ? html`<p class="error-message" id="${id}-error"><span class="visually-hidden">${t.errorPrefix} </span>${error}</p>`
        : ''
    }`,
    invalid: attr('aria-invalid', error ? 'true' : undefined),
    errorClass: error ? ' field-error' : '',
  };
}

function labelText(ctx: RenderContext, node: FieldNode, path: string): SafeHtml {
  const optional = !node.required && node.type !== 'check';
  return html`${fieldLabel(ctx.kind, path, ctx.lang)}${optional ? html` <span class="optional">${texts(ctx.lang).optional}</span>` : ''}`;
}

function stringValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function radios(
  ctx: RenderContext,
  node: FieldNode,
  path: string,
  options: readonly { value: string; label: string }[],
  checked: string | undefined,
  inline: boolean,
): SafeHtml {
  const id = fieldId(path);
  const f = hintAndError(ctx, path, id);
  return html`<fieldset class="field${f.errorClass}"${describedBy(f.hintId, f.errorId)}>
<legend>${labelText(ctx, node, path)}</legend>
${f.markup}
<div class="choices${inline ? ' inline' : ''}">${options.map((option, i) => {
    const optionId = i === 0 ? id : `${id}-${i}`;
    return html`<div class="choice"><input type="radio" id="${optionId}" name="${path}" value="${option.value}"${attr('checked', checked === option.value)}${attr('required', node.required)}${f.invalid}><label for="${optionId}">${option.label}</label></div>`;
  })}</div>
</fieldset>`;
}

function renderNode(ctx: RenderContext, node: FieldNode, path: string, value: unknown): SafeHtml {
  const t = texts(ctx.lang);
  const id = fieldId(path);
  ctx.anchors.set(path, id);
  switch (node.type) {
    case 'text':
    case 'datetime':
    case 'number':
    case 'lines': {
      const f = hintAndError(ctx, path, id);
      const extraHint =
        node.type === 'datetime' ? nextTexts(ctx.lang).dateTimeFormat : node.type === 'lines' ? t.listHint : undefined;
      const extraId = extraHint ? `${id}-format` : undefined;
      const described = describedBy([extraId, f.hintId].filter(Boolean).join(' ') || undefined, f.errorId);
      const common = html`id="${id}" name="${path}"${attr('required', node.required)}${described}${f.invalid}`;
      let control: SafeHtml;
      if (node.type === 'text' && node.email && node.key === 'owner' && ctx.people?.length) {
        return ownerSelect({ id, path, label: labelText(ctx, node, path), required: node.required }, f, described, {
          value: stringValue(value),
          people: ctx.people,
          lang: ctx.lang,
        });
      }
      // Textareas start with a newline: the parser eats the first one, so a value's own leading newline survives.
      if (node.type === 'datetime') {
        // A text field, not datetime-local: browsers show that in the OS locale's order (mm/dd/yyyy), while the
        // hint beside it says day first; this way what is shown is what the hint says.
        const local = typeof value === 'string' ? (toDutchInput(value) ?? value) : '';
        control = html`<input type="text" class="datetime" autocomplete="off" placeholder="${nextTexts(ctx.lang).dateTimePlaceholder}" ${common} value="${local}">`;
      } else if (node.type === 'number') {
        control = html`<input type="text" class="narrow" inputmode="${node.integer ? 'numeric' : 'decimal'}" autocomplete="off" ${common} value="${stringValue(value)}">`;
      } else if (node.type === 'lines') {
        control = html`<textarea rows="3" ${common}>
${Array.isArray(value) ? value.map(stringValue).join('\n') : stringValue(value)}</textarea>`;
      } else if (node.multiline) {
        control = html`<textarea rows="${(node.maxLength ?? 0) >= 5_000 ? 5 : 3}" ${common}>
${stringValue(value)}</textarea>`;
      } else {
        control = html`<input type="${node.email ? 'email' : 'text'}" autocomplete="off" ${common} value="${stringValue(value)}">`;
      }
      return html`<div class="field${f.errorClass}">
<label for="${id}">${labelText(ctx, node, path)}</label>
${extraHint ? html`<p class="hint" id="${extraId}">${extraHint}</p>` : ''}${f.markup}
${control}
</div>`;
    }
    case 'boolean': {
      const options = [
        { value: 'true', label: t.yes },
        { value: 'false', label: t.no },
        ...(node.required ? [] : [{ value: '', label: t.unknown }]),
      ];
      const checked = value === undefined ? (node.required ? undefined : '') : stringValue(value);
      return radios(ctx, node, path, options, checked, true);
    }
    case 'choice': {
      const current =
        value === undefined ? (node.default !== undefined ? String(node.default) : undefined) : stringValue(value);
      if (node.options.length <= MAX_RADIOS) {
        const options = [
          ...node.options.map((o) => ({ value: String(o), label: valueLabel(o, ctx.lang, path) })),
          ...(node.required || node.default !== undefined ? [] : [{ value: '', label: t.notSet }]),
        ];
        return radios(ctx, node, path, options, current ?? (node.required ? undefined : ''), node.options.length <= 3);
      }
      const f = hintAndError(ctx, path, id);
      return html`<div class="field${f.errorClass}">
<label for="${id}">${labelText(ctx, node, path)}</label>
${f.markup}
<select id="${id}" name="${path}"${attr('required', node.required)}${describedBy(f.hintId, f.errorId)}${f.invalid}>
<option value="">${node.required ? t.chooseOption : t.notSet}</option>
${node.options.map((o) => html`<option value="${String(o)}"${attr('selected', current === String(o))}>${valueLabel(o, ctx.lang, path)}</option>`)}
</select>
</div>`;
    }
    case 'multi': {
      const f = hintAndError(ctx, path, id);
      const chosen = new Set(Array.isArray(value) ? value.map(stringValue) : []);
      return html`<fieldset class="field${f.errorClass}"${describedBy(f.hintId, f.errorId)}>
<legend>${labelText(ctx, node, path)}</legend>
${f.markup}
<div class="choices">${node.options.map((option, i) => {
        const optionId = i === 0 ? id : `${id}-${i}`;
        return html`<div class="choice"><input type="checkbox" id="${optionId}" name="${path}" value="${option}"${attr('checked', chosen.has(option))}${f.invalid}><label for="${optionId}">${valueLabel(option, ctx.lang, path)}</label></div>`;
      })}</div>
</fieldset>`;
    }
    case 'check': {
      const f = hintAndError(ctx, path, id);
      return html`<div class="field${f.errorClass}">
${f.markup}
<div class="choice"><input type="checkbox" id="${id}" name="${path}" value="true"${attr('checked', value === true)}${attr('required', node.required)}${describedBy(f.hintId, f.errorId)}${f.invalid}><label for="${id}">${fieldLabel(ctx.kind, path, ctx.lang)}</label></div>
</div>`;
    }
    case 'group': {
      const f = hintAndError(ctx, path, id);
      if (node.record) return recordGroup(ctx, node, path, value, f);
      const children = node.children.map((child) =>
        renderNode(ctx, child, joinPath(path, child.key), valueAt(value, child.key)),
      );
      // The group's own errors link to its first field.
      ctx.anchors.set(path, firstChildAnchor(ctx, node.children, path) ?? id);
      return html`<fieldset class="group${f.errorClass}"${describedBy(f.hintId, f.errorId)}>
<legend>${labelText(ctx, node, path)}</legend>
${f.markup}
${children}
</fieldset>`;
    }
    case 'rows': {
      const f = hintAndError(ctx, path, id);
      const rows = Array.isArray(value) ? (value as unknown[]) : [];
      // Always one blank row to fill in, so no script is needed to add the first (or next) one.
      const count = Math.min(rows.length + 1, node.maxItems ?? Infinity);
      const itemLabel = fieldLabel(ctx.kind, `${path}.item`, ctx.lang);
      const rendered = Array.from({ length: count }, (_, i) => {
        const rowPath = joinPath(path, i);
        const fields = node.item.map((child) =>
          renderNode(ctx, child, joinPath(rowPath, child.key), valueAt(rows[i], child.key)),
        );
        ctx.anchors.set(rowPath, firstChildAnchor(ctx, node.item, rowPath) ?? id);
        const rowError = hintAndError(ctx, rowPath, fieldId(rowPath), false);
        return html`<fieldset class="group${rowError.errorClass}"${describedBy(undefined, rowError.errorId)}><legend>${t.row(itemLabel, i + 1)}</legend>${rowError.markup}${fields}</fieldset>`;
      });
      ctx.anchors.set(path, firstChildAnchor(ctx, node.item, joinPath(path, 0)) ?? id);
      return html`<fieldset class="group${f.errorClass}"${describedBy(f.hintId, f.errorId)}>
<legend>${labelText(ctx, node, path)}</legend>
${f.markup}
${rendered}
</fieldset>`;
    }
  }
}

/**
 * A count per kind of data (`peoplePerCategory`): folded away unless filled in or wrong, each count shown by the
 * page's script only while its kind is ticked above (all of them without the script).
 */
function recordGroup(
  ctx: RenderContext,
  node: Extract<FieldNode, { type: 'group' }>,
  path: string,
  value: unknown,
  f: ReturnType<typeof hintAndError>,
): SafeHtml {
  const children = node.children.map((child) => {
    const childPath = joinPath(path, child.key);
    const rendered = renderNode(ctx, child, childPath, valueAt(value, child.key));
    return html`<div data-depends-on="dataCategories" data-depends-values="${child.key}" data-depends-mode="show-when-checked">${rendered}</div>`;
  });
  ctx.anchors.set(path, firstChildAnchor(ctx, node.children, path) ?? fieldId(path));
  const open =
    (value !== null && typeof value === 'object' && Object.keys(value).length > 0) ||
    Object.keys(ctx.errors).some((p) => p === path || p.startsWith(`${path}.`));
  return html`<details class="group${f.errorClass}"${attr('open', open)}>
<summary>${labelText(ctx, node, path)}</summary>
${f.markup}
${children}
</details>`;
}

/**
 * The facts (first picture) in the six groups of client/web/facts-layout.ts. Exfiltration is not asked where the
 * breach type says the data has left by its nature; otherwise the page's script hides it once such a type is chosen.
 */
function factsSections(ctx: RenderContext, model: readonly FieldNode[], values: unknown): SafeHtml {
  const left = dataHasLeft(valueAt(values, 'breachType'));
  return html`${inSectionOrder(model, (n) => n.key).map(({ section, items }) => {
    const rendered = items.map((node) => {
      if (node.key !== 'exfiltration') return renderNode(ctx, node, node.key, valueAt(values, node.key));
      if (left && ctx.errors.exfiltration === undefined)
        return html`<div class="field"><p class="label">${fieldLabel(ctx.kind, 'exfiltration', ctx.lang)}</p><p class="hint">${actionTexts(ctx.lang).exfiltrationLeft}</p></div>`;
      return html`<div data-depends-on="breachType" data-depends-values="${DATA_LEFT_TYPES.join(' ')}" data-depends-mode="hide-when">${renderNode(ctx, node, node.key, valueAt(values, node.key))}</div>`;
    });
    return html`<fieldset class="group section"><legend>${section.legend[ctx.lang]}</legend>
${rendered}
</fieldset>`;
  })}`;
}

function firstChildAnchor(ctx: RenderContext, children: readonly FieldNode[], prefix: string): string | undefined {
  const first = children[0];
  return first ? ctx.anchors.get(joinPath(prefix, first.key)) : undefined;
}

/**
 * A field's name in the error summary, with its group: "Status" alone does not say which of seven measures,
 * "Bewijs veiligstellen (eerst) › Status" does.
 */
function summaryLabel(kind: TaskKind, path: string, lang: Language): string {
  const parts = path.split('.');
  const rowLabel = (rowsPath: string, index: string) =>
    texts(lang).row(fieldLabel(kind, `${rowsPath}.item`, lang), Number(index) + 1);
  const last = parts.at(-1)!;
  if (/^\d+$/.test(last)) return rowLabel(parts.slice(0, -1).join('.'), last);
  const leaf = fieldLabel(kind, path, lang);
  if (parts.length < 2) return leaf;
  const parent = parts.at(-2)!;
  const parentLabel = /^\d+$/.test(parent)
    ? rowLabel(parts.slice(0, -2).join('.'), parent)
    : fieldLabel(kind, parts.slice(0, -1).join('.'), lang);
  return `${parentLabel} › ${leaf}`;
}

/** The fields of a kind's form with their errors, and the error summary that links to them. */
export function renderTaskFields(
  kind: TaskKind,
  values: unknown,
  errors: TaskFormErrors,
  lang: Language,
  people?: readonly DirectoryChoice[],
): { fields: SafeHtml; summary: SafeHtml; hasRows: boolean } {
  const ctx: RenderContext = { kind, lang, errors, anchors: new Map(), people };
  const model = formModel(kind);
  const fields =
    kind === 'first-picture'
      ? [factsSections(ctx, model, values)]
      : model.map((node) => renderNode(ctx, node, node.key, valueAt(values, node.key)));
  const t = texts(lang);
  const paths = Object.keys(errors);
  const ordered = [
    ...paths.filter((p) => !ctx.anchors.has(p)),
    ...[...ctx.anchors.keys()].filter((p) => errors[p] !== undefined),
  ];
  const labelOf = (path: string) => (path === '' ? '' : `${summaryLabel(kind, path, lang)}: `);
  const summary =
    ordered.length === 0
      ? html``
      : html`<div class="error-summary" id="error-summary" tabindex="-1" role="alert" aria-labelledby="error-summary-title">
<h2 id="error-summary-title">${t.errorSummaryTitle}</h2>
<ul>${ordered.map((path) => {
          const anchor = ctx.anchors.get(path);
          const text = `${labelOf(path)}${errors[path]}`;
          return html`<li>${anchor ? html`<a href="#${anchor}">${text}</a>` : text}</li>`;
        })}</ul>
</div>`;
  return { fields: html`${fields}`, summary, hasRows: model.some((n) => n.type === 'rows') };
}

function suggestionFor(view: CaseView | undefined, lang: Language): SafeHtml {
  const a = view?.assessment;
  if (!a) return html``;
  const t = texts(lang);
  const s = a.suggestion;
  return html`<section class="notice" aria-labelledby="suggestion-title">
<h2 id="suggestion-title">${t.suggestion}</h2>
<dl class="facts">
<dt>${t.severity}</dt><dd>${severityText(a.severity, lang)}</dd>
<dt>${t.suggestNotifyAuthority}</dt><dd>${yesNo(s.notifyAuthority, lang)}</dd>
<dt>${t.suggestNotifyDataSubjects}</dt><dd>${yesNo(s.notifyDataSubjects, lang)}</dd>
${s.publicCommunication ? html`<dt>${t.suggestPublicCommunication}</dt><dd>${yesNo(true, lang)}</dd>` : ''}
</dl>
${suggestionReasons(a, lang)}
</section>`;
}

/** The task's page: what is asked, by when, and the form generated from its answer schema. */
export function renderTaskForm(task: Task, form: TaskFormState, page: PageContext): string {
  const { lang } = page;
  const t = texts(lang);
  const errors = form.errors ?? {};
  const hasErrors = Object.keys(errors).length > 0;
  const title = displayTaskTitle(task, lang);
  const breachHref = href(`/breaches/${segment(form.breachId)}`, lang);
  const action = href(`/breaches/${segment(form.breachId)}/tasks/${segment(task.id)}`, lang);
  const header = html`<p><a href="${breachHref}">${t.taskOf(form.breachId)}</a></p>
<h1>${title}</h1>
<dl class="facts">
<dt>${t.colTask}</dt><dd>${task.id}</dd>
<dt>${t.colRole}</dt><dd>${roleLabel(task.role, lang)}</dd>
${task.assignee ? html`<dt>${t.colAssignee}</dt><dd>${task.assignee}</dd>` : ''}
<dt>${t.colDue}</dt><dd>${timeEl(task.due, lang)}${task.status === 'open' && task.overdue ? html` <strong class="badge urgency-late">${t.overdue}</strong>` : ''}</dd>
</dl>
${task.detail && !(task.kind === 'notification-decision' && form.view?.assessment) ? html`<p>${englishText(task.detail, lang)}</p>` : ''}
${task.kind === 'notification-decision' ? suggestionFor(form.view, lang) : ''}
${task.status === 'open' ? letterSection(task, form.view, form.values, form.preview === true, lang) : ''}
${task.kind === 'triage' && task.status === 'open' ? triageContext(form.view, lang) : ''}`;

  let body: SafeHtml;
  if (task.status !== 'open') {
    body = html`${header}<p class="notice">${t.taskDone}</p>
${task.answer !== undefined ? html`<h2>${t.answer}</h2>${renderAnswer(task.kind, task.answer, lang)}` : ''}
<p><a href="${breachHref}">${t.backToBreach}</a></p>`;
  } else {
    const values =
      form.values ?? (task.kind === 'triage' ? triageDefaults(form.view) : letterPrefill(task, form.view, lang));
    const { fields, summary, hasRows } = renderTaskFields(task.kind, values, errors, lang, form.people);
    body = html`${summary}${header}
<p class="lead">${t.taskFormIntro}</p>
<form class="task" method="post" action="${action}" novalidate>
${csrfField(page.csrfToken)}
${fields}
<div class="actions">
<button type="submit">${t.submit}</button>
${letterPreviewButton(task, lang)}
${hasRows ? html`<button type="submit" class="secondary" name="_intent" value="add-row">${t.addRow}</button>` : ''}
</div>
</form>`;
  }
  return renderLayout({ ...page, title: `${hasErrors ? t.errorTitlePrefix : ''}${title}`, body, current: 'tasks' });
}
