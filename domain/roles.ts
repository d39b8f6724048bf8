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
