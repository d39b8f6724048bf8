import { z } from 'zod';
import { coded, codedMessage } from './errors';

/**
 * What is known about a breach: the first picture (eerste beeldvorming) and everything learned later.
 * Every field is optional because a breach is assessed while it is still being investigated; what is not
 * known yet is left out, and the severity and the suggestion say which defaults stood in for it.
 */

/** Kinds of personal data, in the order of the ENISA data processing context they score (see severity.ts). */
export const DATA_CATEGORIES = [
  /** Gewone persoonsgegevens: name, address, date of birth, contact details, work and education. */
  'ordinary',
  /** Bijzondere persoonsgegevens (art. 9 GDPR): health, race or ethnic origin, political opinions, religion or belief, trade-union membership, genetic and biometric data, sex life or sexual orientation. */
  'special',
  /** Strafrechtelijke persoonsgegevens (art. 10 GDPR): criminal convictions, offences and related measures. */
  'criminal',
  /** Burgerservicenummer (BSN) or another national identification number (art. 87 GDPR; art. 46 UAVG). */
  'national-id',
  /** Financiële gegevens: bank account numbers, income, payments, debts, benefits, credit card numbers. */
  'financial',
  /** Inloggegevens: user names with passwords, tokens or other means to log in as someone. */
  'credentials',
  /** Locatiegegevens: where someone is or was (GPS, cell towers, check-ins, travel). */
  'location',
  /** Inhoud van communicatie: the content of emails, chat or other messages. */
  'communications-content',
  /** Gegevens van kinderen: data about minors, who are less able to protect themselves (recital 38 GDPR). */
  'children',
] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

export const CAUSES = [
  'wrong-recipient',
  'loss-or-theft',
  'abuse-of-authorisation',
  'attack',
  'technical-failure',
  'other',
  'unknown',
] as const;

/** How much of confidentiality, integrity or availability was lost; ENISA's 0 / +0.25 / +0.5. */
export const LOSS_LEVELS = ['none', 'limited', 'significant'] as const;
export type LossLevel = (typeof LOSS_LEVELS)[number];

/** ENISA's ease of identification: how easily the data points to the people it is about. */
export const IDENTIFIABILITY = ['negligible', 'limited', 'significant', 'maximum'] as const;
export type Identifiability = (typeof IDENTIFIABILITY)[number];

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { message: `must be one of: ${values.join(', ')}` });
const yesNo = (question: string) => z.boolean({ message: `must be true or false: ${question}` });
const count = (what: string) =>
  z
    .number({ message: `must be a number: about how many ${what}?` })
    .int('must be a whole number')
    .min(0, 'must be 0 or more');
const text = (max: number) =>
  z
    .string({ message: 'must be text' })
    .trim()
    .min(1, 'is empty: leave the field out instead')
    .max(max, `is longer than ${max} characters`);

const protectionSchema = z
  .object({
    encrypted: yesNo('was the data encrypted?'),
    hashed: yesNo('was the data hashed?').optional(),
    /** The key (or, for hashes, the secret salt) was not compromised with the data. */
    keySafe: yesNo('is the key out of reach of whoever has the data?').optional(),
  })
  .strict()
  .superRefine((protection, ctx) => {
    if (protection.keySafe !== undefined && !protection.encrypted && !protection.hashed) {
      ctx.addIssue({
        code: 'custom',
        path: ['keySafe'],
        message: 'only applies when the data was encrypted or hashed',
        params: coded('key-safe-without-protection'),
      });
    }
  });

const contextSchema = z
  .object({
    adjustment: z.union([z.literal(-1), z.literal(0), z.literal(1)], {
      message: 'must be -1, 0 or 1: ENISA adjusts the data processing context one step down or up',
    }),
    reason: text(2_000).optional(),
  })
  .strict()
  .superRefine((context, ctx) => {
    if (context.adjustment !== 0 && context.reason === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['reason'],
        message:
          'is required when the adjustment is not 0: say what in the context makes the data more or less sensitive',
        params: coded('context-reason-required'),
      });
    }
  });

export const factsSchema = z
  .object({
    location: oneOf(['inside', 'outside', 'both', 'unknown']).optional(),
    systems: z.array(text(200)).max(50, 'lists more than 50 systems').optional(),
    physicalMedia: z
      .object({
        lost: yesNo('were physical media (laptop, USB stick, paper) lost or stolen?'),
        description: text(1_000).optional(),
      })
      .strict()
      .optional(),
    dataCategories: z
      .array(oneOf(DATA_CATEGORIES))
      .min(
        1,
        codedMessage(
          'data-categories-empty',
          'is empty: name at least one category, or leave the field out while it is unknown',
        ),
      )
      .optional(),
    approxPeople: count('people are affected').optional(),
    approxRecords: count('records are affected').optional(),
    cause: oneOf(CAUSES).optional(),
    intentional: yesNo('was the breach caused on purpose?').optional(),
    stillLeaking: yesNo('is personal data still leaking?').optional(),
    /** Unintelligibility: encrypted or hashed data whose key is safe cannot be read (art. 34(3)(a)). */
    protection: protectionSchema.optional(),
    backup: z
      .object({
        available: yesNo('can the data be restored from a backup?'),
        restoreHours: z.number({ message: 'must be a number of hours' }).min(0, 'must be 0 or more').optional(),
      })
      .strict()
      .optional(),
    /** Whether anyone copied or took the data beyond the recipients described in `recipients` (e.g. an attacker downloading it). */
    exfiltration: oneOf(['excluded', 'suspected', 'confirmed']).optional(),
    /** Who received or could see the data: a trusted recipient bound to confidentiality, unknown people, or the public. */
    recipients: oneOf(['trusted-confidential', 'unknown', 'public']).optional(),
    crossBorder: yesNo('are people or establishments in other EU countries involved?').optional(),
    processorInvolved: yesNo('did the breach happen at a processor (verwerker)?').optional(),
    /** Whether the organisation has an email or postal address for the people affected; without it, informing them one by one is not possible (art. 34(3)(c)). */
    contactDetailsKnown: yesNo('do we have an email or postal address for the people affected?').optional(),
    impact: z
      .object({
        confidentiality: oneOf(LOSS_LEVELS).optional(),
        integrity: oneOf(LOSS_LEVELS).optional(),
        availability: oneOf(LOSS_LEVELS).optional(),
      })
      .strict()
      .optional(),
    identifiability: oneOf(IDENTIFIABILITY).optional(),
    context: contextSchema.optional(),
    summary: text(5_000).optional(),
  })
  .strict();

export type BreachFacts = z.infer<typeof factsSchema>;

/** A change to the facts: any top-level field, each replacing the whole value it names. */
export const factsAmendmentSchema = factsSchema
  .partial()
  .refine((amendment) => Object.values(amendment).some((v) => v !== undefined), {
    message: 'is empty: name at least one fact to change',
  });
export type FactsAmendment = z.infer<typeof factsAmendmentSchema>;

/** JSON-shaped values only: primitives, arrays and plain objects. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const keysA = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const keysB = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return (
    keysA.length === keysB.length &&
    keysA.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

/**
 * Applies an amendment: each key given replaces the current value whole (a nested object is not merged, so
 * `protection: { encrypted: true }` also drops an earlier `keySafe`). `changed` lists the keys whose value
 * actually differs, so the timeline can say who changed what without noise from repeated answers.
 */
export function amendFacts(
  current: BreachFacts,
  amendment: FactsAmendment,
): { facts: BreachFacts; changed: (keyof BreachFacts)[] } {
  const facts: Record<string, unknown> = { ...current };
  const changed: (keyof BreachFacts)[] = [];
  for (const [key, value] of Object.entries(amendment)) {
    if (value === undefined) continue;
    if (!sameValue(facts[key], value)) changed.push(key as keyof BreachFacts);
    facts[key] = value;
  }
  return { facts, changed };
}
