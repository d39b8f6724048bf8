import { z } from 'zod';

/** The roles of the seed's procedure; real people fill them through the directory in the config. */
export const ROLES = [
  'fg',
  'ciso',
  'process-owner',
  'ict',
  'legal',
  'finance',
  'communications',
  'kcc',
  'processor',
  'executive-sponsor',
  'hr',
  'business-continuity',
] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** FG + CISO + process owner form the breach team (datalekteam). */
export const BREACH_TEAM: readonly Role[] = ['fg', 'ciso', 'process-owner'];

/** Names people read are at most this long; an email address at most 254 characters (RFC 5321). */
export const MAX_NAME_LENGTH = 200;
export const MAX_EMAIL_LENGTH = 254;
/** A function (job title) people read; a phone number as written, with the digits a call needs. */
export const MAX_FUNCTION_LENGTH = 200;
const PHONE = /^\+?[0-9(][0-9 ()-]{0,29}$/;
const MIN_PHONE_DIGITS = 6;
const emailSchema = z
  .email('must be an email address')
  .max(MAX_EMAIL_LENGTH, `is longer than ${MAX_EMAIL_LENGTH} characters`)
  .transform((e) => e.toLowerCase());

export const personSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'a name is required')
      .max(MAX_NAME_LENGTH, `is longer than ${MAX_NAME_LENGTH} characters`),
    email: emailSchema,
    /**
     * Empty for a deputy only (a deputy FG): they may act on the role's tasks and get its escalations
     * (mayActFor, escalationFor), but the role's own emails (a new task) go to its holders alone.
     */
    roles: z.array(roleSchema),
    /** Email of the person who stands in when this one does not answer in time. */
    deputy: emailSchema.optional(),
    /**
     * The person's job title as the AP's form asks it of the contact person (e.g. "Functionaris
     * gegevensbescherming"); optional, the draft marks it unknown without it.
     */
    function: z
      .string()
      .trim()
      .min(1, 'is empty: leave it out when there is none')
      .max(MAX_FUNCTION_LENGTH, `is longer than ${MAX_FUNCTION_LENGTH} characters`)
      .optional(),
    /** A phone number the AP can call back on, as written (+31 70 123 4567, 070-1234567). */
    phone: z
      .string()
      .trim()
      .refine((phone) => PHONE.test(phone) && (phone.match(/\d/g) ?? []).length >= MIN_PHONE_DIGITS, {
        message: `must be a phone number of at least ${MIN_PHONE_DIGITS} digits, with spaces and - ( ) only and an optional + first, e.g. +31 70 123 4567`,
      })
      .optional(),
  })
  // A typo such as "deputee" must be refused, not dropped: a deputy who silently is not there misses escalations.
  .strict();
export type Person = z.infer<typeof personSchema>;

export const directorySchema = z
  .array(personSchema)
  .min(1, 'the directory needs at least one person')
  .superRefine((people, ctx) => {
    const emails = new Set<string>();
    people.forEach((person, index) => {
      if (emails.has(person.email)) {
        ctx.addIssue({ code: 'custom', path: [index, 'email'], message: `${person.email} appears twice` });
      }
      emails.add(person.email);
    });
    const deputies = new Set(people.map((p) => p.deputy).filter((e): e is string => e !== undefined));
    people.forEach((person, index) => {
      if (person.roles.length === 0 && !deputies.has(person.email)) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'roles'],
          message: "a person needs at least one role, or to be someone's deputy",
        });
      }
      if (person.deputy !== undefined && !emails.has(person.deputy)) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'deputy'],
          message: `deputy ${person.deputy} is not in the directory`,
        });
      }
      if (person.deputy === person.email) {
        ctx.addIssue({ code: 'custom', path: [index, 'deputy'], message: 'a person cannot be their own deputy' });
      }
    });
    for (const role of ['fg', 'ciso', 'process-owner', 'ict', 'executive-sponsor'] as const) {
      if (!people.some((p) => p.roles.includes(role))) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          message: `nobody holds the role "${role}", which every breach needs`,
        });
      }
    }
  });
export type Directory = z.infer<typeof directorySchema>;

export function holdersOf(directory: Directory, role: Role): Person[] {
  return directory.filter((p) => p.roles.includes(role));
}

export function findPerson(directory: Directory, email: string): Person | undefined {
  const wanted = email.trim().toLowerCase();
  return directory.find((p) => p.email === wanted);
}

/** Holders of the role, and the deputies of those holders: both may act on a task for the role. */
export function mayActFor(directory: Directory, role: Role, email: string): boolean {
  const person = findPerson(directory, email);
  if (!person) return false;
  if (person.roles.includes(role)) return true;
  return holdersOf(directory, role).some((holder) => holder.deputy === person.email);
}

/** Who to tell when a role's task runs late: the deputies of its holders, falling back to the FG. */
export function escalationFor(directory: Directory, role: Role): Person[] {
  const deputies = holdersOf(directory, role)
    .map((holder) => holder.deputy)
    .filter((email): email is string => email !== undefined)
    .map((email) => findPerson(directory, email))
    .filter((p): p is Person => p !== undefined);
  return deputies.length > 0 ? deputies : holdersOf(directory, 'fg');
}
