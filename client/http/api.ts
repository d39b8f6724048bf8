import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../domain/config';
import { apDraft, draftContext } from '../../domain/ap-draft';
import { factsAmendmentSchema } from '../../domain/facts';
import type { NotificationAction } from '../../domain/involvement';
import { recordNotificationArgsSchema } from '../../domain/regimes/notifications';
import { correctAwarenessArgsSchema } from '../../domain/regimes/awareness';
import { classifyIncidentArgsSchema } from '../../domain/regimes/profile';
import { SEVERITY_BANDS } from '../../domain/severity';
import { REGISTER_STATUSES } from '../../domain/register';
import { registerCsv } from '../../register/export';
import { BREACH_ID, type Responder } from './responder';
import { requirePerson } from './session';

export interface ApiDeps {
  config: Config;
  responder: Responder;
}

/**
 * The message schemas of the notification playbook, without `actor`: the session says who acts; and without
 * `proof` and `via`: the service signs the act itself (client/shared/act-signing.ts), a caller cannot bring its own.
 */
function withoutActor<S extends z.ZodObject>(schema: S) {
  // Not .omit(): zod refuses it on schemas with refinements; the full schema (refinements too) runs in the Responder.
  const shape = Object.fromEntries(
    Object.entries(schema.shape).filter(([key]) => key !== 'actor' && key !== 'proof' && key !== 'via'),
  ) as Omit<S['shape'], 'actor' | 'proof' | 'via'>;
  return z.object(shape).strict();
}

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date, e.g. 2026-11-28');
export const registerQuerySchema = z
  .object({
    from: date.optional().describe('opened on or after this date (Europe/Amsterdam)'),
    to: date.optional().describe('opened on or before this date (Europe/Amsterdam)'),
    status: z.enum(REGISTER_STATUSES).optional(),
    severity: z.enum(SEVERITY_BANDS).optional(),
  })
  .strict();

// Not a pattern check here: an id that is not a breach's must get the same 404 as a breach one may not see.
const breachParams = z.object({ breachId: z.string().max(200).describe(`a breach id, ${BREACH_ID.source}`) });
const taskParams = breachParams.extend({ taskId: z.string().min(1).max(100) });
const notificationBodies = {
  classify: withoutActor(classifyIncidentArgsSchema),
  'correct-awareness': withoutActor(correctAwarenessArgsSchema),
  record: withoutActor(recordNotificationArgsSchema),
} satisfies Record<NotificationAction, z.ZodType>;

export const completeTaskBodySchema = z
  .object({
    answer: z
      .unknown()
      .describe("the answer for the task's kind: see components.schemas Answer-<kind> (e.g. Answer-triage)"),
  })
  .strict();

const errorSchema = z.object({
  error: z.string(),
  message: z.string(),
  issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
const refusals = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };
/** The answers are domain types (CaseView, Task, …) that have no zod schema of their own: documented in words. */
const ok = (description: string) => z.unknown().describe(description);

/** The responders' JSON API: every route needs a session, every action the role and involvement it checks. */
export async function apiRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { directory } = deps.config;
  const { responder } = deps;
  const me = (request: Parameters<typeof requirePerson>[0]) => requirePerson(request, directory);

  api.get(
    '/api/tasks',
    {
      schema: {
        summary: 'My open tasks, across breaches (my roles, as deputy, or named)',
        tags: ['responders'],
        response: { 200: ok('[{ breachId, task }], earliest due first'), 401: errorSchema },
      },
    },
    async (request) => responder.myTasks(me(request)),
  );

  api.get(
    '/api/breaches',
    {
      schema: {
        summary: 'The breaches I may see, with phase and notification deadline',
        tags: ['responders'],
        response: {
          200: ok('[{ breachId, status, phase, notificationDeadline, authorityNotified, startedAt }]'),
          401: errorSchema,
        },
      },
    },
    async (request) => responder.breachesFor(me(request)),
  );

  api.get(
    '/api/breaches/:breachId',
    {
      schema: {
        summary: 'The case view: phase, facts, tasks, decisions, deadlines, notifications, timeline',
        tags: ['responders'],
        params: breachParams,
        response: { 200: ok('CaseView (domain/case.ts)'), ...refusals },
      },
    },
    async (request) => responder.caseFor(me(request), request.params.breachId),
  );

  api.get(
    '/api/breaches/:breachId/ap-draft',
    {
      schema: {
        summary: "A draft of the AP's notification form, in Dutch, filled from the case (unknown values are null)",
        tags: ['responders'],
        params: breachParams,
        response: { 200: ok('[{ id, title, fields: [{ label, value }] }] (domain/ap-draft.ts)'), ...refusals },
      },
    },
    async (request) => {
      const view = await responder.caseFor(me(request), request.params.breachId);
      return apDraft(view, draftContext(deps.config.organisation.name, directory));
    },
  );

  api.post(
    '/api/breaches/:breachId/tasks/:taskId',
    {
      schema: {
        summary: "Complete a task (also the FG's decisions); the workflow validates the answer",
        tags: ['responders'],
        params: taskParams,
        body: completeTaskBodySchema,
        response: { 200: ok('the completed task'), ...refusals },
      },
    },
    async (request) =>
      responder.completeTask(me(request), request.params.breachId, request.params.taskId, request.body.answer),
  );

  api.post(
    '/api/breaches/:breachId/facts',
    {
      schema: {
        summary: 'Amend the facts (breach team); severity and suggestion are recomputed',
        tags: ['responders'],
        params: breachParams,
        body: factsAmendmentSchema,
        response: { 200: ok('the facts as they now stand'), ...refusals },
      },
    },
    async (request) => responder.amendFacts(me(request), request.params.breachId, request.body),
  );

  for (const action of Object.keys(notificationBodies) as NotificationAction[]) {
    api.post(
      `/api/breaches/:breachId/notification/${action}`,
      {
        schema: {
          summary: {
            classify: 'Classify the incident: NIS2 significant, DORA major (FG or CISO)',
            'correct-awareness': 'Correct the moment of awareness; every deadline moves (FG)',
            record: 'Record a notification to an authority: GDPR, NIS2, DORA, processor (FG)',
          }[action],
          tags: ['responders'],
          params: breachParams,
          body: notificationBodies[action],
          response: { 200: ok('the deadlines (and record) as they now stand'), ...refusals },
        },
      },
      async (request) =>
        responder.notification(me(request), request.params.breachId, action, request.body as Record<string, unknown>),
    );
  }

  api.get(
    '/api/register',
    {
      schema: {
        summary: 'The breach register (art. 33(5) GDPR), filtered (FG, deputy FG, executive sponsor)',
        tags: ['register'],
        querystring: registerQuerySchema,
        response: {
          200: ok('register rows (columns as in the CSV)'),
          400: errorSchema,
          401: errorSchema,
          403: errorSchema,
        },
      },
    },
    async (request) => responder.registerRows(me(request), request.query),
  );

  api.get(
    '/api/register.csv',
    {
      schema: {
        summary: 'The same selection as CSV (the columns of `lekdicht register export`)',
        tags: ['register'],
        querystring: registerQuerySchema,
      },
    },
    async (request, reply) => {
      const rows = await responder.registerRows(me(request), request.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="register.csv"')
        .send(registerCsv(rows));
    },
  );
}
