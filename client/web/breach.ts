import { letterStatus } from './letter-view';
import type { CaseView } from '../../domain/case';
import type { EmailRow } from '../../domain/register';
import { renderAnswer, renderFields } from './answer-view';
import { badge, cardTable, cell, words, countdownConfig, countdownEl, timeEl, urgencyOf, yesNo } from './components';
import { formModel } from './form-model';
import { displayTaskTitle } from './task-title';
import { jumpNav, nextStepSection } from './breach-next';
import type { Timing } from '../../domain/config';
import type { Directory } from '../../domain/roles';
import { decisionText, entryText } from './history-text';
import { renderAssessment, severityText } from './reasoning';
import { html, type SafeHtml } from './html';
import { texts, valueLabel } from './i18n';
import {
  DEADLINE_LABELS,
  DEADLINE_STATUS_LABELS,
  PHASE_LABELS,
  TASK_STATUS_LABELS,
  roleLabel,
  taskTitle,
} from '../../domain/labels';
import type { Language } from '../../domain/language';
import { basisLabel, notificationPhaseLabel, regimeLabel } from '../../domain/legal-basis';
import { href, renderLayout, segment, type PageContext } from './layout';
import { renderActionLinks, type ActionLink } from './action-pages';

export interface BreachPageExtras {
  /** The emails sent for the breach, from the register (the case view does not hold them). */
  emails?: readonly EmailRow[];
  /** A confirmation after an action (e.g. "task completed"), announced to screen readers. */
  notice?: string;
  /** The actions this person may take on the breach (client/http/action-routes.ts), as links. */
  actions?: readonly ActionLink[];
  /** The configured timing: the moments the playbooks wait for (the next step says "waiting until"). */
  timing?: Timing;
  /** For the names of who holds each open task. */
  directory?: Directory;
}

function section(id: string, title: string, content: SafeHtml): SafeHtml {
  return html`<section aria-labelledby="${id}"><h2 id="${id}">${title}</h2>${content}</section>`;
}

function orNothing(rows: readonly unknown[], lang: Language, content: () => SafeHtml): SafeHtml {
  return rows.length === 0 ? html`<p class="muted">${texts(lang).noneYet}</p>` : content();
}

function overview(view: CaseView, lang: Language): SafeHtml {
  const t = texts(lang);
  return html`<dl class="facts">
<dt>${t.phase}</dt><dd>${PHASE_LABELS[view.phase][lang]}</dd>
${view.outcome ? html`<dt>${t.outcome}</dt><dd>${t.outcomes[view.outcome]}</dd>` : ''}
<dt>${t.openedAt}</dt><dd>${timeEl(view.openedAt, lang)}</dd>
${view.facts.awareAt ? html`<dt>${t.awareAt}</dt><dd>${timeEl(view.facts.awareAt, lang)}</dd>` : ''}
${view.closedAt ? html`<dt>${t.closedAt}</dt><dd>${timeEl(view.closedAt, lang)}</dd>` : ''}
${view.assessment ? html`<dt>${t.severity}</dt><dd>${severityText(view.assessment.severity, lang)}</dd>` : ''}
</dl>`;
}

function deadlines(view: CaseView, now: number, lang: Language): SafeHtml {
  const t = texts(lang);
  return orNothing(view.deadlines, lang, () =>
    cardTable(
      t.sectionDeadlines,
      [t.colKind, t.colDue, t.colTimeLeft, t.colStatus, t.colMetAt, t.colBasis],
      [...view.deadlines]
        .sort((a, b) => Date.parse(a.due) - Date.parse(b.due))
        .map((d) => {
          const open = d.metAt === undefined && (d.status === 'pending' || d.status === 'late');
          const urgency = d.status === 'late' && open ? 'late' : open ? urgencyOf(Date.parse(d.due) - now) : 'none';
          return html`<tr${open ? html` class="urgency-${urgency}" data-urgency="${urgency}"` : ''}>
${words(t.colKind, html`${DEADLINE_LABELS[d.kind]?.[lang] ?? d.label ?? d.kind}${d.provisional ? html` <span class="muted">(${t.provisional})</span>` : ''}`)}
${words(t.colDue, timeEl(d.due, lang))}
${words(t.colTimeLeft, open ? html`${badge(urgency, lang)}<br>${countdownEl(d.due, now, lang)}` : '–')}
${words(t.colStatus, DEADLINE_STATUS_LABELS[d.status]?.[lang] ?? d.status)}
${words(t.colMetAt, timeEl(d.metAt, lang))}
${words(t.colBasis, basisLabel(d.kind, lang) ?? d.basis ?? '–')}
</tr>`;
        }),
    ),
  );
}

function tasks(view: CaseView, lang: Language): SafeHtml {
  const t = texts(lang);
  return orNothing(view.tasks, lang, () =>
    cardTable(
      t.sectionTasks,
      [t.colTask, t.colRole, t.colDue, t.colStatus, t.colCompleted],
      view.tasks.map((task) => {
        const link = href(`/breaches/${segment(view.breachId)}/tasks/${segment(task.id)}`, lang);
        return html`<tr>
${cell(
  t.colTask,
  html`<a href="${link}">${displayTaskTitle(task, lang)}</a>${
    task.answer !== undefined
      ? html`<details><summary>${t.answer}</summary>${renderAnswer(task.kind, task.answer, lang)}</details>`
      : ''
  }`,
)}
${words(t.colRole, html`${roleLabel(task.role, lang)}${task.assignee ? html`<br><span class="muted">${task.assignee}</span>` : ''}`)}
${words(t.colDue, timeEl(task.due, lang))}
${words(t.colStatus, html`${TASK_STATUS_LABELS[task.status]?.[lang] ?? task.status}${task.status === 'open' && task.overdue ? html` <strong class="badge urgency-late">${t.overdue}</strong>` : ''}`)}
${cell(t.colCompleted, task.completedAt ? html`${timeEl(task.completedAt, lang)}${task.completedBy ? html`<br>${task.completedBy}` : ''}${task.completedVia ? html`<br><span class="muted">${t.viaCli(task.completedVia.osUser, task.completedVia.host)}</span>` : ''}` : '–')}
</tr>`;
      }),
    ),
  );
}

function facts(view: CaseView, lang: Language): SafeHtml {
  const t = texts(lang);
  const parts: SafeHtml[] = [];
  if (view.facts.known) parts.push(renderAnswer('first-picture', view.facts.known, lang));
  const containment = view.facts.containment;
  if (containment) {
    const measures = formModel('containment').find((n) => n.key === 'measures');
    parts.push(html`<h3>${taskTitle('containment', lang)}</h3>
${containment.containedAt ? html`<p>${timeEl(containment.containedAt, lang)}</p>` : ''}
${measures?.type === 'group' ? renderFields('containment', measures.children, 'measures', containment.measures, lang) : ''}`);
  }
  if (view.facts.impact)
    parts.push(html`<h3>${taskTitle('impact', lang)}</h3>${renderAnswer('impact', view.facts.impact, lang)}`);
  if (view.facts.evaluation)
    parts.push(
      html`<h3>${taskTitle('evaluation', lang)}</h3>${renderAnswer('evaluation', view.facts.evaluation, lang)}`,
    );
  return parts.length === 0 ? html`<p class="muted">${t.noFacts}</p>` : html`${parts}`;
}

function assessment(view: CaseView, lang: Language): SafeHtml {
  return view.assessment ? renderAssessment(view.assessment, lang) : html`<p class="muted">${texts(lang).noneYet}</p>`;
}

function decisions(view: CaseView, lang: Language): SafeHtml {
  const t = texts(lang);
  return orNothing(view.decisions, lang, () =>
    cardTable(
      t.sectionDecisions,
      [t.colAt, t.colKind, t.colDecision, t.colBy],
      view.decisions.map(
        (d) => html`<tr>
${words(t.colAt, timeEl(d.at, lang))}
${words(t.colKind, t.decisionKinds[d.kind] ?? d.kind)}
${cell(t.colDecision, html`${decisionText(d, lang)}${d.override ? html`<br><strong>${t.override}</strong>` : ''}`)}
${cell(t.colBy, d.by)}
</tr>`,
      ),
    ),
  );
}

function notifications(view: CaseView, lang: Language): SafeHtml {
  const t = texts(lang);
  return orNothing(view.notifications, lang, () =>
    cardTable(
      t.sectionNotifications,
      [t.colAt, t.colTo, t.colNotificationPhase, t.colReference, t.colLate, t.colBy],
      view.notifications.map(
        (n) => html`<tr>
${words(t.colAt, timeEl(n.at, lang))}
${cell(t.colTo, html`${t.notificationTo[n.to] ?? n.to}${n.regime ? ` (${regimeLabel(n.regime, lang)})` : ''}${n.channel ? html`<br><span class="muted">${valueLabel(n.channel, lang)}</span>` : ''}`)}
${words(t.colNotificationPhase, n.phase ? notificationPhaseLabel(n.phase, lang) : '–')}
${cell(t.colReference, n.reference ?? '–')}
${cell(t.colLate, html`${yesNo(n.late, lang)}${n.reasonsForDelay ? html`<br>${t.reasonsForDelay}: ${n.reasonsForDelay}` : ''}`)}
${cell(t.colBy, n.recordedBy)}
</tr>`,
      ),
    ),
  );
}

function emails(list: readonly EmailRow[] | undefined, lang: Language): SafeHtml {
  const t = texts(lang);
  return orNothing(list ?? [], lang, () =>
    cardTable(
      t.sectionEmails,
      [t.colAt, t.colPurpose, t.colRecipient, t.colSubject],
      (list ?? []).map(
        (e) => html`<tr>
${words(t.colAt, timeEl(e.sent_at, lang))}
${words(t.colPurpose, e.purpose)}
${cell(t.colRecipient, e.recipient)}
${cell(t.colSubject, e.subject)}
</tr>`,
      ),
    ),
  );
}

function reports(view: CaseView, lang: Language): SafeHtml {
  const t = texts(lang);
  // The same event reported again (a SIEM retrying, a colleague calling): counted per source, never kept one by one.
  const duplicates = (view.duplicates ?? []).map(
    (d) =>
      html`<li>${t.duplicatesOf(d.count, d.source)} (${t.duplicatesBetween}: ${timeEl(d.firstAt, lang)} – ${timeEl(d.lastAt, lang)})</li>`,
  );
  const counted = duplicates.length > 0 ? html`<ul class="duplicates">${duplicates}</ul>` : '';
  return html`${orNothing(view.reports, lang, () =>
    cardTable(
      t.sectionReports,
      [t.colAt, t.colSource, t.colEventId, t.colSummary],
      view.reports.map(
        (r) => html`<tr>
${words(t.colAt, timeEl(r.receivedAt, lang))}
${words(t.colSource, html`${r.source}${r.duplicate ? html` <span class="muted">(${t.duplicate})</span>` : ''}`)}
${cell(t.colEventId, r.eventId)}
${cell(t.colSummary, r.summary)}
</tr>`,
      ),
    ),
  )}${counted}`;
}

function timeline(view: CaseView, lang: Language): SafeHtml {
  return orNothing(
    view.timeline,
    lang,
    () =>
      html`<ol class="timeline">${[...view.timeline]
        .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
        .map(
          (e) =>
            html`<li>${timeEl(e.at, lang)} ${entryText(e, lang)}${e.actor ? html` <span class="muted">(${e.actor})</span>` : ''}</li>`,
        )}</ol>`,
  );
}

/** The whole case on one page: everything the query returns, plus the emails from the register. */
export function renderBreach(view: CaseView, page: PageContext, extras: BreachPageExtras = {}): string {
  const { lang } = page;
  const now = page.now ?? Date.now();
  const t = texts(lang);
  const progress = view.facts.dataSubjects;
  const letter = letterStatus(view, lang);
  // Tasks first, history last: what is to be done before what was done.
  const parts: { id: string; title: string; content: SafeHtml }[] = [
    { id: 'tasks', title: t.sectionTasks, content: tasks(view, lang) },
    { id: 'deadlines', title: t.sectionDeadlines, content: deadlines(view, now, lang) },
    { id: 'overview', title: t.sectionOverview, content: overview(view, lang) },
    { id: 'facts', title: t.sectionFacts, content: facts(view, lang) },
    { id: 'assessment', title: t.sectionAssessment, content: assessment(view, lang) },
    { id: 'decisions', title: t.sectionDecisions, content: decisions(view, lang) },
    { id: 'notifications', title: t.sectionNotifications, content: notifications(view, lang) },
    ...(letter ? [letter] : []),
    ...(progress
      ? [
          {
            id: 'data-subjects',
            title: t.sectionDataSubjects,
            content: html`<p>${t.dataSubjectsProgress(progress)}</p>`,
          },
        ]
      : []),
    { id: 'emails', title: t.sectionEmails, content: emails(extras.emails, lang) },
    { id: 'reports', title: t.sectionReports, content: reports(view, lang) },
    { id: 'timeline', title: t.sectionTimeline, content: timeline(view, lang) },
  ];
  const body = html`<h1>${t.breachTitle(view.breachId)}</h1>
${extras.notice ? html`<p class="notice" role="status">${extras.notice}</p>` : ''}
${view.reports[0] ? html`<p class="lead">${view.reports[0].summary}</p>` : ''}
${nextStepSection(view, lang, now, extras)}
${renderActionLinks(extras.actions ?? [], lang)}
${jumpNav(parts, lang)}
${parts.map((p) => section(p.id, p.title, p.content))}`;
  return renderLayout({ ...page, title: t.breachTitle(view.breachId), body, countdown: countdownConfig(lang) });
}
