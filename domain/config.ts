import { z } from 'zod';
import { directorySchema } from './roles';
import { durationSchema, HOUR_MS } from './duration';
import { organisationProfileSchema } from './regimes/profile';
import { authConfigSchema, httpConfigSchema, intakeConfigSchema } from './service-config';
import { actsConfigSchema } from './act-proof';
import { operationsConfigSchema } from './operations-config';
import { LANGUAGES } from './language';
import { DEFAULT_THRESHOLDS } from './thresholds';

/** How long people get for each step, and when the clocks remind; all overridable in the config file. */
export const timingSchema = z
  .object({
    triageDue: durationSchema.prefault('4h'),
    firstPictureDue: durationSchema.prefault('8h'),
    containmentDue: durationSchema.prefault('4h'),
    /** An overdue task goes to the role's deputies at once, and to the FG this long after. */
    escalateToFgAfter: durationSchema.prefault('2h'),
    /** "Lekt het nog?" is asked again after this long while the leak is not yet stopped. */
    containmentRecheck: durationSchema.prefault('4h'),
    impactDue: durationSchema.prefault('24h'),
    decisionDue: durationSchema.prefault('12h'),
    /** One place for the art. 34 target: organisation.profile.dataSubjectTarget (this key was its duplicate). */
    dataSubjectNotificationDue: z
      .never({ error: 'has moved: set organisation.profile.dataSubjectTarget instead' })
      .optional(),
    /** Reminders to the FG, counted from the moment of awareness. */
    notificationReminders: z.array(durationSchema).prefault(['24h', '48h', '60h', '70h']),
    aftercareDue: durationSchema.prefault('3d'),
    /** Follow-ups with the people affected, counted from the start of aftercare: two weeks and three months. */
    aftercareFollowUps: z.array(durationSchema).min(1, 'give at least one follow-up').prefault(['14d', '90d']),
    /** After the last follow-up, until the FG closes aftercare, another one this often. */
    aftercareRecheck: durationSchema.prefault('30d'),
    aftercareFollowUpDue: durationSchema.prefault('3d'),
    /** Tasks protecting the organisation's interest (legal, insurer, press, …) are due this long after they open. */
    interestDue: durationSchema.prefault('5d'),
    /** Lessons learned are gathered this long after containment. */
    evaluationAfter: durationSchema.prefault('14d'),
    evaluationDue: durationSchema.prefault('7d'),
    /**
     * How often every worker checks the open breaches for runs that ended outside lekdicht (terminated by an
     * operator or a server limit, timed out, failed, deleted): worker/watch.ts. At least a second (each round asks
     * Temporal about every open breach), at most an hour (the 72-hour clock must not go unwatched for long).
     */
    watchEvery: durationSchema
      .refine((ms) => ms >= 1_000 && ms <= HOUR_MS, { error: 'must be between 1s and 1h (e.g. "1m")' })
      .prefault('1m'),
  })
  .strict();
export type Timing = z.output<typeof timingSchema>;

/**
 * Where tasks become tickets: the register's own ticket table (default), or an HTTP ticket system (Jira, TOPdesk,
 * … behind a webhook) that gets one idempotent POST per task opened and closed (activities/tickets.ts). A
 * ticket system that is down never holds a task up: the task is open, visible and emailed at once, its ticket
 * follows when the system is back. The webhook's token comes from the environment variable `tokenEnv` names.
 */
/** A number of people in a threshold: whole and at least 1. */
const peopleCount = z
  .number({ message: 'must be a number of people, e.g. 1000' })
  .int('must be a whole number of people')
  .min(1, 'must be at least 1');

export const ticketsSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('register') }).strict(),
    z
      .object({
        kind: z.literal('webhook'),
        url: z.url({
          protocol: /^https?$/,
          error: 'must be an http(s) URL, e.g. "https://tickets.example.org/hooks/lekdicht"',
        }),
        tokenEnv: z
          .string()
          .regex(
            /^[A-Z_][A-Z0-9_]*$/,
            'must name an environment variable (e.g. LEKDICHT_TICKETS_TOKEN): secrets never go in this file',
          )
          .optional(),
        /** Per request; a slower answer counts as "down" and is retried. */
        timeout: durationSchema.prefault('10s'),
      })
      .strict(),
  ])
  .default({ kind: 'register' });
export type TicketsConfig = z.output<typeof ticketsSchema>;

export const configSchema = z
  .object({
    organisation: z
      .object({
        name: z.string().trim().min(1, 'is required').max(200, 'is longer than 200 characters'),
        /** What the organisation is for the regimes: controller/processor, NIS2 entity, DORA (docs/deadlines.md). */
        profile: organisationProfileSchema.prefault({}),
      })
      .strict(),
    /**
     * Practice mode (domain/practice.ts): every page and email marked as practice, short timers, letters only to
     * test addresses. Off unless set (or LEKDICHT_PRACTICE=1); `npm start` on the example config turns it on.
     */
    practice: z.boolean({ message: 'must be true or false' }).default(false),
    /** Language of emails and pages people read. */
    language: z.enum(LANGUAGES).default('nl'),
    /** Numbers of people at which the suggestion and the interest tasks change (domain/thresholds.ts). */
    thresholds: z
      .object({
        claimsPeople: peopleCount.default(DEFAULT_THRESHOLDS.claimsPeople),
        publicAttentionPeople: peopleCount.default(DEFAULT_THRESHOLDS.publicAttentionPeople),
        publicCommunicationPeople: peopleCount.default(DEFAULT_THRESHOLDS.publicCommunicationPeople),
        highRiskPeople: peopleCount.default(DEFAULT_THRESHOLDS.highRiskPeople),
        shortOutageHours: z
          .number({ message: 'must be a number of hours' })
          .positive('must be more than 0 hours')
          .max(720, 'must be at most 720 hours (30 days)')
          .default(DEFAULT_THRESHOLDS.shortOutageHours),
      })
      .strict()
      .prefault({}),
    taskQueue: z.string().trim().min(1).default('lekdicht'),
    smtp: z
      .object({
        host: z.string().trim().min(1).default('127.0.0.1'),
        port: z.number().int().min(1).max(65_535).default(1025),
        secure: z.boolean().default(false),
        from: z.string().trim().min(3, 'is required, e.g. "lekdicht <datalek@example.org>"'),
      })
      .strict(),
    register: z
      .object({
        path: z.string().trim().min(1).max(4_096, 'is longer than 4096 characters').default('data/register.db'),
        /**
         * How many years a closed breach stays in the register before `lekdicht register purge` may delete it
         * (counted from its closing). Unset: kept until someone deletes it. The GDPR names no period; the AP asks
         * for the documentation of every breach, so choose it with the organisation's retention policy.
         */
        retentionYears: z
          .number()
          .int('must be a whole number of years')
          .min(1, 'must be at least 1 year')
          .max(100, 'must be at most 100 years')
          .optional(),
      })
      .strict()
      .default({ path: 'data/register.db' }),
    /**
     * Where the register, sessions and the intake's memory live: SQLite files (register.path, auth.path,
     * intake.path; the embedded default) or one PostgreSQL database shared by every worker and HTTP instance,
     * its connection string read from the environment variable `urlEnv` (it holds a password: never in this file).
     */
    database: z
      .object({
        engine: z.enum(['sqlite', 'postgres'], { message: 'must be "sqlite" or "postgres"' }).default('sqlite'),
        urlEnv: z
          .string()
          .regex(/^[A-Z][A-Z0-9_]*$/, 'must be the name of an environment variable, e.g. LEKDICHT_DATABASE_URL')
          .default('LEKDICHT_DATABASE_URL'),
      })
      .strict()
      .prefault({}),
    directory: directorySchema,
    tickets: ticketsSchema,
    timing: timingSchema.prefault({}),
    /**
     * How long one workflow run's history may grow before the run continues as new, carrying its state (tasks,
     * deadlines, timers). Temporal also suggests it (4 MB or 4,096 events by default); this is the limit lekdicht
     * sets itself, far under Temporal's hard limits (50 MB, 51,200 events), whatever a flood of messages does.
     */
    history: z
      .object({
        eventsPerRun: z
          .number()
          .int()
          .min(1, 'must be at least 1')
          .max(40_000, "must stay far under Temporal's limit of 51,200 events")
          .default(10_000),
      })
      .strict()
      .prefault({}),
    /** The HTTP service beside the worker (domain/service-config.ts). */
    http: httpConfigSchema.prefault({}),
    auth: authConfigSchema.prefault({}),
    intake: intakeConfigSchema.prefault({}),
    /** Who may act: the HTTP service's act-signing public keys, and whether CLI operator acts are accepted (domain/act-proof.ts). */
    acts: actsConfigSchema.prefault({}),
    /** Logs, metrics, health and tracing (domain/operations-config.ts, docs/operations.md). */
    operations: operationsConfigSchema.prefault({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    // An operator must be able to log in: someone not in the directory never could, so it is a typo.
    const emails = new Set(config.directory.map((person) => person.email));
    config.http.codecOperators.forEach((email, index) => {
      if (!emails.has(email))
        ctx.addIssue({
          code: 'custom',
          path: ['http', 'codecOperators', index],
          message: `${email} is not in the directory`,
        });
    });
  });

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
