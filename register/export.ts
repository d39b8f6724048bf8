import { stringify } from 'csv-stringify/sync';
import { BREACH_COLUMNS, ENDED_OUTSIDE_COLUMNS, registerStatusOf, type BreachRow } from '../domain/register';
import { spreadsheetSafe } from '../domain/csv';

/**
 * The register's CSV columns, one row per breach: the CLI's `register export` and the HTTP export write the same file.
 * `status` says in one word what the page says (open, ended-outside, closed); the ended_outside_* columns say how.
 */
export const REGISTER_CSV_COLUMNS = [
  'breach_id',
  ...BREACH_COLUMNS,
  'status',
  ...ENDED_OUTSIDE_COLUMNS,
  'updated_at',
] as const;

/**
 * The register as CSV. Free text (the signal's source, the summary, effects, remedial action, the authority's
 * reference) can never run as a spreadsheet formula (domain/csv.ts); lekdicht's own dates and numbers are as written.
 */
export function registerCsv(rows: readonly BreachRow[]): string {
  const withStatus = rows.map((row) => ({ ...row, status: registerStatusOf(row) }));
  return stringify(spreadsheetSafe(withStatus, REGISTER_CSV_COLUMNS), {
    header: true,
    columns: [...REGISTER_CSV_COLUMNS],
  });
}
