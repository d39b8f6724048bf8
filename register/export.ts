import { stringify } from 'csv-stringify/sync';
import { BREACH_COLUMNS, ENDED_OUTSIDE_COLUMNS, registerStatusOf, type BreachRecordRow } from '../domain/register';
import type { SeverityBand } from '../domain/severity';
import { spreadsheetSafe } from '../domain/csv';
import { BAND_LABELS, PHASE_LABELS } from '../domain/labels';
import type { Language, Wording } from '../domain/language';

/** The lasting record's columns in the CSV (its child rows are in the JSON export and on the record page). */
const LASTING_CSV_COLUMNS = [
  'breach_type',
  'breach_started_at',
  'breach_ended_at',
  'cause',
  'data_categories',
  'subject_kinds',
  'vulnerable_subjects',
  'approx_people',
  'approx_records',
  'cross_border',
  'severity_dpc',
  'severity_ei',
  'severity_cb',
  'risk_to_people',
  // notify_authority and notify_data_subjects are breach columns (BREACH_COLUMNS): written with the decision.
  'contained_at',
  'aftercare_contact',
  'lessons_learned',
] as const;

/**
 * The register's CSV columns, one row per breach: the CLI's `register export` and the HTTP export write the same file.
 * `status` says in one word what the page says (open, ended-outside, closed); the ended_outside_* columns say how.
 */
export const REGISTER_CSV_COLUMNS = [
  'breach_id',
  ...BREACH_COLUMNS,
  ...LASTING_CSV_COLUMNS,
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
  severity_score: { nl: 'Ernstscore (ENISA)', en: 'Severity score (ENISA)' },
  severity_band: { nl: 'Ernst', en: 'Severity' },
  breach_type: { nl: 'Soort datalek', en: 'Type of breach' },
  breach_started_at: { nl: 'Begonnen (UTC)', en: 'Began (UTC)' },
  breach_ended_at: { nl: 'Geëindigd (UTC)', en: 'Ended (UTC)' },
  cause: { nl: 'Oorzaak', en: 'Cause' },
  data_categories: { nl: 'Soorten gegevens', en: 'Categories of data' },
  subject_kinds: { nl: 'Soorten betrokkenen', en: 'Kinds of people' },
  vulnerable_subjects: { nl: 'Kwetsbare betrokkenen', en: 'Vulnerable people' },
  approx_people: { nl: 'Aantal betrokkenen (ongeveer)', en: 'People (approx.)' },
  approx_records: { nl: 'Aantal records (ongeveer)', en: 'Records (approx.)' },
  cross_border: { nl: 'Grensoverschrijdend', en: 'Cross-border' },
  severity_dpc: { nl: 'Context van de verwerking (DPC)', en: 'Data processing context (DPC)' },
  severity_ei: { nl: 'Identificeerbaarheid (EI)', en: 'Ease of identification (EI)' },
  severity_cb: { nl: 'Omstandigheden (CB)', en: 'Circumstances of the breach (CB)' },
  risk_to_people: { nl: 'Risico voor betrokkenen', en: 'Risk to people' },
  notify_authority: { nl: 'Besluit: melden bij de AP', en: 'Decision: notify the authority' },
  notify_data_subjects: { nl: 'Besluit: betrokkenen informeren', en: 'Decision: inform the people' },
  contained_at: { nl: 'Ingedamd (UTC)', en: 'Contained (UTC)' },
  aftercare_contact: { nl: 'Contactpunt nazorg', en: 'Aftercare contact point' },
  lessons_learned: { nl: 'Geleerde lessen', en: 'Lessons learned' },
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
export function registerCsvFor(rows: readonly BreachRecordRow[], lang: Language): string {
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
    vulnerable_subjects: yesNo(row.vulnerable_subjects),
    cross_border: yesNo(row.cross_border),
    notify_authority: yesNo(row.notify_authority),
    notify_data_subjects: yesNo(row.notify_data_subjects),
    severity_band: row.severity_band
      ? (BAND_LABELS[row.severity_band as SeverityBand]?.[lang] ?? row.severity_band)
      : row.severity_band,
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
export function registerCsv(rows: readonly BreachRecordRow[]): string {
  const withStatus = rows.map((row) => ({ ...row, status: registerStatusOf(row) }));
  return stringify(spreadsheetSafe(withStatus, REGISTER_CSV_COLUMNS), {
    header: true,
    columns: [...REGISTER_CSV_COLUMNS],
  });
}
