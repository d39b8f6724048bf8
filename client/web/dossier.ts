import type { DraftSection } from '../../domain/ap-draft';
import { UNKNOWN_MARK } from '../../domain/ap-draft';
import type { CaseView } from '../../domain/case';
import {
  BAND_LABELS,
  DEADLINE_LABELS,
  DEADLINE_STATUS_LABELS,
  PHASE_LABELS,
  TASK_STATUS_LABELS,
  roleLabel,
  taskTitle,
} from '../../domain/labels';
import type { Language } from '../../domain/language';
import { CONTAINMENT_MEASURES } from '../../domain/tasks';
import { actionTexts } from './action-texts';
import { renderAnswer } from './answer-view';
import { englishText, timeEl, yesNo } from './components';
import { html, type SafeHtml } from './html';
import { fieldLabel, texts, valueLabel } from './i18n';
import { href, renderLayout, segment, type PageContext } from './layout';

/**
 * The printable pages of a case: the AP draft (copy-ready, field by field), the closing report and the case
 * dossier (everything on one page). Print CSS in client/web/assets.ts hides the navigation and the buttons.
 */

/** The AP's page for notifying a breach (datalek melden), from where its online form starts. */
export const AP_NOTIFICATION_PAGE =
  'https://www.autoriteitpersoonsgegevens.nl/themas/beveiliging/datalekken/datalek-melden';

const back = (breachId: string, lang: Language) =>
  html`<p class="no-print"><a href="${href(`/breaches/${segment(breachId)}`, lang)}">${texts(lang).backToBreach}</a></p>`;

/** The draft is Dutch, as the AP's form is: the page around it follows the reader's language. */
export function renderApDraftPage(breachId: string, sections: readonly DraftSection[], page: PageContext): string {
  const { lang } = page;
  const a = actionTexts(lang);
  const body = html`${back(breachId, lang)}<h1>${a.apDraftTitle}</h1>
<p class="lead">${a.apDraftIntro}</p>
<p class="no-print"><a href="${AP_NOTIFICATION_PAGE}" rel="noopener noreferrer" target="_blank">${a.apFormLink}</a></p>
<p class="no-print muted">${a.print}</p>
<div lang="nl">${sections.map(
    (
      section,
    ) => html`<section class="ap-draft" aria-labelledby="ap-${section.id}"><h2 id="ap-${section.id}">${section.title}</h2>
${section.fields.map((field, i) => {
  const id = `ap-${section.id}-${i}`;
  const unknown = field.value === null;
  return html`<div class="draft-field"><h3 id="${id}-label">${field.label}</h3>
<pre class="copy-text${unknown ? ' unknown' : ''}" id="${id}" aria-labelledby="${id}-label">${unknown ? UNKNOWN_MARK : field.value}</pre>
<button type="button" class="secondary no-print" data-copy="${id}" data-copied="${a.copied}">${a.copy}<span class="visually-hidden">: ${field.label}</span></button></div>`;
})}</section>`,
  )}</div>`;
  return renderLayout({ ...page, title: a.apDraftTitle, body });
}

const list = (items: readonly string[], lang: Language) =>
  items.length > 0 ? items.map((i) => valueLabel(i, lang)).join(', ') : texts(lang).unknown;

/** The art. 33(5) record in the reader's words: facts, effects, remedial action. */
function registerRecord(view: CaseView, lang: Language): SafeHtml {
  const a = actionTexts(lang);
  const t = texts(lang);
  const { known, impact, containment, evaluation, awareAt } = view.facts;
  const done = containment ? CONTAINMENT_MEASURES.filter((m) => containment.measures[m].status === 'done') : [];
  return html`<section aria-labelledby="record"><h2 id="record">${a.registerRecord}</h2><dl class="facts">
<dt>${a.recordFacts}</dt><dd>${known?.summary ?? t.unknown}
<br>${fieldLabel('first-picture', 'dataCategories', lang)}: ${list(known?.dataCategories ?? [], lang)}
<br>${fieldLabel('first-picture', 'approxPeople', lang)} ${known?.approxPeople ?? '?'}; ${fieldLabel('first-picture', 'approxRecords', lang)} ${known?.approxRecords ?? '?'}
<br>${fieldLabel('first-picture', 'cause', lang)}: ${known?.cause ? valueLabel(known.cause, lang) : t.unknown}
<br>${t.awareAt}: ${awareAt ? timeEl(awareAt, lang) : t.unknown}
${view.assessment ? html`<br>${t.severity}: ${BAND_LABELS[view.assessment.severity.band][lang]}` : ''}</dd>
<dt>${a.recordEffects}</dt><dd>${impact ? renderAnswer('impact', impact, lang) : t.unknown}</dd>
<dt>${a.recordRemedial}</dt><dd>${taskTitle('containment', lang)}: ${done.length > 0 ? done.map((m) => fieldLabel('containment', `measures.${m}`, lang)).join(', ') : t.noneYet}
<br>${a.improvementActions}: ${evaluation && evaluation.improvementActions.length > 0 ? evaluation.improvementActions.map((i) => i.description).join('; ') : t.noneYet}</dd>
</dl></section>`;
}

function decisions(view: CaseView, lang: Language): SafeHtml {
  const t = texts(lang);
  const a = actionTexts(lang);
  return html`<section aria-labelledby="decisions"><h2 id="decisions">${t.sectionDecisions}</h2>${
    view.decisions.length === 0
      ? html`<p>${t.noneYet}</p>`
      : html`<table><thead><tr><th scope="col">${t.colAt}</th><th scope="col">${a.colBy}</th><th scope="col">${t.colSummary}</th></tr></thead><tbody>${view.decisions.map(
          (d) => html`<tr><td>${timeEl(d.at, lang)}</td><td>${d.by}</td><td>${englishText(d.summary, lang)}</td></tr>`,
        )}</tbody></table>`
  }</section>`;
}

function deadlinesAndNotifications(view: CaseView, lang: Language): SafeHtml {
  const t = texts(lang);
  const a = actionTexts(lang);
  return html`<section aria-labelledby="notifications"><h2 id="notifications">${t.sectionNotifications}</h2>
<table><thead><tr><th scope="col">${t.sectionDeadlines}</th><th scope="col">${t.colDue}</th><th scope="col">${t.colStatus}</th><th scope="col">${a.colMet}</th></tr></thead>
<tbody>${view.deadlines.map(
    (d) =>
      html`<tr><td>${DEADLINE_LABELS[d.kind][lang]}</td><td>${timeEl(d.due, lang)}</td><td>${DEADLINE_STATUS_LABELS[d.status][lang]}</td><td>${d.metAt ? timeEl(d.metAt, lang) : ''}</td></tr>`,
  )}</tbody></table>
${
  view.notifications.length === 0
    ? html`<p>${t.noneYet}</p>`
    : html`<table><thead><tr><th scope="col">${a.colTo}</th><th scope="col">${t.colAt}</th><th scope="col">${a.colReference}</th><th scope="col">${a.colLate}</th><th scope="col">${a.colReasons}</th></tr></thead><tbody>${view.notifications.map(
        (n) =>
          html`<tr><td>${n.regime ? (a.regimes[n.regime] ?? n.regime) : n.to}${n.phase ? html` — ${a.phases[n.phase] ?? n.phase}` : ''}</td><td>${timeEl(n.at, lang)}</td><td>${n.reference ?? ''}</td><td>${yesNo(n.late, lang)}</td><td>${n.reasonsForDelay ?? ''}</td></tr>`,
      )}</tbody></table>`
}</section>`;
}

function lessons(view: CaseView, lang: Language): SafeHtml {
  const t = texts(lang);
  const a = actionTexts(lang);
  const ev = view.facts.evaluation;
  return html`<section aria-labelledby="lessons"><h2 id="lessons">${a.lessons}</h2><p>${ev?.lessonsLearned ?? a.notEvaluated}</p>
${
  ev && ev.improvementActions.length > 0
    ? html`<table><thead><tr><th scope="col">${a.colDescription}</th><th scope="col">${a.colOwner}</th><th scope="col">${t.colDue}</th><th scope="col">${a.colDone}</th></tr></thead><tbody>${ev.improvementActions.map(
        (i) =>
          html`<tr><td>${i.description}</td><td>${i.owner}</td><td>${timeEl(i.due, lang)}</td><td>${timeEl(i.doneAt, lang)}</td></tr>`,
      )}</tbody></table>`
    : ''
}</section>`;
}

function tasks(view: CaseView, lang: Language): SafeHtml {
  const t = texts(lang);
  const a = actionTexts(lang);
  return html`<section aria-labelledby="tasks"><h2 id="tasks">${t.sectionTasks}</h2>
<table><thead><tr><th scope="col">${t.colTask}</th><th scope="col">${t.colRole}</th><th scope="col">${t.colDue}</th><th scope="col">${t.colStatus}</th><th scope="col">${a.colCompletedBy}</th></tr></thead>
<tbody>${view.tasks.map(
    (task) =>
      html`<tr><td>${taskTitle(task.kind, lang)}</td><td>${roleLabel(task.role, lang)}</td><td>${timeEl(task.due, lang)}</td><td>${TASK_STATUS_LABELS[task.status][lang]}${task.overdue ? html` (${t.overdue})` : ''}</td><td>${task.completedBy ?? ''}</td></tr>`,
  )}</tbody></table></section>`;
}

/** The severity and lekdicht's suggestion, with their reasons (the workflow writes those in English). */
function assessment(view: CaseView, lang: Language): SafeHtml {
  const a = view.assessment;
  if (!a) return html``;
  const t = texts(lang);
  return html`<section aria-labelledby="assessment"><h2 id="assessment">${t.sectionAssessment}</h2><dl class="facts">
<dt>${t.severity}</dt><dd>${BAND_LABELS[a.severity.band][lang]} (${t.score} ${a.severity.score})</dd>
<dt>${t.suggestNotifyAuthority}</dt><dd>${yesNo(a.suggestion.notifyAuthority, lang)}</dd>
<dt>${t.suggestNotifyDataSubjects}</dt><dd>${yesNo(a.suggestion.notifyDataSubjects, lang)}</dd>
</dl>${a.suggestion.reasons.length ? html`<h3>${t.reasons}</h3><ul>${a.suggestion.reasons.map((r) => html`<li>${englishText(r, lang)}</li>`)}</ul>` : ''}</section>`;
}

/** Every completed task with its answer: the decisions' reasons and what each person recorded, in order. */
function answers(view: CaseView, lang: Language): SafeHtml {
  const t = texts(lang);
  const done = view.tasks
    .filter((task) => task.status === 'done' && task.answer !== undefined)
    .sort((x, y) => Date.parse(x.completedAt ?? x.createdAt) - Date.parse(y.completedAt ?? y.createdAt));
  if (done.length === 0) return html``;
  return html`<section aria-labelledby="answers"><h2 id="answers">${t.answer}</h2>${done.map(
    (task) =>
      html`<h3>${taskTitle(task.kind, lang)}${task.completedBy ? html` <span class="muted">(${task.completedBy}${task.completedAt ? html`, ${timeEl(task.completedAt, lang)}` : ''})</span>` : ''}</h3>${renderAnswer(task.kind, task.answer, lang)}`,
  )}</section>`;
}

function overview(view: CaseView, lang: Language): SafeHtml {
  const t = texts(lang);
  return html`<dl class="facts">
<dt>${t.phase}</dt><dd>${PHASE_LABELS[view.phase][lang]}${view.outcome ? html` (${t.outcomes[view.outcome]})` : ''}</dd>
<dt>${t.openedAt}</dt><dd>${timeEl(view.openedAt, lang)}</dd>
${view.closedAt ? html`<dt>${t.closedAt}</dt><dd>${timeEl(view.closedAt, lang)}</dd>` : ''}
<dt>${t.awareAt}</dt><dd>${view.facts.awareAt ? timeEl(view.facts.awareAt, lang) : t.unknown}</dd>
</dl>`;
}

/**
 * The closing report, or with `dossier` the whole case: the report's parts plus the facts as known, every
 * report from a source and the timeline.
 */
export function renderCaseDocument(view: CaseView, kind: 'report' | 'dossier', page: PageContext): string {
  const { lang } = page;
  const t = texts(lang);
  const a = actionTexts(lang);
  const title = `${kind === 'report' ? a.reportTitle : a.dossierTitle} ${view.breachId}`;
  const extra =
    kind === 'dossier'
      ? html`${assessment(view, lang)}${answers(view, lang)}<section aria-labelledby="facts"><h2 id="facts">${t.sectionFacts}</h2>${view.facts.known ? renderAnswer('first-picture', view.facts.known, lang) : html`<p>${t.noFacts}</p>`}</section>
<section aria-labelledby="reports"><h2 id="reports">${a.reports}</h2><ul>${view.reports.map(
          (r) => html`<li>${timeEl(r.receivedAt, lang)} — ${r.source} (${r.eventId}): ${r.summary}</li>`,
        )}</ul></section>
<section aria-labelledby="timeline"><h2 id="timeline">${t.sectionTimeline}</h2><ol class="timeline">${[...view.timeline]
          .sort((x, y) => Date.parse(x.at) - Date.parse(y.at))
          .map(
            (e) =>
              html`<li>${timeEl(e.at, lang)} ${englishText(e.text, lang)}${e.actor ? html` <span class="muted">(${e.actor})</span>` : ''}</li>`,
          )}</ol></section>`
      : '';
  const body = html`${back(view.breachId, lang)}<h1>${title}</h1>
${kind === 'dossier' ? html`<p class="lead">${a.dossierIntro}</p>` : ''}
<p class="no-print muted">${a.print}</p>
${overview(view, lang)}
${view.reports[0] ? html`<p class="lead">${view.reports[0].summary}</p>` : ''}
${registerRecord(view, lang)}
${decisions(view, lang)}
${deadlinesAndNotifications(view, lang)}
${lessons(view, lang)}
${tasks(view, lang)}
${extra}`;
  return renderLayout({ ...page, title, body });
}
