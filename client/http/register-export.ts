import { stringify } from 'csv-stringify/sync';
import type { BreachRow } from '../../activities/register';

/** The register's CSV columns, one row per breach: the CLI's `register export` and the HTTP export write the same file. */
export const REGISTER_CSV_COLUMNS = [
  'breach_id',
  'source',
  'opened_at',
  'phase',
  'outcome',
  'aware_at',
  'notification_deadline',
  'notification_late',
  'authority_notified_at',
  'authority_reference',
  'data_subjects_notified_at',
  'facts_summary',
  'effects',
  'remedial_action',
  'closed_at',
  'updated_at',
] as const satisfies readonly (keyof BreachRow)[];

export function registerCsv(rows: readonly BreachRow[]): string {
  return stringify(rows as BreachRow[], { header: true, columns: [...REGISTER_CSV_COLUMNS] });
}
