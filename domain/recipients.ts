import { z } from 'zod';
import { LANGUAGES, type Language } from './language';

/** The people affected by a breach, one row each: who to tell (art. 34) and how to reach them. */
export const RECIPIENT_COLUMNS = ['name', 'email', 'address', 'language'] as const;

/** A spreadsheet's empty cell means "not given"; cells are trimmed. */
const cell =
  (lowercase = false) =>
  (value: unknown) => {
    if (typeof value !== 'string') return value;
    const v = value.trim();
    return v === '' ? undefined : lowercase ? v.toLowerCase() : v;
  };

/** One row of the CSV file, as a person fills it in: a name, and an email address or a postal address (or both). */
export const recipientRowSchema = z
  .object({
    name: z.preprocess(cell(), z.string({ message: 'is required' }).max(200, 'is longer than 200 characters')),
    email: z.preprocess(
      cell(true),
      z.email('must be a valid email address').max(254, 'is longer than 254 characters').optional(),
    ),
    address: z.preprocess(cell(), z.string().max(500, 'is longer than 500 characters').optional()),
    language: z.preprocess(cell(true), z.enum(LANGUAGES, { message: 'must be nl or en' }).default('nl')),
  })
  .strict()
  .superRefine((row, ctx) => {
    if (row.email === undefined && row.address === undefined)
      ctx.addIssue({ code: 'custom', path: [], message: 'give an email or a postal address' });
  });

export interface RecipientRow {
  name: string;
  email?: string;
  address?: string;
  language: Language;
}

export type ParsedRecipients = { ok: true; rows: RecipientRow[] } | { ok: false; errors: string[] };

/** At most this many problems are listed; a file with a wrong column would otherwise list every row. */
export const MAX_REPORTED_ERRORS = 20;

/**
 * Validates the records of a CSV file (one object per row, keyed by the header). Row numbers are the ones a
 * spreadsheet shows: the header is row 1, so the first person is row 2. Returns every row, or the problems,
 * each naming the row and the column ("row 12: email: must be a valid email address").
 */
export function parseRecipientRows(records: readonly Record<string, unknown>[]): ParsedRecipients {
  const columns = new Set(records.flatMap((r) => Object.keys(r)));
  const unknown = [...columns].filter((c) => !(RECIPIENT_COLUMNS as readonly string[]).includes(c));
  const header: string[] = [];
  if (unknown.length > 0)
    header.push(
      `header: unknown column${unknown.length === 1 ? '' : 's'} ${unknown.map((c) => `"${c}"`).join(', ')}; the columns are ${RECIPIENT_COLUMNS.join(', ')}`,
    );
  if (records.length > 0 && !columns.has('name')) header.push('header: the column "name" is missing');
  if (records.length > 0 && !columns.has('email') && !columns.has('address'))
    header.push('header: give a column "email" or "address" (or both)');
  if (header.length > 0) return { ok: false, errors: header };
  if (records.length === 0)
    return {
      ok: false,
      errors: ['the file has no rows: give a header (name,email,address,language) and one row per person'],
    };

  const rows: RecipientRow[] = [];
  const errors: string[] = [];
  let more = 0;
  records.forEach((record, index) => {
    const result = recipientRowSchema.safeParse(record);
    if (result.success) {
      const { name, email, address, language } = result.data;
      rows.push({
        name,
        language,
        ...(email !== undefined ? { email } : {}),
        ...(address !== undefined ? { address } : {}),
      });
      return;
    }
    for (const issue of result.error.issues) {
      const column = issue.path.map(String).join('.');
      if (errors.length < MAX_REPORTED_ERRORS)
        errors.push(`row ${index + 2}: ${column ? `${column}: ` : ''}${issue.message}`);
      else more += 1;
    }
  });
  if (more > 0) errors.push(`and ${more} more problem${more === 1 ? '' : 's'}`);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rows };
}
