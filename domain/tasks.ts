import type { ActProof, OperatorVia } from './act-proof';
import { z } from 'zod';
import type { Role } from './roles';
import { coded, codedMessage } from './errors';
import { factsSchema } from './facts';

const isoDateTime = z.iso.datetime({
  offset: true,
  message: 'must be an ISO 8601 date-time, e.g. 2026-11-28T09:30:00Z',
});
/** Lengths of the letter's parts: a letter people read through, not a report. */
export const LETTER_LIMITS = { section: 2_000, advice: 500, adviceItems: 10, contactPoint: 500 } as const;
const text = (max = 5_000) => z.string().trim().min(1, 'is required').max(max, `is longer than ${max} characters`);

/** The seed's containment measures (insluitende en schadebeperkende maatregelen), evidence first. */
export const CONTAINMENT_MEASURES = [
  'secure-evidence',
  'controlled-shutdown',
  'disconnect-network',
  'adjust-firewall',
  'block-accounts',
  'change-passwords',
  'agree-with-ict',
] as const;

const measureStatusSchema = z
  .object({
    status: z.enum(['done', 'not-applicable', 'pending']),
    note: z.string().trim().max(2_000).optional(),
  })
  .strict()
  .superRefine((measure, ctx) => {
    if (measure.status === 'not-applicable' && !measure.note) {
      ctx.addIssue({
        code: 'custom',
        path: ['note'],
        message: 'is required when a measure is not applicable: say why',
        params: coded('measure-note-required'),
      });
    }
  });

/** What each kind of task asks; a completion's answer must match its kind's schema. */
export const answerSchemas = {
  triage: z
    .object({
      isPersonalDataBreach: z.boolean({ message: 'must be true or false' }),
      awareAt: isoDateTime.optional(),
      reasoning: text(),
    })
    .strict()
    .superRefine((answer, ctx) => {
      if (answer.isPersonalDataBreach && answer.awareAt === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['awareAt'],
          message: 'is required for a personal-data breach: when did the organisation become aware?',
          params: coded('awareness-required'),
        });
      }
    }),
  // The first picture is the first version of the facts: what must be known now is required, the rest can
  // follow as amendments.
  'first-picture': factsSchema.required({
    summary: true,
    dataCategories: true,
    approxPeople: true,
    cause: true,
    stillLeaking: true,
  }),
  containment: z
    .object({
      /** Every measure of the checklist, each done, not applicable (with a note saying why) or still pending. */
      measures: z
        .object(
          Object.fromEntries(CONTAINMENT_MEASURES.map((m) => [m, measureStatusSchema])) as Record<
            (typeof CONTAINMENT_MEASURES)[number],
            typeof measureStatusSchema
          >,
        )
        .strict(),
      stillLeaking: z.boolean({ message: 'must be true or false: is personal data still leaking?' }),
      note: z.string().max(5_000).optional(),
    })
    .strict()
    .superRefine((answer, ctx) => {
      const evidence = answer.measures['secure-evidence'];
      const others = CONTAINMENT_MEASURES.filter(
        (m) => m !== 'secure-evidence' && answer.measures[m].status === 'done',
      );
      if (others.length > 0 && evidence.status === 'pending') {
        ctx.addIssue({
          code: 'custom',
          path: ['measures', 'secure-evidence', 'status'],
          message: `secure evidence first: it is still pending while ${others.join(', ')} ${others.length === 1 ? 'is' : 'are'} done`,
          params: coded('evidence-first', { others: others.join(', ') }),
        });
      }
    }),
  'containment-confirmation': z
    .object({
      contained: z.boolean({ message: 'must be true or false: is the leak stopped?' }),
      note: text(),
    })
    .strict(),
  impact: z
    .object({
      dataLeaked: text(),
      impactOnPeople: text(),
      impactOnOrganisation: text(),
      riskToPeople: z.enum(['unlikely', 'risk', 'high']),
    })
    .strict(),
  'notification-decision': z
    .object({
      notifyAuthority: z.boolean(),
      notifyDataSubjects: z.boolean(),
      /**
       * How the people affected are told: the organisation's own channel (then recorded as a task), lekdicht's
       * art. 34 letters to an uploaded list, or a public communication (art. 34(3)(c)).
       */
      dataSubjectsBy: z.enum(['own-channel', 'lekdicht', 'public-communication']).default('own-channel'),
      justification: text(),
    })
    .strict(),
  'authority-notification': z
    .object({
      notifiedAt: isoDateTime,
      reference: text(100),
      reasonsForDelay: z.string().trim().min(1).max(5_000).optional(),
    })
    .strict(),
  'data-subject-notification': z
    .object({
      notifiedAt: isoDateTime,
      channel: z.enum(['email', 'letter', 'phone', 'public-communication', 'other']),
      approxRecipients: z.number().int().min(0),
      note: z.string().max(5_000).optional(),
    })
    .strict(),
  'recipient-list': z
    .object({
      uploaded: z
        .number({ message: 'must be a number' })
        .int('must be a whole number')
        .min(
          1,
          codedMessage(
            'recipient-list-empty',
            'must be at least 1: upload the list first (npx lekdicht recipients upload)',
          ),
        ),
    })
    .strict(),
  'public-communication': z
    .object({
      publishedAt: isoDateTime,
      channel: text(200),
      reference: text(1_000),
    })
    .strict(),
  // Art. 34 letters (domain/letters.ts): the KCC's contact point first, then communications writes for the people
  // affected, then the FG approves or sends the letter back; only then are recipients asked for.
  'contact-point': z
    .object({
      contactPoint: text(LETTER_LIMITS.contactPoint),
    })
    .strict(),
  letter: z
    .object({
      nature: text(LETTER_LIMITS.section),
      consequences: text(LETTER_LIMITS.section),
      measures: text(LETTER_LIMITS.section),
      advice: z
        .array(text(LETTER_LIMITS.advice))
        .min(1, 'give at least one piece of advice')
        .max(LETTER_LIMITS.adviceItems, `holds more than ${LETTER_LIMITS.adviceItems} pieces of advice`),
    })
    .strict(),
  'letter-approval': z
    .object({
      approved: z.boolean({ message: 'must be true or false: may the letter be sent as shown?' }),
      remarks: z.string().trim().max(5_000, 'is longer than 5000 characters').optional(),
    })
    .strict()
    .superRefine((answer, ctx) => {
      if (!answer.approved && !answer.remarks) {
        ctx.addIssue({
          code: 'custom',
          path: ['remarks'],
          message: 'is required when the letter is sent back: say what must change',
          params: coded('letter-remarks-required'),
        });
      }
    }),
  aftercare: z
    .object({
      contactPoint: text(500),
      adviceGiven: text(),
    })
    .strict(),
  'aftercare-follow-up': z
    .object({
      questionsReceived: z.number().int().min(0),
      harmReported: z.boolean(),
      furtherActionNeeded: z.boolean(),
      note: z.string().max(5_000).optional(),
    })
    .strict(),
  'aftercare-close': z
    .object({
      close: z.boolean({ message: 'must be true or false: can aftercare end?' }),
      note: text(),
    })
    .strict(),
  evaluation: z
    .object({
      lessonsLearned: text(10_000),
      improvementActions: z
        .array(
          z
            .object({
              description: text(1_000),
              owner: z.email('must be an email address'),
              due: isoDateTime,
            })
            .strict(),
        )
        .max(100),
      approachStillCurrent: z.boolean(),
    })
    .strict(),
  'organisation-interest': z
    .object({
      outcome: text(),
    })
    .strict(),
  'improvement-action': z
    .object({
      done: z.literal(true, {
        message: codedMessage('improvement-action-not-done', 'must be true: complete the action when it is done'),
      }),
      note: text(),
    })
    .strict(),
} as const;

export type TaskKind = keyof typeof answerSchemas;
export type Answer<K extends TaskKind> = z.infer<(typeof answerSchemas)[K]>;
export const TASK_KINDS = Object.keys(answerSchemas) as TaskKind[];

export const TASK_ROLES: Record<TaskKind, Role> = {
  triage: 'fg',
  'first-picture': 'ciso',
  containment: 'ict',
  'containment-confirmation': 'ciso',
  impact: 'process-owner',
  'notification-decision': 'fg',
  'authority-notification': 'fg',
  'data-subject-notification': 'communications',
  'recipient-list': 'communications',
  'public-communication': 'communications',
  'contact-point': 'kcc',
  letter: 'communications',
  'letter-approval': 'fg',
  aftercare: 'kcc',
  'aftercare-follow-up': 'process-owner',
  'aftercare-close': 'fg',
  evaluation: 'fg',
  // The role comes with each task (legal, finance, communications, KCC, HR, business continuity).
  'organisation-interest': 'fg',
  // Accountable: the FG; the action's owner (the task's assignee) completes it.
  'improvement-action': 'fg',
};

export type TaskStatus = 'open' | 'done' | 'cancelled';

/** The reference of a task's ticket in the register's own ticket system (config tickets.kind "register"). */
export const registerTicketRef = (breachId: string, taskId: string): string => `${breachId}/${taskId}`;
export type Playbook = 'breach' | 'containment' | 'notification' | 'aftercare' | 'evaluation' | 'data-subjects';

export interface Task {
  /** Unique within the breach, e.g. "triage" or "containment-2". */
  id: string;
  kind: TaskKind;
  role: Role;
  title: string;
  playbook: Playbook;
  /** The workflow that owns the task and accepts its completion. */
  workflowId: string;
  createdAt: string;
  due: string;
  status: TaskStatus;
  overdue: boolean;
  /** A named person who may complete it besides the role (e.g. an improvement action's owner). */
  assignee?: string;
  /** What exactly is asked, when the title alone does not say it. */
  detail?: string;
  ticketRef?: string;
  completedBy?: string;
  /** Completed by an operator on the CLI in completedBy's name (domain/act-proof.ts), not by that person signed in. */
  completedVia?: OperatorVia;
  completedAt?: string;
  answer?: unknown;
}

export interface TaskCompletion {
  taskId: string;
  /** Email of the person completing the task; must hold the task's role (or deputise for it). */
  actor: string;
  answer: unknown;
  /** Who authenticated it: the HTTP service's proof, or the CLI's operator marker (domain/act-proof.ts). */
  proof?: ActProof;
  via?: OperatorVia;
}
