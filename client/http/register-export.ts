import { stringify } from 'csv-stringify/sync';
import { BREACH_COLUMNS, type BreachRow } from '../../activities/register';

/** The register's CSV columns, one row per breach: the CLI's `register export` and the HTTP export write the same file. */
export const REGISTER_CSV_COLUMNS = ['breach_id', ...BREACH_COLUMNS, 'updated_at'] as const satisfies readonly (keyof BreachRow)[];

export function registerCsv(rows: readonly BreachRow[]): string {
  return stringify(rows as BreachRow[], { header: true, columns: [...REGISTER_CSV_COLUMNS] });
}
