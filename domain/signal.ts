import { z } from 'zod';
import type { Report } from './case';

// The event id says which breach a report belongs to (it is hashed into the breach id) and is shown on pages:
// control characters (C0, DEL, C1) or half a surrogate pair in it are a broken sender, not an id.
const NOT_IN_AN_ID =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A report that something may have leaked (signaal), from a SIEM/DLP webhook, a web form or the CLI.
 * `source` + `eventId` identify it: the same pair always lands in the same breach.
 */
export const breachSignalSchema = z
  .object({
    source: z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
        'use 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit',
      ),
    eventId: z
      .string()
      .trim()
      .min(1, 'is required')
      .max(200, 'is longer than 200 characters')
      .refine(
        (id) => !NOT_IN_AN_ID.test(id),
        'contains a control character or a broken (lone surrogate) character: send the id as plain text',
      ),
    summary: z
      .string()
      .trim()
      .min(1, 'is required: say in a sentence what happened')
      .max(2_000, 'is longer than 2000 characters'),
    details: z.string().max(20_000, 'is longer than 20000 characters').optional(),
    /** When the source observed the event; the legal clock starts later, at awareness (set by the FG). */
    observedAt: z.iso
      .datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2026-11-28T09:30:00Z' })
      .optional(),
    reporter: z
      .object({
        name: z.string().trim().min(1).max(200).optional(),
        email: z.email('must be an email address').optional(),
      })
      .strict()
      .optional(),
    systems: z.array(z.string().trim().min(1).max(200)).max(50).optional(),
  })
  .strict();

export type BreachSignal = z.infer<typeof breachSignalSchema>;

/** What a report keeps of the signal besides its summary, for the triage: only the parts that were sent. */
export function triageDetailsOf(signal: BreachSignal): Pick<Report, 'details' | 'observedAt' | 'reporter' | 'systems'> {
  return {
    ...(signal.details ? { details: signal.details } : {}),
    ...(signal.observedAt ? { observedAt: signal.observedAt } : {}),
    ...(signal.reporter ? { reporter: signal.reporter } : {}),
    ...(signal.systems?.length ? { systems: signal.systems } : {}),
  };
}
