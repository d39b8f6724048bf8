import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  CSP_HASHES,
  displayTaskTitle,
  parseDashboardFilter,
  parseTaskForm,
  renderBreach,
  renderDashboard,
  renderErrorPage,
  renderMyTasks,
  renderRegister,
  parseRegisterPage,
  renderTaskForm,
  type FormBody,
  type PageContext,
  type PageErrorKind,
  type TaskFormErrors,
  withAwarenessDefault,
} from '../web';
import { parseLanguage } from '../../domain/language';
import { parseRegisterFilter } from '../../domain/register';
import { domainErrorText, refusalField } from '../web/error-texts';
import { texts } from '../web/i18n';
import type { Person } from '../../domain/roles';
import { HttpError } from './errors';
import type { PagePlugin, PageServices } from './pages';
import { registerCsvFor } from '../../register/export';
import { actionLinksFor, actionRoutes, savedNotice } from './action-routes';

/** The pages' only style and script are constants, allowed by hash: nothing else may run or load. */
export const PAGES_CSP = [
  "default-src 'none'",
  `style-src ${CSP_HASHES.style}`,
  `script-src ${CSP_HASHES.script}`,
  "img-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

type Query = Record<string, string | string[] | undefined>;
type Params = { breachId: string; taskId?: string };

const STATUS_OF: Record<PageErrorKind, number> = { 'not-found': 404, forbidden: 403, expired: 403, server: 500 };

/**
 * The web pages (client/web/ renders them) on the HTTP service: the FG's dashboard, a breach, my tasks, the
 * task forms and the register. Every read and action goes through the Responder, so the pages enforce
 * exactly the involvement and role rules of the JSON API.
 */
export const webPages: PagePlugin = async (app: FastifyInstance, services: PageServices) => {
  const { responder } = services;

  const context = (request: FastifyRequest, reply: FastifyReply): PageContext => {
    const person = services.person(request);
    return {
      lang: parseLanguage((request.query as Query).lang),
      ...(person ? { user: { email: person.email, name: person.name } } : {}),
      csrfToken: services.csrfToken(reply),
      url: request.url,
      ...(services.config.practice ? { practice: true } : {}),
    };
  };
  const send = (reply: FastifyReply, status: number, body: string) =>
    reply.status(status).header('content-security-policy', PAGES_CSP).type('text/html; charset=utf-8').send(body);

  /** The person, or a redirect to the login page that brings them back here afterwards. */
  const who = (request: FastifyRequest, reply: FastifyReply) => {
    const person = services.person(request);
    if (!person) void reply.redirect(services.loginUrl(request), 303);
    return person;
  };

  // Errors on a page are pages too, in the person's language; the JSON API keeps its JSON errors.
  app.setErrorHandler((err: FastifyError, request, reply) => {
    let kind: PageErrorKind;
    let detail: string | undefined;
    let translated = false;
    if (err.code === 'FST_CSRF_INVALID_TOKEN' || err.code === 'FST_CSRF_MISSING_SECRET') kind = 'expired';
    else if (err instanceof HttpError && err.statusCode === 404) kind = 'not-found';
    else if (err instanceof HttpError && err.statusCode === 403) {
      kind = 'forbidden';
      detail = err.message;
      // A refusal of who acts that carries a code (not in the directory, lacks the role) reads in the page's language.
      if (err.refusal) {
        const lang = parseLanguage((request.query as Query).lang);
        detail = domainErrorText(err.refusal.code, err.refusal.params, lang, err.message);
        translated = true;
      }
    } else {
      // Unexpected errors may quote input: only their kind goes to the log, as in the JSON API, under the request
      // id the page shows, so a person can report it and an operator find it.
      kind = 'server';
      services.log({
        event: 'error',
        requestId: request.id,
        method: request.method,
        route: request.routeOptions.url ?? 'unknown',
        error: err.name,
      });
      detail = `request id ${request.id}`;
    }
    return send(reply, STATUS_OF[kind], renderErrorPage(kind, context(request, reply), detail, translated));
  });

  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    const person = who(request, reply);
    if (!person) return reply;
    const query = request.query as Query;
    const options = {
      directory: services.config.directory,
      filter: parseDashboardFilter(query.filter),
      ...(typeof query.q === 'string' && query.q.trim() ? { search: query.q.trim().slice(0, 200) } : {}),
    };
    return send(reply, 200, renderDashboard(await responder.dashboardFor(person), context(request, reply), options));
  });

  app.get('/tasks', { schema: { hide: true } }, async (request, reply) => {
    const person = who(request, reply);
    if (!person) return reply;
    return send(reply, 200, renderMyTasks(await responder.myTasks(person), context(request, reply)));
  });

  app.get<{ Params: Params; Querystring: Query }>(
    '/breaches/:breachId',
    { schema: { hide: true } },
    async (request, reply) => {
      const person = who(request, reply);
      if (!person) return reply;
      const page = context(request, reply);
      const { view, emails } = await responder.caseWithEmails(person, request.params.breachId);
      // After a completed task the form redirects here with ?done=<task id>: confirm it, if it really is done.
      const done = view.tasks.find((t) => t.id === request.query.done && t.status === 'done');
      const notice = done
        ? texts(page.lang).taskCompleted(displayTaskTitle(done, page.lang))
        : savedNotice(request.query.saved, page.lang);
      return send(
        reply,
        200,
        renderBreach(view, page, {
          emails,
          timing: services.config.timing,
          directory: services.config.directory,
          ...(notice ? { notice } : {}),
          actions: actionLinksFor(view, person, services.config, page.lang),
        }),
      );
    },
  );

  const people = services.config.directory.map((p) => ({ email: p.email, name: p.name }));
  const taskRoute = '/breaches/:breachId/tasks/:taskId';
  const loadTask = async (request: FastifyRequest<{ Params: Params }>, person: Person) => {
    const view = await responder.caseFor(person, request.params.breachId);
    const task = view.tasks.find((t) => t.id === request.params.taskId);
    if (!task) throw new HttpError(404, 'not-found', 'no such task');
    return { view, task };
  };

  app.get<{ Params: Params }>(taskRoute, { schema: { hide: true } }, async (request, reply) => {
    const person = who(request, reply);
    if (!person) return reply;
    const { view, task } = await loadTask(request, person);
    // The list of people affected is a file, checked before it is stored: its own page, not a number to type.
    if (task.kind === 'recipient-list' && task.status === 'open')
      return reply.redirect(
        `/breaches/${encodeURIComponent(view.breachId)}/recipients${parseLanguage((request.query as Query).lang) === 'en' ? '?lang=en' : ''}`,
        303,
      );
    return send(reply, 200, renderTaskForm(task, { breachId: view.breachId, view, people }, context(request, reply)));
  });

  app.post<{ Params: Params; Body: FormBody }>(taskRoute, { schema: { hide: true } }, async (request, reply) => {
    const person = who(request, reply);
    if (!person) return reply;
    const page = context(request, reply);
    const { view, task } = await loadTask(request, person);
    if (task.kind === 'recipient-list' && task.status === 'open')
      return reply.redirect(
        `/breaches/${encodeURIComponent(view.breachId)}/recipients${page.lang === 'en' ? '?lang=en' : ''}`,
        303,
      );
    const body = task.kind === 'triage' ? withAwarenessDefault(request.body ?? {}, view) : (request.body ?? {});
    const parsed = parseTaskForm(task.kind, body, page.lang);
    const again = (status: number, values: unknown, errors: TaskFormErrors, preview = false) =>
      send(
        reply,
        status,
        renderTaskForm(task, { breachId: view.breachId, view, values, errors, preview, people }, page),
      );
    if (!parsed.ok) {
      const wrong = Object.keys(parsed.errors).length > 0;
      return again(parsed.intent && !wrong ? 200 : 422, parsed.values, parsed.errors, parsed.intent === 'preview');
    }
    try {
      await responder.completeTask(person, view.breachId, task.id, parsed.answer, view);
    } catch (err) {
      // The workflow's validator has the last word (a rule across fields, a task completed meanwhile): its
      // message goes to the field it names (else the top of the form), with what the person entered kept.
      if (err instanceof HttpError && err.statusCode === 400) {
        const { refusal } = err;
        // A refusal names its field in its params, or (an older validator) at the start of its message.
        const named = typeof refusal?.params?.field === 'string' ? refusal.params.field : '';
        const field = named || refusalField(err.message);
        // At its field the message need not name it again.
        const english = err.message.startsWith(`answer.${field}: `)
          ? err.message.slice(`answer.${field}: `.length)
          : err.message;
        const message = refusal ? domainErrorText(refusal.code, refusal.params, page.lang, english) : english;
        return again(422, parsed.answer, { [field]: message });
      }
      throw err;
    }
    const back = new URLSearchParams({ done: task.id });
    if (page.lang === 'en') back.set('lang', 'en');
    return reply.redirect(`/breaches/${encodeURIComponent(view.breachId)}?${back.toString()}`, 303);
  });

  await actionRoutes(app, services, { context, send, who });

  app.get<{ Querystring: Query }>('/register', { schema: { hide: true } }, async (request, reply) => {
    const person = who(request, reply);
    if (!person) return reply;
    const filter = parseRegisterFilter(request.query);
    return send(
      reply,
      200,
      renderRegister(
        await responder.registerRows(person, filter),
        filter,
        context(request, reply),
        parseRegisterPage(request.query.page),
      ),
    );
  });

  app.get<{ Querystring: Query }>('/register.csv', { schema: { hide: true } }, async (request, reply) => {
    const person = who(request, reply);
    if (!person) return reply;
    const rows = await responder.registerRows(person, parseRegisterFilter(request.query));
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="register.csv"')
      .send(registerCsvFor(rows, parseLanguage(request.query.lang)));
  });
};
