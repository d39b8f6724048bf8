import { stringify } from 'csv-stringify/sync';
import { BREACH_COLUMNS, ENDED_OUTSIDE_COLUMNS, registerStatusOf, type BreachRow } from '../domain/register';
import { spreadsheetSafe } from '../domain/csv';
import { PHASE_LABELS } from '../domain/labels';
import type { Language, Wording } from '../domain/language';

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

type Column = (typeof REGISTER_CSV_COLUMNS)[number];

/** The columns as a person reads them in a spreadsheet (the web page's download); instants stay UTC ISO 8601. */
export const REGISTER_CSV_HEADERS: Record<Column, Wording> = {
  breach_id: { nl: 'Datalek', en: 'Breach' },
  source: { nl: 'Bron van het signaal', en: 'Source of the signal' },
  opened_at: { nl: 'Geopend (UTC)', en: 'Opened (UTC)' },
  phase: { nl: 'Fase', en: 'Phase' },
  outcome: { nl: 'Uitkomst', en: 'Outcome' },
  aware_at: { nl: 'Bekend sinds (UTC)', en: 'Aware since (UTC)' },
  notification_deadline: { nl: 'Meldtermijn AP (UTC)', en: 'Authority notification deadline (UTC)' },
  notification_late: { nl: 'Te laat gemeld', en: 'Notified late' },
  authority_notified_at: { nl: 'Gemeld bij de AP (UTC)', en: 'Authority notified (UTC)' },
  authority_reference: { nl: 'Meldnummer AP', en: 'Authority reference' },
  data_subjects_notified_at: { nl: 'Betrokkenen geïnformeerd (UTC)', en: 'Data subjects informed (UTC)' },
  facts_summary: { nl: 'Feiten', en: 'Facts' },
  effects: { nl: 'Gevolgen', en: 'Effects' },
  remedial_action: { nl: 'Genomen maatregelen', en: 'Remedial action' },
  closed_at: { nl: 'Gesloten (UTC)', en: 'Closed (UTC)' },
  status: { nl: 'Status', en: 'Status' },
  ended_outside_at: { nl: 'Buiten lekdicht beëindigd (UTC)', en: 'Ended outside lekdicht (UTC)' },
  ended_outside_status: { nl: 'Beëindigd als', en: 'Ended as' },
  ended_outside_run: { nl: 'Beëindigde run', en: 'Ended run' },
  ended_outside_cause: { nl: 'Oorzaak van het beëindigen', en: 'Cause of the ending' },
  updated_at: { nl: 'Bijgewerkt (UTC)', en: 'Updated (UTC)' },
};

const VALUE_WORDS: Record<string, Wording> = {
  open: { nl: 'open', en: 'open' },
  closed: { nl: 'gesloten', en: 'closed' },
  'ended-outside': { nl: 'buiten lekdicht beëindigd', en: 'ended outside lekdicht' },
  breach: { nl: 'datalek', en: 'breach' },
  'security-incident': { nl: 'beveiligingsincident', en: 'security incident' },
};

/**
 * The register as a person's spreadsheet: headers, phase, outcome, status and yes/no in the reader's language.
 * The same rows and the same spreadsheet safety as `registerCsv`, which keeps the machine column names.
 */
export function registerCsvFor(rows: readonly BreachRow[], lang: Language): string {
  const word = (value: unknown) => (typeof value === 'string' ? (VALUE_WORDS[value]?.[lang] ?? value) : value);
  const yesNo = (value: unknown) =>
    value === null || value === undefined
      ? value
      : value
        ? lang === 'nl'
          ? 'ja'
          : 'yes'
        : lang === 'nl'
          ? 'nee'
          : 'no';
  const readable = rows.map((row) => ({
    ...row,
    status: word(registerStatusOf(row)),
    outcome: word(row.outcome),
    phase: row.phase
      ? ((PHASE_LABELS as Record<string, Wording | undefined>)[row.phase]?.[lang] ?? row.phase)
      : row.phase,
    notification_late: yesNo(row.notification_late),
  }));
  return stringify(spreadsheetSafe(readable, REGISTER_CSV_COLUMNS), {
    header: true,
    columns: REGISTER_CSV_COLUMNS.map((key) => ({ key, header: REGISTER_CSV_HEADERS[key][lang] })),
  });
}

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
