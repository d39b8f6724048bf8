import { stringify } from 'csv-stringify/sync';
import { BREACH_COLUMNS, type BreachRow } from '../../activities/register';
import { spreadsheetSafe } from '../../domain/csv';

/** The register's CSV columns, one row per breach: the CLI's `register export` and the HTTP export write the same file. */
export const REGISTER_CSV_COLUMNS = ['breach_id', ...BREACH_COLUMNS, 'updated_at'] as const satisfies readonly (keyof BreachRow)[];

/**
 * The register as CSV. Free text (the signal's source, the summary, effects, remedial action, the authority's
 * reference) can never run as a spreadsheet formula (domain/csv.ts); lekdicht's own dates and numbers are as written.
 */
export function registerCsv(rows: readonly BreachRow[]): string {
  return stringify(spreadsheetSafe(rows, REGISTER_CSV_COLUMNS), { header: true, columns: [...REGISTER_CSV_COLUMNS] });
}
