import type { CaseView } from '../../domain/case';
import type { Timing } from '../../domain/config';
import { roleLabel } from '../../domain/labels';
import type { Language } from '../../domain/language';
import { openTasksOf, waitsOf } from '../../domain/next-step';
import type { Directory } from '../../domain/roles';
import { countdownEl, timeEl } from './components';
import { html, truncate, type SafeHtml } from './html';
import { texts } from './i18n';
import { href, segment } from './layout';
import { nextTexts } from './next-texts';
import { displayTaskTitle, holderNames } from './task-title';

/**
 * The top of the breach page: what happens next. Either someone must act (the open tasks, who holds them, by
 * when), or the breach waits for a timer (the containment recheck, a follow-up, the evaluation) until a given
 * moment: without this a page with no open task looks finished while the procedure is only waiting.
 */
export function nextStepSection(
  view: CaseView,
  lang: Language,
  now: number,
  options: { timing?: Timing | undefined; directory?: Directory | undefined },
): SafeHtml {
  const n = nextTexts(lang);
  const t = texts(lang);
  const open = openTasksOf(view);
  const waits = options.timing ? waitsOf(view, options.timing) : [];
  const items = [
    ...open.map((task) => {
      const link = href(`/breaches/${segment(view.breachId)}/tasks/${segment(task.id)}`, lang);
      const holders = holderNames(task, options.directory);
      return html`<li data-next="task" data-task="${task.id}"><a href="${link}">${displayTaskTitle(task, lang)}</a> — ${
        holders.length ? truncate(holders.join(', '), 160) : roleLabel(task.role, lang)
      }${task.assignee ? '' : html` <span class="muted">(${roleLabel(task.role, lang)})</span>`}<br>${t.colDue}: ${timeEl(task.due, lang)} (${countdownEl(task.due, now, lang)})${
        task.overdue ? html` <strong class="badge urgency-late">${t.overdue}</strong>` : ''
      }</li>`;
    }),
    ...waits.map(
      (w) =>
        html`<li data-next="wait" data-wait="${w.kind}"><strong>${n.waitingUntil} ${timeEl(w.at, lang)}</strong>: ${n.waits[w.kind]}${
          w.kind === 'aftercare-follow-up' ? ` (${n.followUpRound(w.round)})` : ''
        }</li>`,
    ),
  ];
  const closed = view.phase === 'closed' || view.closedAt !== undefined;
  return html`<section class="next-step" aria-labelledby="next-step"><h2 id="next-step">${n.nextStepTitle}</h2>${
    items.length ? html`<ul class="plain">${items}</ul>` : html`<p>${closed ? t.closedAt : n.nothingOpen}</p>`
  }</section>`;
}

/** Links to the page's sections: on a phone the page is long, and this is the way to its parts. */
export function jumpNav(sections: readonly { id: string; title: string }[], lang: Language): SafeHtml {
  return html`<nav class="jump" aria-label="${nextTexts(lang).jumpTo}"><ul>${sections.map(
    (s) => html`<li><a href="#${s.id}">${s.title}</a></li>`,
  )}</ul></nav>`;
}
