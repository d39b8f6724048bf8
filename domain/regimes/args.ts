import { z } from 'zod';

/** The fields the regimes' acts (classify, correct awareness, record a notification) share. */

export const isoInstant = z.iso.datetime({
  offset: true,
  message: 'must be an ISO 8601 date-time, e.g. 2026-11-28T09:30:00Z',
});

/** An email address is at most 254 characters (RFC 5321); anything longer is nobody in the directory. */
export const MAX_ACTOR_LENGTH = 254;
export const actorSchema = z
  .string({ message: 'is required: the email of the person acting' })
  .trim()
  .min(1, 'is required: the email of the person acting')
  .max(MAX_ACTOR_LENGTH, `is longer than ${MAX_ACTOR_LENGTH} characters: the email of the person acting`);
/** Who authenticated the act (domain/act-proof.ts): checked by the workflow's validator, not here. */
export const actAuthorityShape = { proof: z.unknown().optional(), via: z.unknown().optional() };
export const required = (max: number) =>
  z.string({ message: 'is required' }).trim().min(1, 'is required').max(max, `is longer than ${max} characters`);
