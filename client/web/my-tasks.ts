import { displayTaskTitle } from './task-title';
import type { MyTaskItem } from '../../domain/my-tasks';
import { badge, cardTable, cell, countdownConfig, countdownEl, timeEl, urgencyOf } from './components';
import { html } from './html';
import { texts } from './i18n';
import { roleLabel } from '../../domain/labels';
import { href, renderLayout, segment, type PageContext } from './layout';

export function renderMyTasks(items: readonly MyTaskItem[], page: PageContext): string {
  const { lang } = page;
  const now = page.now ?? Date.now();
  const t = texts(lang);
  const sorted = [...items].sort((a, b) => Date.parse(a.task.due) - Date.parse(b.task.due));
  const body = html`<h1>${t.myTasksTitle}</h1>
<p class="lead">${t.myTasksIntro}</p>
${
  sorted.length === 0
    ? html`<p class="notice">${t.myTasksEmpty}</p>`
    : cardTable(
        t.myTasksTitle,
        [t.colTask, t.colBreach, t.colRole, t.colDue, t.colTimeLeft],
        sorted.map(({ breachId, task }) => {
          const msLeft = Date.parse(task.due) - now;
          const urgency = task.overdue ? 'late' : urgencyOf(msLeft);
          const link = href(`/breaches/${segment(breachId)}/tasks/${segment(task.id)}`, lang);
          return html`<tr class="urgency-${urgency}" data-urgency="${urgency}">
${cell(t.colTask, html`<a href="${link}">${displayTaskTitle(task, lang)}</a> <span class="muted">(${task.id})</span>`)}
${cell(t.colBreach, html`<a href="${href(`/breaches/${segment(breachId)}`, lang)}">${breachId}</a>`)}
${cell(t.colRole, html`${roleLabel(task.role, lang)}${task.assignee ? html`<br><span class="muted">${task.assignee}</span>` : ''}`)}
${cell(t.colDue, timeEl(task.due, lang))}
${cell(t.colTimeLeft, html`${badge(urgency, lang)}<br>${countdownEl(task.due, now, lang)}`)}
</tr>`;
        }),
      )
}`;
  return renderLayout({ ...page, title: t.myTasksTitle, body, current: 'tasks', countdown: countdownConfig(lang) });
}
