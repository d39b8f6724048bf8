import type { Language } from '../../domain/language';
import type { CheckedRecipients, RecipientProblem } from '../../domain/recipient-check';
import { actionTexts } from './action-texts';
import { attr, html } from './html';
import { texts } from './i18n';
import { csrfField, href, renderLayout, segment, type PageContext } from './layout';

/**
 * The recipient-list task on the web: a CSV file is checked row by row and shown with each row's problems
 * before anything is stored; only a clean file gets the confirm button, which stores and completes the task.
 */

export interface RecipientsPageState {
  breachId: string;
  /** The CSV text as entered, kept on every step. */
  text?: string;
  checked?: CheckedRecipients;
  /** Why nothing can be uploaded here (no open task, no register to write): shown instead of the form. */
  unavailable?: 'no-task' | 'no-store';
}

function problemText(problem: RecipientProblem, lang: Language, columns?: readonly string[]): string {
  const e = actionTexts(lang).csvErrors;
  switch (problem) {
    case 'not-csv':
      return e.notCsv;
    case 'empty':
      return e.empty;
    case 'unknown-columns':
      return e.unknownColumns((columns ?? []).map((c) => `"${c}"`).join(', '));
    case 'no-name-column':
      return e.noName;
    case 'no-contact-column':
      return e.noContact;
    case 'name-required':
      return e.nameRequired;
    case 'name-too-long':
      return e.nameTooLong;
    case 'email':
      return e.email;
    case 'address-too-long':
      return e.addressTooLong;
    case 'language':
      return e.language;
    case 'contact':
      return e.contact;
    case 'practice-real-address':
      return e.practiceRealAddress;
    case 'practice-postal':
      return e.practicePostal;
  }
}

/** Bad rows first would hide where they are in the file: every row in file order, the bad ones marked. */
function rowsTable(checked: CheckedRecipients, lang: Language) {
  const a = actionTexts(lang);
  const rows = checked.rows;
  return html`<table class="recipients-check"><thead><tr><th scope="col">${a.colRow}</th><th scope="col">${a.colName}</th><th scope="col">${a.colEmail}</th><th scope="col">${a.colAddress}</th><th scope="col">${a.colLanguage}</th><th scope="col">${a.colProblem}</th></tr></thead>
<tbody>${rows.map(
    (r) =>
      html`<tr${attr('class', r.problems.length > 0 ? 'row-error' : undefined)} data-row="${r.row}"><td>${r.row}</td><td>${r.record.name ?? ''}</td><td>${r.record.email ?? ''}</td><td>${r.record.address ?? ''}</td><td>${r.record.language ?? ''}</td><td>${
        r.problems.length > 0
          ? html`<span class="error-message">${r.problems.map((p) => problemText(p, lang)).join(' ')}</span>`
          : ''
      }</td></tr>`,
  )}</tbody></table>`;
}

export function renderRecipientsPage(state: RecipientsPageState, page: PageContext): string {
  const { lang } = page;
  const t = texts(lang);
  const a = actionTexts(lang);
  const path = `/breaches/${segment(state.breachId)}/recipients`;
  const back = html`<p><a href="${href(`/breaches/${segment(state.breachId)}`, lang)}">${t.backToBreach}</a></p>`;
  const checked = state.checked;
  const problems = checked
    ? [
        ...checked.fileProblems.map((f) => ({ row: undefined, text: problemText(f.problem, lang, f.columns) })),
        ...checked.rows.flatMap((r) => r.problems.map((p) => ({ row: r.row, text: problemText(p, lang) }))),
      ]
    : [];
  const summary =
    problems.length > 0
      ? html`<div class="error-summary" id="error-summary" tabindex="-1" role="alert" aria-labelledby="error-summary-title">
<h2 id="error-summary-title">${a.recipientsProblems(problems.length)}</h2>
<ul>${problems.map((p) => html`<li>${p.row === undefined ? a.csvErrors.header : `${a.colRow} ${p.row}`}: ${p.text}</li>`)}</ul>
<p>${a.recipientsNothingStored}</p></div>`
      : '';
  let content;
  if (state.unavailable) {
    content = html`<p class="notice">${state.unavailable === 'no-task' ? a.recipientsNoTask : a.recipientsNoStore}</p>`;
  } else {
    const confirm = checked?.recipients
      ? html`<section class="notice" aria-labelledby="confirm-title"><h2 id="confirm-title">${a.recipientsChecked(checked.recipients.length)}</h2>
<p>${a.recipientsConfirmHint}</p>
<form method="post" action="${href(path, lang)}">${csrfField(page.csrfToken)}
<input type="hidden" name="csv" value="${state.text ?? ''}">
<button type="submit" name="_intent" value="confirm">${a.recipientsConfirm}</button></form></section>`
      : '';
    content = html`${checked && checked.rows.length > 0 ? rowsTable(checked, lang) : ''}${confirm}
<form class="action" method="post" action="${href(path, lang)}" novalidate>
${csrfField(page.csrfToken)}
<div class="field"><label for="csv-file">${a.recipientsFile}</label><p class="hint" id="csv-file-hint">${a.recipientsFileHint}</p>
<input type="file" id="csv-file" accept=".csv,text/csv" data-csv-target="csv" aria-describedby="csv-file-hint"></div>
<div class="field${problems.length > 0 ? ' field-error' : ''}"><label for="csv">${a.recipientsText}</label><p class="hint" id="csv-hint">${a.recipientsTextHint}</p>
<textarea id="csv" name="csv" rows="8" aria-describedby="csv-hint">
${state.text ?? ''}</textarea></div>
<div class="actions"><button type="submit" name="_intent" value="check">${a.recipientsCheck}</button></div>
</form>`;
  }
  const body = html`${summary}${back}<h1>${a.recipientsTitle}</h1><p class="lead">${a.recipientsIntro}</p>${content}`;
  return renderLayout({
    ...page,
    title: `${problems.length > 0 ? t.errorTitlePrefix : ''}${a.recipientsTitle}`,
    body,
  });
}
