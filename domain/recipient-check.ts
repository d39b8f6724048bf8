import { isTestAddress } from './practice';
import { RECIPIENT_COLUMNS, recipientRowSchema, type RecipientRow } from './recipients';

/** What is wrong with a file or one of its rows, as a kind a page puts into its own words. */
export type RecipientProblem =
  | 'not-csv'
  | 'empty'
  | 'unknown-columns'
  | 'no-name-column'
  | 'no-contact-column'
  | 'name-required'
  | 'name-too-long'
  | 'email'
  | 'address-too-long'
  | 'language'
  | 'contact'
  // practice mode (domain/practice.ts): a letter may reach only a test address, never a real person
  | 'practice-real-address'
  | 'practice-postal';

export interface CheckedRow {
  /** The row number a spreadsheet shows: the header is row 1. */
  row: number;
  record: Record<string, string>;
  problems: RecipientProblem[];
}

export interface CheckedRecipients {
  /** Problems of the file as a whole (not CSV, no rows, wrong columns): then there are no rows to show. */
  fileProblems: { problem: RecipientProblem; columns?: string[] }[];
  rows: CheckedRow[];
  /** Every row, valid: only when nothing at all is wrong. */
  recipients?: RecipientRow[];
}

function problemOf(column: string, code: string): RecipientProblem {
  switch (column) {
    case 'name':
      return code === 'too_big' ? 'name-too-long' : 'name-required';
    case 'email':
      return 'email';
    case 'address':
      return 'address-too-long';
    case 'language':
      return 'language';
    default:
      return 'contact';
  }
}

/**
 * Checks every row by the register's recipient rules (domain/recipients.ts) and keeps each row's problems with
 * it, so a page can show the whole file with its errors before anything is stored. In practice mode a row whose
 * letter could reach a real person (a real domain, or post) is refused too, as the CLI's upload refuses it.
 */
export function checkRecipientRecords(
  records: readonly Record<string, string>[],
  options: { practice?: boolean } = {},
): CheckedRecipients {
  const columns = new Set(records.flatMap((r) => Object.keys(r)));
  const unknown = [...columns].filter((c) => !(RECIPIENT_COLUMNS as readonly string[]).includes(c));
  const fileProblems: CheckedRecipients['fileProblems'] = [];
  if (unknown.length > 0) fileProblems.push({ problem: 'unknown-columns', columns: unknown });
  if (records.length > 0 && !columns.has('name')) fileProblems.push({ problem: 'no-name-column' });
  if (records.length > 0 && !columns.has('email') && !columns.has('address'))
    fileProblems.push({ problem: 'no-contact-column' });
  if (records.length === 0) fileProblems.push({ problem: 'empty' });
  if (fileProblems.length > 0) return { fileProblems, rows: [] };

  const recipients: RecipientRow[] = [];
  const rows = records.map((record, index): CheckedRow => {
    const result = recipientRowSchema.safeParse(record);
    if (result.success) {
      const { name, email, address, language } = result.data;
      if (options.practice) {
        if (email === undefined) return { row: index + 2, record, problems: ['practice-postal'] };
        if (!isTestAddress(email)) return { row: index + 2, record, problems: ['practice-real-address'] };
      }
      recipients.push({
        name,
        language,
        ...(email !== undefined ? { email } : {}),
        ...(address !== undefined ? { address } : {}),
      });
      return { row: index + 2, record, problems: [] };
    }
    const problems = [
      ...new Set(result.error.issues.map((issue) => problemOf(String(issue.path[0] ?? ''), issue.code))),
    ];
    return { row: index + 2, record, problems };
  });
  const ok = rows.every((r) => r.problems.length === 0);
  return { fileProblems, rows, ...(ok ? { recipients } : {}) };
}
