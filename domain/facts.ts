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
  /** Gedragsgegevens: purchases, preferences, browsing, habits — what someone does rather than who they are. */
  'behavioural',
  /** Verkeersgegevens: call and message records, who contacted whom and when (telecom traffic data). */
  'traffic',
  /** Identiteitsbewijs: a copy or the number of a passport, identity card or driving licence — the key to identity fraud. */
  'identity-document',
] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

/**
 * What happened, in the words incident responders use. More specific than `cause` (ENISA's circumstances), and it
 * changes the question asked: for a lost, stolen or misdirected item the data has left, so the question is not
 * whether anyone took it but who holds it and whether it came back (`recipients`, `recovery`).
 */
export const BREACH_TYPES = [
  'misdirected-email',
  'misdirected-post',
  'lost-device',
  'stolen-device',
  'lost-paper',
  'stolen-paper',
  'ransomware',
  'hacking',
  'credential-stuffing',
  'phishing',
  'social-engineering',
  'insider-misuse',
  'unsecured-access',
  'accidental-publication',
  'other',
] as const;
export type BreachType = (typeof BREACH_TYPES)[number];

/** Breach types where the data has left the organisation by the nature of the event: who holds it is the question. */
export const DATA_LEFT_TYPES: readonly BreachType[] = [
  'misdirected-email',
  'misdirected-post',
  'lost-device',
  'stolen-device',
  'lost-paper',
  'stolen-paper',
  'accidental-publication',
];

/**
 * Who got or could see the data. `none`: nobody outside the organisation (e.g. ransomware that only encrypted);
 * `trusted-confidential`: a recipient bound to confidentiality (a colleague, an insurer's agent under professional
 * secrecy); `known-untrusted`: identified people with no duty of confidentiality (another customer, a former
 * employee's new business, an impostor whose number is known); `unknown`: whoever took it is not known; `public`:
 * published or sent to a mass mailing.
 */
export const RECIPIENTS = ['none', 'trusted-confidential', 'known-untrusted', 'unknown', 'public'] as const;
export type Recipients = (typeof RECIPIENTS)[number];

/** Whether the data came back: the measures that can make a risk unlikely or art. 34(3)(b) apply. */
export const RECOVERY = ['none', 'retrieved', 'returned', 'deleted-confirmed', 'remote-wiped'] as const;
export type Recovery = (typeof RECOVERY)[number];

/** What an outage stopped: the consequences for people that decide how an availability breach weighs. */
export const OUTAGE_CONSEQUENCES = [
  'none',
  'care-delayed',
  'payments-delayed',
  'service-down',
  'deliveries-delayed',
  'other',
] as const;
export type OutageConsequence = (typeof OUTAGE_CONSEQUENCES)[number];

/** Who the people are. Patients, children and clients of social services are vulnerable (recital 75 GDPR). */
export const SUBJECT_KINDS = [
  'customers',
  'employees',
  'patients',
  'children',
  'students',
  'job-seekers',
  'social-services-clients',
  'citizens',
  'users',
  'business-contacts',
  'other',
] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];
export const VULNERABLE_SUBJECTS: readonly SubjectKind[] = ['patients', 'children', 'social-services-clients'];

export const SECTORS = [
  'health',
  'social-services',
  'education',
  'finance',
  'telecom',
  'public-sector',
  'retail',
  'other',
] as const;

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
    /** Whether the cipher or hash is the state of the art (a salted, slow hash; AES): a weak one protects nothing. */
    strength: oneOf(['state-of-the-art', 'weak', 'unknown']).optional(),
    /** Which kinds of data the protection covers, when not all: typically only the passwords are hashed. */
    covers: z
      .array(oneOf(DATA_CATEGORIES))
      .min(1, 'is empty: leave it out when the protection covers all data')
      .optional(),
  })
  .strict()
  .superRefine((protection, ctx) => {
    const none = !protection.encrypted && !protection.hashed;
    for (const key of ['keySafe', 'strength', 'covers'] as const) {
      if (protection[key] !== undefined && none) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: 'only applies when the data was encrypted or hashed',
          params: coded('key-safe-without-protection'),
        });
      }
    }
  });

const instant = (what: string) =>
  z.iso.datetime({
    offset: true,
    message: `must be a date and time with its offset, e.g. 2026-03-01T09:30:00+01:00: ${what}`,
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

const factsObject = z
  .object({
    breachType: oneOf(BREACH_TYPES).optional(),
    /** When the breach began and ended (not when the organisation became aware): the AP's form asks both. */
    startedAt: instant('when did the breach begin?').optional(),
    endedAt: instant('when did the breach end?').optional(),
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
    /**
     * For a kind of data that concerns only some of the people: how many (2 of 15 on a list had health data). Without
     * an entry a kind concerns everyone affected.
     */
    peoplePerCategory: z
      .partialRecord(oneOf(DATA_CATEGORIES), count('people does this kind of data concern'))
      .optional(),
    /** Who the people are; patients, children and clients of social services count as vulnerable. */
    subjects: z
      .object({
        kinds: z.array(oneOf(SUBJECT_KINDS)).min(1, 'is empty: leave it out while unknown').optional(),
        vulnerable: yesNo(
          'are the people vulnerable (patients, children, people in need of care or support)?',
        ).optional(),
        sector: oneOf(SECTORS).optional(),
      })
      .strict()
      .optional(),
    approxRecords: count('records are affected').optional(),
    cause: oneOf(CAUSES).optional(),
    intentional: yesNo('was the breach caused on purpose?').optional(),
    stillLeaking: yesNo('is personal data still leaking?').optional(),
    /** Unintelligibility: encrypted or hashed data whose key is safe cannot be read (art. 34(3)(a)). */
    protection: protectionSchema.optional(),
    backup: z
      .object({
        available: yesNo('can the data be restored from a backup?'),
        /** complete: everything restored as it was; partial: some data lost; paper: re-entered from paper records. */
        kind: oneOf(['complete', 'partial', 'paper']).optional(),
        restoreHours: z.number({ message: 'must be a number of hours' }).min(0, 'must be 0 or more').optional(),
      })
      .strict()
      .superRefine((backup, ctx) => {
        if (backup.kind !== undefined && !backup.available)
          ctx.addIssue({
            code: 'custom',
            path: ['kind'],
            message: 'only applies when a backup is available',
            params: coded('backup-kind-without-backup'),
          });
      })
      .optional(),
    /** How long the data or the service was unavailable, and what that stopped. */
    outage: z
      .object({
        hours: z.number({ message: 'must be a number of hours' }).min(0, 'must be 0 or more').optional(),
        consequences: z.array(oneOf(OUTAGE_CONSEQUENCES)).min(1, 'is empty: leave it out while unknown').optional(),
      })
      .strict()
      .optional(),
    /** Whether anyone copied or took the data beyond the recipients described in `recipients` (e.g. an attacker downloading it). */
    exfiltration: oneOf(['excluded', 'suspected', 'confirmed']).optional(),
    /** Who received or could see the data (see RECIPIENTS). */
    recipients: oneOf(RECIPIENTS).optional(),
    /** How many recipients got the data, when known (60,000 job seekers on one mailing; 2 customers). */
    recipientCount: count('recipients got the data').optional(),
    /** Whether the data came back: retrieved, returned, deleted with written confirmation, or wiped remotely. */
    recovery: oneOf(RECOVERY).optional(),
    crossBorder: yesNo('are people or establishments in other EU countries involved?').optional(),
    /** For cross-border processing: the lead supervisory authority (art. 56), when it is not the AP. */
    leadAuthority: text(200).optional(),
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

export const factsSchema = factsObject.superRefine((facts, ctx) => {
  // Checks between fields. An amendment is checked on its own (factsAmendmentSchema), so these can only bind
  // fields given together; amendFacts's callers check the merged facts with `factsConflicts`.
  for (const problem of factsConflicts(facts)) ctx.addIssue({ code: 'custom', ...problem });
});

/** Facts that contradict each other, each naming its field; empty when they agree. */
export function factsConflicts(
  facts: Pick<
    BreachFacts,
    | 'startedAt'
    | 'endedAt'
    | 'approxPeople'
    | 'dataCategories'
    | 'peoplePerCategory'
    | 'crossBorder'
    | 'leadAuthority'
    | 'recipients'
    | 'recipientCount'
  >,
): { path: (string | number)[]; message: string; params: ReturnType<typeof coded> }[] {
  const problems: { path: (string | number)[]; message: string; params: ReturnType<typeof coded> }[] = [];
  if (facts.startedAt && facts.endedAt && Date.parse(facts.endedAt) < Date.parse(facts.startedAt))
    problems.push({
      path: ['endedAt'],
      message: 'is before startedAt: a breach cannot end before it began',
      params: coded('ended-before-started'),
    });
  for (const [category, people] of Object.entries(facts.peoplePerCategory ?? {})) {
    if (facts.dataCategories && !facts.dataCategories.includes(category as DataCategory))
      problems.push({
        path: ['peoplePerCategory', category],
        message: `names ${category}, which is not among dataCategories`,
        params: coded('people-per-category-unknown'),
      });
    else if (people !== undefined && facts.approxPeople !== undefined && people > facts.approxPeople)
      problems.push({
        path: ['peoplePerCategory', category],
        message: `is ${people}, more than the ${facts.approxPeople} people affected (approxPeople)`,
        params: coded('people-per-category-too-many'),
      });
  }
  if (facts.leadAuthority !== undefined && facts.crossBorder === false)
    problems.push({
      path: ['leadAuthority'],
      message: 'only applies to cross-border processing: crossBorder is false',
      params: coded('lead-authority-not-cross-border'),
    });
  if (facts.recipientCount !== undefined && facts.recipientCount > 0 && facts.recipients === 'none')
    problems.push({
      path: ['recipientCount'],
      message: 'is more than 0, but recipients says nobody got the data',
      params: coded('recipient-count-without-recipients'),
    });
  return problems;
}

export type BreachFacts = z.infer<typeof factsSchema>;

/** A change to the facts: any top-level field, each replacing the whole value it names. */
export const factsAmendmentSchema = factsObject
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
