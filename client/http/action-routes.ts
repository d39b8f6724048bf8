import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { apDraft, draftContext } from '../../domain/ap-draft';
import type { CaseView } from '../../domain/case';
import type { Config } from '../../domain/config';
import {
  amendFacts,
  factsAmendmentSchema,
  factsConflicts,
  type BreachFacts,
  type FactsAmendment,
} from '../../domain/facts';
import { NOTIFICATION_ACTION_ROLES, mayActForAny, mayActOnTask, mayAmendFacts } from '../../domain/involvement';
import type { Language } from '../../domain/language';
import type { Person } from '../../domain/roles';
import { breachSignalSchema } from '../../domain/signal';
import { classifyIncidentArgsSchema } from '../../domain/regimes/profile';
import { correctAwarenessArgsSchema } from '../../domain/regimes/awareness';
import { recordNotificationArgsSchema } from '../../domain/regimes/notifications';
import {
  conflictsByField,
  issuesByField,
  readFields,
  refusalByField,
  formParams,
  type ActionErrors,
} from '../web/action-form';
import {
  actionFields,
  actionPath,
  initialValues,
  renderActionForm,
  renderReported,
  SHOWN_FIELD,
  type ActionForm,
  type ActionLink,
} from '../web/action-pages';
import { actionTexts } from '../web/action-texts';
import { renderApDraftPage, renderCaseDocument } from '../web/dossier';
import type { FormBody, PageContext } from '../web';
import { renderRecipientsPage } from '../web/recipients-page';
import { reportBreach } from '../shared/breaches';
import { checkRecipientsCsv } from '../shared/recipients-csv';
import { HttpError } from './errors';
import { domainErrorText } from '../web/error-texts';
import type { PageServices } from './pages';

/**
 * The breach's actions on the web, besides its tasks: report a breach by hand, amend the facts, correct the
 * awareness time, classify NIS2/DORA, record a notification, upload the people affected; and the printable
 * pages (AP draft, closing report, dossier). Every read and action goes through the Responder, so each is
 * refused exactly as the JSON API refuses it. Registered by client/http/web-pages.ts, under its error pages.
 */

type Params = { breachId: string };

/** What web-pages.ts gives its routes: the page context, the HTML reply and "who is logged in". */
export interface PageKit {
  context(request: FastifyRequest, reply: FastifyReply): PageContext;
  send(reply: FastifyReply, status: number, body: string): FastifyReply;
  who(request: FastifyRequest, reply: FastifyReply): Person | undefined;
}

/** The facts the facts form showed, carried in its `_shown` field; undefined when missing or not facts. */
function shownFacts(body: FormBody | undefined): BreachFacts | undefined {
  const raw = formParams(body).get(SHOWN_FIELD);
  if (raw === null) return undefined;
  try {
    const parsed = factsAmendmentSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : raw === '{}' ? {} : undefined;
  } catch {
    return undefined;
  }
}

/** The schema each breach form's values go to (without actor, proof and via: the Responder adds those). */
const SCHEMAS = {
  facts: factsAmendmentSchema,
  awareness: correctAwarenessArgsSchema.omit({ actor: true, proof: true, via: true }),
  classify: classifyIncidentArgsSchema.omit({ actor: true, proof: true, via: true }),
  notification: recordNotificationArgsSchema,
} as const;

const ACTION_OF = {
  awareness: 'correct-awareness',
  classify: 'classify',
  notification: 'record',
} as const;

/** The links of the breach page's "Acties" block: the actions this person may take on this breach now. */
export function actionLinksFor(view: CaseView, person: Person, config: Config, lang: Language): ActionLink[] {
  const a = actionTexts(lang);
  const { directory } = config;
  const base = `/breaches/${encodeURIComponent(view.breachId)}`;
  const open = view.phase !== 'closed';
  const breach = view.facts.isPersonalDataBreach === true;
  const may = (action: keyof typeof NOTIFICATION_ACTION_ROLES) =>
    mayActForAny(directory, NOTIFICATION_ACTION_ROLES[action], person.email);
  const recipientTask = view.tasks.find(
    (t) => t.kind === 'recipient-list' && t.status === 'open' && mayActOnTask(t, directory, person.email),
  );
  return [
    ...(open && mayAmendFacts(directory, person.email)
      ? [{ path: actionPath('facts', view.breachId), label: a.linkFacts }]
      : []),
    ...(open && breach && may('correct-awareness')
      ? [{ path: actionPath('awareness', view.breachId), label: a.linkAwareness }]
      : []),
    ...(open && breach && may('classify')
      ? [{ path: actionPath('classify', view.breachId), label: a.linkClassify }]
      : []),
    ...(open && breach && may('record')
      ? [{ path: actionPath('notification', view.breachId), label: a.linkNotification }]
      : []),
    ...(recipientTask ? [{ path: `${base}/recipients`, label: a.linkRecipients }] : []),
    ...(breach ? [{ path: `${base}/ap-draft`, label: a.linkApDraft }] : []),
    { path: `${base}/report`, label: a.linkReport },
    { path: `${base}/dossier`, label: a.linkDossier },
  ];
}

/** The breach page after a saved action, with a note of what was saved. */
function backToBreach(breachId: string, saved: string, lang: Language): string {
  const query = new URLSearchParams({ saved });
  if (lang === 'en') query.set('lang', 'en');
  return `/breaches/${encodeURIComponent(breachId)}?${query.toString()}`;
}

/** The note for `?saved=<form>` on the breach page, or undefined for anything else. */
export function savedNotice(saved: unknown, lang: Language): string | undefined {
  const a = actionTexts(lang);
  const notes: Record<string, string> = {
    facts: a.factsSaved,
    'facts-unchanged': a.factsUnchanged,
    awareness: a.awarenessSaved,
    classify: a.classifySaved,
    notification: a.notificationSaved,
  };
  return typeof saved === 'string' ? notes[saved] : undefined;
}

/**
 * The notification playbook refuses a late AP notification without reasons in English words only: the page
 * asks for them first, in the reader's language, by the same rule (the 72-hour deadline of the case view).
 */
function lateWithoutReasons(
  view: CaseView,
  values: Record<string, unknown>,
): ((lang: Language) => ActionErrors) | undefined {
  if (values.regime !== 'gdpr' || values.phase !== 'initial' || values.reasonsForDelay !== undefined) return undefined;
  const due = view.deadlines.find((d) => d.kind === 'gdpr-authority')?.due;
  if (due === undefined || typeof values.at !== 'string' || Date.parse(values.at) <= Date.parse(due)) return undefined;
  const english = `Is required because the initial notification came after the 72-hour deadline (${due}; GDPR art. 33(1))`;
  return (lang) => ({
    reasonsForDelay: domainErrorText('reasons-for-delay-required', { deadline: due }, lang, english),
  });
}

/**
 * What the facts form changes: it shows the facts as they stood when it was opened, so only a fact whose value
 * differs from what it showed is an amendment (a moment counts as the same when it is the same instant, however
 * it is written). A fact someone else changed meanwhile is not overwritten by a form that only showed it.
 * 'unchanged' when nothing differs; the schema's refusal when what was entered is not valid.
 */
function changedFacts(
  shown: BreachFacts,
  values: Record<string, unknown>,
): 'unchanged' | { success: true; data: FactsAmendment } | { success: false; error: z.ZodError } {
  const known = shown;
  if (Object.keys(values).length === 0) return 'unchanged';
  const parsed = factsAmendmentSchema.safeParse(values);
  if (!parsed.success) return parsed;
  const amendment: Record<string, unknown> = { ...parsed.data };
  for (const key of ['startedAt', 'endedAt'] as const) {
    const before = known[key];
    const after = amendment[key];
    if (typeof before === 'string' && typeof after === 'string' && Date.parse(before) === Date.parse(after))
      amendment[key] = before;
  }
  const { changed } = amendFacts(known, amendment);
  if (changed.length === 0) return 'unchanged';
  return { success: true, data: Object.fromEntries(changed.map((key) => [key, amendment[key]])) };
}

export async function actionRoutes(app: FastifyInstance, services: PageServices, kit: PageKit): Promise<void> {
  const { responder, config } = services;
  const hide = { schema: { hide: true } };

  // Report a breach by hand: anyone in the directory may report (as anyone may call the FG); the FG triages.
  app.get('/breaches/new', hide, async (request, reply) => {
    if (!kit.who(request, reply)) return reply;
    return kit.send(reply, 200, renderActionForm('new-breach', { values: {} }, kit.context(request, reply)));
  });

  app.post<{ Body: FormBody }>('/breaches/new', hide, async (request, reply) => {
    const person = kit.who(request, reply);
    if (!person) return reply;
    const page = kit.context(request, reply);
    const fields = actionFields('new-breach', page.lang);
    const values = readFields(fields, request.body);
    const signal = {
      ...values,
      source: 'manual',
      // A report by hand has no event id of its own: each is a new event (a duplicate is for the FG to merge).
      eventId: `web-${randomUUID()}`,
      reporter: { email: person.email, ...(person.name ? { name: person.name } : {}) },
    };
    const parsed = breachSignalSchema.safeParse(signal);
    if (!parsed.success) {
      const errors = issuesByField(fields, parsed.error, values, page.lang);
      return kit.send(reply, 422, renderActionForm('new-breach', { values, errors }, page));
    }
    const { breachId } = await reportBreach(services.client, parsed.data, services.taskQueue);
    // The reporter may not be involved in the breach (a colleague who is not the FG): then a receipt instead.
    try {
      await responder.caseFor(person, breachId);
    } catch (err) {
      if (err instanceof HttpError && err.statusCode === 404) return kit.send(reply, 200, renderReported(page));
      throw err;
    }
    return reply.redirect(page.lang === 'en' ? `/breaches/${breachId}?lang=en` : `/breaches/${breachId}`, 303);
  });

  const breachForms: Exclude<ActionForm, 'new-breach'>[] = ['facts', 'awareness', 'classify', 'notification'];
  for (const form of breachForms) {
    const route = actionPath(form, ':breachId').replace('%3AbreachId', ':breachId');
    const allowed = (person: Person, breachId: string) =>
      responder.caseForAction(person, breachId, form === 'facts' ? 'amend-facts' : ACTION_OF[form]);

    app.get<{ Params: Params }>(route, hide, async (request, reply) => {
      const person = kit.who(request, reply);
      if (!person) return reply;
      const view = await allowed(person, request.params.breachId);
      const state = { breachId: view.breachId, values: initialValues(form, view) };
      return kit.send(reply, 200, renderActionForm(form, state, kit.context(request, reply)));
    });

    app.post<{ Params: Params; Body: FormBody }>(route, hide, async (request, reply) => {
      const person = kit.who(request, reply);
      if (!person) return reply;
      const page = kit.context(request, reply);
      const view = await allowed(person, request.params.breachId);
      const known = view.facts.known ?? {};
      // The form the person saw: the facts form leaves out what the stored breach type makes moot.
      const fields = actionFields(form, page.lang, initialValues(form, view));
      const values = readFields(fields, request.body);
      const shown = form === 'facts' ? { shown: shownFacts(request.body) ?? known } : {};
      const again = (errors: ActionErrors) =>
        kit.send(reply, 422, renderActionForm(form, { breachId: view.breachId, values, errors, ...shown }, page));
      let sent: Record<string, unknown> = values;
      if (form === 'facts') {
        const amendment = changedFacts(shownFacts(request.body) ?? known, values);
        if (amendment === 'unchanged')
          return reply.redirect(backToBreach(view.breachId, 'facts-unchanged', page.lang), 303);
        if (!amendment.success) return again(issuesByField(fields, amendment.error, values, page.lang));
        // Right on its own can still be wrong beside the facts it joins (an end before the recorded start): the
        // workflow refuses that too, but here every such problem is shown at its field at once.
        const conflicts = factsConflicts(amendFacts(known, amendment.data).facts);
        if (conflicts.length > 0) return again(conflictsByField(fields, conflicts, page.lang));
        sent = amendment.data;
      } else {
        const checked = (SCHEMAS[form] as z.ZodType).safeParse(
          form === 'notification' ? { ...values, actor: person.email } : values,
        );
        if (!checked.success) return again(issuesByField(fields, checked.error, values, page.lang));
      }
      if (form === 'notification') {
        const late = lateWithoutReasons(view, values);
        if (late) return again(late(page.lang));
      }
      try {
        if (form === 'facts') await responder.amendFacts(person, view.breachId, sent);
        else await responder.notification(person, view.breachId, ACTION_OF[form], values);
      } catch (err) {
        // The workflow's validator has the last word (late without reasons, a moment before awareness): at its field.
        if (err instanceof HttpError && err.statusCode === 400)
          return again(refusalByField(fields, err.message, err.refusal, page.lang));
        throw err;
      }
      return reply.redirect(backToBreach(view.breachId, form, page.lang), 303);
    });
  }

  // The recipient-list task: check the CSV row by row, then (only for a clean file) store and complete.
  const recipientsRoute = '/breaches/:breachId/recipients';
  const recipientTask = async (person: Person, breachId: string) => {
    const view = await responder.caseFor(person, breachId, 'complete-task');
    const task = view.tasks.find((t) => t.kind === 'recipient-list' && t.status === 'open');
    // The refusal completing the task would give, before anything is checked or stored.
    if (task) await responder.taskToComplete(person, breachId, task.id, view);
    return { view, task };
  };

  app.get<{ Params: Params }>(recipientsRoute, hide, async (request, reply) => {
    const person = kit.who(request, reply);
    if (!person) return reply;
    const { view, task } = await recipientTask(person, request.params.breachId);
    const unavailable = !task ? 'no-task' : !services.recipients ? 'no-store' : undefined;
    return kit.send(
      reply,
      200,
      renderRecipientsPage(
        { breachId: view.breachId, ...(unavailable ? { unavailable } : {}) },
        kit.context(request, reply),
      ),
    );
  });

  app.post<{ Params: Params; Body: FormBody }>(recipientsRoute, hide, async (request, reply) => {
    const person = kit.who(request, reply);
    if (!person) return reply;
    const page = kit.context(request, reply);
    const { view, task } = await recipientTask(person, request.params.breachId);
    const store = services.recipients;
    if (!task || !store) {
      const unavailable = !task ? 'no-task' : 'no-store';
      return kit.send(reply, 409, renderRecipientsPage({ breachId: view.breachId, unavailable }, page));
    }
    const form = formParams(request.body);
    const text = (form.get('csv') ?? '').replace(/\r\n?/g, '\n');
    const checked = checkRecipientsCsv(text, { practice: config.practice });
    const state = { breachId: view.breachId, text, checked };
    if (!checked.recipients) return kit.send(reply, 422, renderRecipientsPage(state, page));
    if (form.get('_intent') !== 'confirm') return kit.send(reply, 200, renderRecipientsPage(state, page));
    const { added } = await store.addRecipients(view.breachId, checked.recipients);
    // Confirmed again after a refused completion, every row is already stored: the list counts, as in the CLI.
    const uploaded = added > 0 ? added : (await store.recipientCounts(view.breachId)).total;
    await responder.completeTask(person, view.breachId, task.id, { uploaded }, view);
    const back = new URLSearchParams({ done: task.id });
    if (page.lang === 'en') back.set('lang', 'en');
    return reply.redirect(`/breaches/${encodeURIComponent(view.breachId)}?${back.toString()}`, 303);
  });

  // The printable pages: for everyone involved in the breach, as the case itself is.
  app.get<{ Params: Params }>('/breaches/:breachId/ap-draft', hide, async (request, reply) => {
    const person = kit.who(request, reply);
    if (!person) return reply;
    const view = await responder.caseFor(person, request.params.breachId);
    const sections = apDraft(view, draftContext(config.organisation.name, config.directory));
    return kit.send(reply, 200, renderApDraftPage(view.breachId, sections, kit.context(request, reply)));
  });

  for (const kind of ['report', 'dossier'] as const) {
    app.get<{ Params: Params }>(`/breaches/:breachId/${kind}`, hide, async (request, reply) => {
      const person = kit.who(request, reply);
      if (!person) return reply;
      const view = await responder.caseFor(person, request.params.breachId);
      return kit.send(reply, 200, renderCaseDocument(view, kind, kit.context(request, reply)));
    });
  }
}
