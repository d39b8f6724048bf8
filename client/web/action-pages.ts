import type { CaseView } from '../../domain/case';
import { CAUSES, DATA_CATEGORIES } from '../../domain/facts';
import type { Language } from '../../domain/language';
import { NOTIFICATION_PHASES, NOTIFICATION_REGIMES } from '../../domain/regimes/notifications';
import { renderActionFields, type ActionErrors, type ActionField } from './action-form';
import { actionTexts } from './action-texts';
import { html, type SafeHtml } from './html';
import { fieldLabel, texts, valueLabel } from './i18n';
import { csrfField, href, renderLayout, segment, type PageContext } from './layout';

/**
 * The breach's action forms: report a breach by hand, amend the facts, correct the awareness time, classify
 * NIS2/DORA, record a notification. The routes (client/http/action-routes.ts) send each through the Responder.
 */

export type ActionForm = 'new-breach' | 'facts' | 'awareness' | 'classify' | 'notification';

const options = (values: readonly string[], lang: Language) =>
  values.map((value) => ({ value, label: valueLabel(value, lang) }));
const fact = (key: string, lang: Language) => fieldLabel('first-picture', key, lang);

export function actionFields(form: ActionForm, lang: Language): ActionField[] {
  const a = actionTexts(lang);
  switch (form) {
    case 'new-breach':
      return [
        { name: 'summary', type: 'text', multiline: true, max: 2_000, required: true, label: a.newBreachSummary },
        { name: 'details', type: 'text', multiline: true, max: 20_000, label: a.newBreachDetails },
        { name: 'observedAt', type: 'datetime', label: a.newBreachObservedAt },
        { name: 'systems', type: 'lines', label: a.newBreachSystems },
      ];
    case 'facts':
      return [
        { name: 'summary', type: 'text', multiline: true, max: 5_000, label: fact('summary', lang) },
        { name: 'approxPeople', type: 'number', label: fact('approxPeople', lang) },
        { name: 'approxRecords', type: 'number', label: fact('approxRecords', lang) },
        {
          name: 'dataCategories',
          type: 'multi',
          options: options(DATA_CATEGORIES, lang),
          label: fact('dataCategories', lang),
        },
        { name: 'cause', type: 'choice', options: options(CAUSES, lang), label: fact('cause', lang) },
        { name: 'stillLeaking', type: 'yesno', label: fact('stillLeaking', lang) },
        {
          name: 'exfiltration',
          type: 'choice',
          options: options(['excluded', 'suspected', 'confirmed'], lang),
          label: fact('exfiltration', lang),
        },
        {
          name: 'recipients',
          type: 'choice',
          options: options(['trusted-confidential', 'unknown', 'public'], lang),
          label: fact('recipients', lang),
        },
        { name: 'contactDetailsKnown', type: 'yesno', label: fact('contactDetailsKnown', lang) },
        { name: 'crossBorder', type: 'yesno', label: fact('crossBorder', lang) },
        { name: 'processorInvolved', type: 'yesno', label: fact('processorInvolved', lang) },
      ];
    case 'awareness':
      return [
        { name: 'awareAt', type: 'datetime', required: true, label: a.awarenessAt },
        { name: 'reason', type: 'text', multiline: true, max: 2_000, required: true, label: a.awarenessReason },
      ];
    case 'classify':
      return [
        { name: 'nis2Significant', type: 'yesno', label: a.nis2Significant },
        { name: 'doraMajor', type: 'yesno', label: a.doraMajor },
        { name: 'doraMajorClassifiedAt', type: 'datetime', label: a.doraMajorClassifiedAt },
      ];
    case 'notification':
      return [
        {
          name: 'regime',
          type: 'choice',
          required: true,
          label: a.regime,
          options: NOTIFICATION_REGIMES.map((value) => ({ value, label: a.regimes[value] ?? value })),
        },
        {
          name: 'phase',
          type: 'choice',
          required: true,
          label: a.phase,
          options: NOTIFICATION_PHASES.map((value) => ({ value, label: a.phases[value] ?? value })),
        },
        { name: 'at', type: 'datetime', required: true, label: a.notifiedAt },
        { name: 'reference', type: 'text', max: 100, required: true, label: a.reference, hint: a.referenceHint },
        {
          name: 'reasonsForDelay',
          type: 'text',
          multiline: true,
          max: 5_000,
          label: a.reasonsForDelay,
          hint: a.reasonsForDelayHint,
        },
      ];
  }
}

/** Where each form lives: under its breach, or (a new breach) on its own. */
export function actionPath(form: ActionForm, breachId?: string): string {
  if (form === 'new-breach') return '/breaches/new';
  const base = `/breaches/${segment(breachId ?? '')}`;
  return `${base}/${{ facts: 'facts', awareness: 'awareness', classify: 'classification', notification: 'notifications/new' }[form]}`;
}

/** What the form shows before anything is entered: the facts as they stand, the awareness time, the classification. */
export function initialValues(form: ActionForm, view: CaseView | undefined): Record<string, unknown> {
  if (!view) return {};
  switch (form) {
    case 'facts':
      return { ...(view.facts.known ?? {}) };
    case 'awareness':
      return view.facts.awareAt ? { awareAt: view.facts.awareAt } : {};
    case 'classify':
      return { ...(view.facts.classification ?? {}) };
    case 'notification':
      return { regime: 'gdpr', phase: 'initial' };
    default:
      return {};
  }
}

function titleOf(form: ActionForm, lang: Language): { title: string; intro: string; submit: string } {
  const a = actionTexts(lang);
  switch (form) {
    case 'new-breach':
      return { title: a.newBreachTitle, intro: a.newBreachIntro, submit: a.newBreachSubmit };
    case 'facts':
      return { title: a.factsTitle, intro: a.factsIntro, submit: a.save };
    case 'awareness':
      return { title: a.awarenessTitle, intro: a.awarenessIntro, submit: a.save };
    case 'classify':
      return { title: a.classifyTitle, intro: a.classifyIntro, submit: a.save };
    case 'notification':
      return { title: a.notificationTitle, intro: a.notificationIntro, submit: a.save };
  }
}

export interface ActionFormState {
  breachId?: string;
  values: Record<string, unknown>;
  errors?: ActionErrors;
}

/** One action's page: where it belongs, what it does, and its form. */
export function renderActionForm(form: ActionForm, state: ActionFormState, page: PageContext): string {
  const { lang } = page;
  const t = texts(lang);
  const { title, intro, submit } = titleOf(form, lang);
  const errors = state.errors ?? {};
  const { fields, summary } = renderActionFields(actionFields(form, lang), state.values, errors, lang);
  const back = state.breachId
    ? html`<p><a href="${href(`/breaches/${segment(state.breachId)}`, lang)}">${t.backToBreach}</a></p>`
    : '';
  const body = html`${summary}${back}<h1>${title}</h1>
<p class="lead">${intro}</p>
<form class="action" method="post" action="${href(actionPath(form, state.breachId), lang)}" novalidate>
${csrfField(page.csrfToken)}
${fields}
<div class="actions"><button type="submit">${submit}</button></div>
</form>`;
  const hasErrors = Object.keys(errors).length > 0;
  return renderLayout({
    ...page,
    title: `${hasErrors ? t.errorTitlePrefix : ''}${title}`,
    body,
    ...(form === 'new-breach' ? { current: 'new-breach' as const } : {}),
  });
}

/** After a report by someone who may not see the breach: it is recorded, the FG takes it from here. */
export function renderReported(page: PageContext): string {
  const a = actionTexts(page.lang);
  const body = html`<h1>${a.reportedTitle}</h1><p class="notice" role="status">${a.reportedText}</p>
<p><a href="${href('/breaches/new', page.lang)}">${a.newBreachLink}</a></p>`;
  return renderLayout({ ...page, title: a.reportedTitle, body });
}

export interface ActionLink {
  path: string;
  label: string;
}

/** The block of action links on the breach page: only what the person may do. */
export function renderActionLinks(links: readonly ActionLink[], lang: Language): SafeHtml {
  if (links.length === 0) return html``;
  const a = actionTexts(lang);
  return html`<section aria-labelledby="actions"><h2 id="actions">${a.actions}</h2>
<ul class="action-links">${links.map((l) => html`<li><a href="${href(l.path, lang)}">${l.label}</a></li>`)}</ul></section>`;
}
