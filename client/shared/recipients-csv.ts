import { CsvError, parse } from 'csv-parse/sync';
import { checkRecipientRecords, type CheckedRecipients } from '../../domain/recipient-check';

/**
 * A CSV file of the people affected (header: name,email,address,language), read as a Dutch spreadsheet saves
 * it too (semicolons) and with an optional byte-order mark: the records keyed by the lower-cased header, or
 * the parser's complaint. Shared by `lekdicht recipients upload` and the web upload.
 */
export function csvRecords(text: string): { ok: true; records: Record<string, string>[] } | { ok: false; why: string } {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  try {
    const records = parse(text, {
      bom: true,
      delimiter,
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
    }) as Record<string, string>[];
    return { ok: true, records };
  } catch (err) {
    if (err instanceof CsvError) return { ok: false, why: err.message };
    throw err;
  }
}

/** The file's rows, each checked, or the file's own problem when it is no CSV at all. */
export function checkRecipientsCsv(text: string, options: { practice?: boolean } = {}): CheckedRecipients {
  const parsed = csvRecords(text);
  if (!parsed.ok) return { fileProblems: [{ problem: 'not-csv' }], rows: [] };
  return checkRecipientRecords(parsed.records, options);
}
