import type { CaseView } from '../../domain/case';
import {
  BREACH_TYPES,
  CAUSES,
  DATA_CATEGORIES,
  DATA_LEFT_TYPES,
  IDENTIFIABILITY,
  LOSS_LEVELS,
  OUTAGE_CONSEQUENCES,
  RECIPIENTS,
  RECOVERY,
  SECTORS,
  SUBJECT_KINDS,
} from '../../domain/facts';
import type { Language } from '../../domain/language';
import { NOTIFICATION_PHASES, NOTIFICATION_REGIMES } from '../../domain/regimes/notifications';
import { renderActionFields, type ActionErrors, type ActionField } from './action-form';
import { actionTexts } from './action-texts';
import { html, type SafeHtml } from './html';
import { dataHasLeft, FACTS_SECTIONS, sectionOf } from './facts-layout';
import { fieldHint, fieldLabel, texts, valueLabel } from './i18n';
import { csrfField, href, renderLayout, segment, type PageContext } from './layout';

/**
 * The breach's action forms: report a breach by hand, amend the facts, correct the awareness time, classify
 * NIS2/DORA, record a notification. The routes (client/http/action-routes.ts) send each through the Responder.
 */

export type ActionForm = 'new-breach' | 'facts' | 'awareness' | 'classify' | 'notification';

const options = (values: readonly (string | number)[], lang: Language, field?: string) =>
  values.map((value) => ({ value: String(value), label: valueLabel(value, lang, field) }));
const fact = (key: string, lang: Language) => fieldLabel('first-picture', key, lang);

/**
 * The facts form: every fact, grouped as the first-picture task groups them (client/web/facts-layout.ts), each
 * nested fact under its own path ("protection.encrypted"). Where the breach type says the data has left by its
 * nature, exfiltration is not asked (who holds it and whether it came back are); otherwise the page's script
 * hides it as soon as such a type is chosen.
 */
function factsFields(lang: Language, values: Record<string, unknown>): ActionField[] {
  const label = (name: string) => fact(name, lang);
  const hint = (name: string) => {
    const text = fieldHint('first-picture', name, lang);
    return text ? { hint: text } : {};
  };
  const choice = (name: string, values: readonly (string | number)[]): ActionField => ({
    name,
    type: 'choice',
    options: options(values, lang, name),
    label: label(name),
    ...hint(name),
  });
  const multi = (name: string, values: readonly string[]): ActionField => ({
    name,
    type: 'multi',
    options: options(values, lang, name),
    label: label(name),
    ...hint(name),
  });
  const yesno = (name: string): ActionField => ({ name, type: 'yesno', label: label(name), ...hint(name) });
  const number = (name: string): ActionField => ({ name, type: 'number', label: label(name), ...hint(name) });
  const datetime = (name: string): ActionField => ({ name, type: 'datetime', label: label(name), ...hint(name) });
  const grouped = (group: string, fields: ActionField[]): ActionField[] =>
    fields.map((f) => ({ ...f, group: label(group) }));
  const exfiltration: ActionField = dataHasLeft(values.breachType)
    ? { name: 'exfiltration', type: 'note', label: label('exfiltration'), hint: actionTexts(lang).exfiltrationLeft }
    : {
        ...choice('exfiltration', ['excluded', 'suspected', 'confirmed']),
        dependsOn: { name: 'breachType', values: DATA_LEFT_TYPES, mode: 'hide-when' },
      };
  const byKey: Record<string, ActionField[]> = {
    summary: [{ name: 'summary', type: 'text', multiline: true, max: 5_000, label: label('summary') }],
    breachType: [choice('breachType', BREACH_TYPES)],
    cause: [choice('cause', CAUSES)],
    startedAt: [datetime('startedAt')],
    endedAt: [datetime('endedAt')],
    stillLeaking: [yesno('stillLeaking')],
    intentional: [yesno('intentional')],
    processorInvolved: [yesno('processorInvolved')],
    impact: grouped('impact', [
      choice('impact.confidentiality', LOSS_LEVELS),
      choice('impact.integrity', LOSS_LEVELS),
      choice('impact.availability', LOSS_LEVELS),
    ]),
    dataCategories: [multi('dataCategories', DATA_CATEGORIES)],
    approxPeople: [number('approxPeople')],
    approxRecords: [number('approxRecords')],
    peoplePerCategory: DATA_CATEGORIES.map((category) => ({
      name: `peoplePerCategory.${category}`,
      type: 'number' as const,
      label: valueLabel(category, lang),
      group: label('peoplePerCategory'),
      collapsible: true,
      ...(fieldHint('first-picture', 'peoplePerCategory', lang)
        ? { groupHint: fieldHint('first-picture', 'peoplePerCategory', lang)! }
        : {}),
      dependsOn: { name: 'dataCategories', values: [category], mode: 'show-when-checked' as const },
    })),
    subjects: grouped('subjects', [
      multi('subjects.kinds', SUBJECT_KINDS),
      yesno('subjects.vulnerable'),
      choice('subjects.sector', SECTORS),
    ]),
    identifiability: [choice('identifiability', IDENTIFIABILITY)],
    context: grouped('context', [
      { ...choice('context.adjustment', [-1, 0, 1]), numeric: true } as ActionField,
      { name: 'context.reason', type: 'text', multiline: true, max: 2_000, label: label('context.reason') },
    ]),
    contactDetailsKnown: [yesno('contactDetailsKnown')],
    recipients: [choice('recipients', RECIPIENTS)],
    recipientCount: [number('recipientCount')],
    recovery: [choice('recovery', RECOVERY)],
    exfiltration: [exfiltration],
    protection: [
      yesno('protection.encrypted'),
      yesno('protection.hashed'),
      yesno('protection.keySafe'),
      choice('protection.strength', ['state-of-the-art', 'weak', 'unknown']),
      multi('protection.covers', DATA_CATEGORIES),
    ],
    backup: grouped('backup', [
      yesno('backup.available'),
      choice('backup.kind', ['complete', 'partial', 'paper']),
      number('backup.restoreHours'),
    ]),
    outage: grouped('outage', [number('outage.hours'), multi('outage.consequences', OUTAGE_CONSEQUENCES)]),
    crossBorder: [yesno('crossBorder')],
    leadAuthority: [
      { name: 'leadAuthority', type: 'text', max: 200, label: label('leadAuthority'), ...hint('leadAuthority') },
    ],
  };
  const keys = [
    ...FACTS_SECTIONS.flatMap((s) => s.keys),
    ...Object.keys(byKey).filter((k) => !FACTS_SECTIONS.some((s) => s.keys.includes(k))),
  ];
  return keys.flatMap((key) => {
    const section = sectionOf(key).legend[lang];
    return (byKey[key] ?? []).map((f) => ({ ...f, section }));
  });
}

/** The fields of an action's form; the facts form also looks at the facts it shows (`values`). */
export function actionFields(form: ActionForm, lang: Language, values: Record<string, unknown> = {}): ActionField[] {
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
      return factsFields(lang, values);
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
  /** The facts form: the facts as it first showed them (a refused form shows what was entered, not these). */
  shown?: Record<string, unknown>;
}

/**
 * The facts form carries the facts it showed, so that saving sends only what the person changed, and a fact
 * changed by someone else meanwhile is not overwritten with the value this form happened to show.
 */
export const SHOWN_FIELD = '_shown';

/** One action's page: where it belongs, what it does, and its form. */
export function renderActionForm(form: ActionForm, state: ActionFormState, page: PageContext): string {
  const { lang } = page;
  const t = texts(lang);
  const { title, intro, submit } = titleOf(form, lang);
  const errors = state.errors ?? {};
  const { fields, summary } = renderActionFields(actionFields(form, lang, state.values), state.values, errors, lang);
  const back = state.breachId
    ? html`<p><a href="${href(`/breaches/${segment(state.breachId)}`, lang)}">${t.backToBreach}</a></p>`
    : '';
  const body = html`${summary}${back}<h1>${title}</h1>
<p class="lead">${intro}</p>
<form class="action" method="post" action="${href(actionPath(form, state.breachId), lang)}" novalidate>
${csrfField(page.csrfToken)}
${form === 'facts' ? html`<input type="hidden" name="${SHOWN_FIELD}" value="${JSON.stringify(state.shown ?? state.values)}">` : ''}
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
