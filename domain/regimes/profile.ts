import { z } from 'zod';
import { durationSchema } from '../duration';
import { actAuthorityShape, actorSchema, isoInstant } from './args';
import { amsterdamTime } from './calendar';

/**
 * The organisation's profile (config: organisation.profile) and the classification of one incident: what
 * decides which regimes apply. How each is read is in docs/deadlines.md.
 */

/** What the organisation is, for the regimes that depend on it. Every field has a default. */
export const organisationProfileSchema = z
  .object({
    /** Controller (verwerkingsverantwoordelijke), processor (verwerker), or both (for different processing). */
    role: z.enum(['controller', 'processor', 'both']).default('controller'),
    /** NIS2 essential or important entity (Cyberbeveiligingswet in the Netherlands), or neither. */
    nis2Entity: z.enum(['none', 'essential', 'important']).default('none'),
    /** A financial entity under DORA (Regulation (EU) 2022/2554). */
    financialEntity: z.boolean().default(false),
    /** Art. 33(2) says "without undue delay"; the processing agreement usually says 24–48 h. */
    processorToControllerDue: durationSchema.prefault('24h'),
    /** Internal target for art. 34 "without undue delay", counted from the FG's decision to inform people. */
    dataSubjectTarget: durationSchema.prefault('72h'),
  })
  .strict();
export type OrganisationProfile = z.output<typeof organisationProfileSchema>;

/** When the people affected should have been told, counted from the FG's decision (art. 34's internal target). */
export function dataSubjectTargetOf(profile: OrganisationProfile | undefined): number {
  return (profile ?? organisationProfileSchema.parse({})).dataSubjectTarget;
}
export type OrganisationProfileInput = z.input<typeof organisationProfileSchema>;

/** How the incident was classified during the breach (not config). Absent answers mean "not yet assessed". */
export const incidentClassificationSchema = z
  .object({
    /** NIS2 art. 23(3): a significant incident. Undefined: not yet assessed. */
    nis2Significant: z.boolean().optional(),
    /** DORA art. 18: `false` when assessed as not major (no DORA reporting). Implied by doraMajorClassifiedAt. */
    doraMajor: z.boolean().optional(),
    /** The moment the incident was classified as major under DORA: starts the 4-hour clock. */
    doraMajorClassifiedAt: isoInstant.optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.doraMajor === false && value.doraMajorClassifiedAt !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['doraMajorClassifiedAt'],
        message: 'is set, but doraMajor is false; a classification moment means the incident is major',
      });
    }
  });
export type IncidentClassification = z.output<typeof incidentClassificationSchema>;
/** `classifyIncident`: the FG or the CISO records the NIS2 and DORA assessment; absent fields stay as they were. */
export const classifyIncidentArgsSchema = z
  .object({
    actor: actorSchema,
    ...actAuthorityShape,
    nis2Significant: z
      .boolean({ message: 'must be true or false: is the incident significant under NIS2 art. 23(3)?' })
      .optional(),
    doraMajor: z
      .boolean({ message: 'must be true or false: is it a major ICT-related incident under DORA art. 18?' })
      .optional(),
    doraMajorClassifiedAt: isoInstant.optional(),
  })
  .strict();
export type ClassifyIncidentArgs = z.input<typeof classifyIncidentArgsSchema>;
/**
 * Merges a classification update into the current classification: absent fields stay; a classification moment
 * implies "major"; "not major" clears an earlier classification moment. Refused: a classification moment in the
 * future or before awareness, an update that sets nothing, and a contradiction (doraMajor false with a moment).
 */
export function mergeClassification(
  current: IncidentClassification,
  update: z.output<typeof classifyIncidentArgsSchema>,
  awareAt: string,
  now: number,
): { ok: true; classification: IncidentClassification } | { ok: false; message: string } {
  if (
    update.nis2Significant === undefined &&
    update.doraMajor === undefined &&
    update.doraMajorClassifiedAt === undefined
  ) {
    return {
      ok: false,
      message: 'nis2Significant: give at least one of nis2Significant, doraMajor, doraMajorClassifiedAt',
    };
  }
  if (update.doraMajorClassifiedAt !== undefined) {
    if (Date.parse(update.doraMajorClassifiedAt) > now + 60_000) {
      return {
        ok: false,
        message: 'doraMajorClassifiedAt: lies in the future; enter the moment the incident was classified as major',
      };
    }
    if (Date.parse(update.doraMajorClassifiedAt) < Date.parse(awareAt)) {
      return {
        ok: false,
        message: `doraMajorClassifiedAt: lies before the moment of awareness (${awareAt}); an incident cannot be classified before anyone knew of it`,
      };
    }
  }
  const merged: IncidentClassification = { ...current };
  if (update.nis2Significant !== undefined) merged.nis2Significant = update.nis2Significant;
  if (update.doraMajor === false && update.doraMajorClassifiedAt === undefined) delete merged.doraMajorClassifiedAt;
  if (update.doraMajor !== undefined) merged.doraMajor = update.doraMajor;
  if (update.doraMajorClassifiedAt !== undefined) {
    merged.doraMajorClassifiedAt = update.doraMajorClassifiedAt;
    if (update.doraMajor === undefined) merged.doraMajor = true;
  }
  const parsed = incidentClassificationSchema.safeParse(merged);
  if (!parsed.success)
    return {
      ok: false,
      message: parsed.error.issues
        .map((i) => `${i.path.map(String).join('.') || 'classification'}: ${i.message}`)
        .join('; '),
    };
  return { ok: true, classification: parsed.data };
}

/** "NIS2 significant: yes; DORA major: yes, classified at 2026-11-28 10:00 (Amsterdam time)". */
export function describeClassification(classification: IncidentClassification): string {
  const nis2 =
    classification.nis2Significant === undefined ? 'not assessed' : classification.nis2Significant ? 'yes' : 'no';
  const dora =
    classification.doraMajorClassifiedAt !== undefined
      ? `yes, classified at ${amsterdamTime(classification.doraMajorClassifiedAt)} (Amsterdam time)`
      : classification.doraMajor === undefined
        ? 'not assessed'
        : classification.doraMajor
          ? 'yes (moment of classification not recorded)'
          : 'no';
  return `NIS2 significant: ${nis2}; DORA major: ${dora}`;
}
