import { stripBidiControls } from './bidi';

/**
 * CSV files that people open in a spreadsheet (the register export, the letters for a mail merge): one rule, in
 * one place, so that no cell of text that came from outside runs as a formula ("CSV injection"). The quoting
 * itself is csv-stringify's, in the code that writes the file.
 */

/**
 * What a spreadsheet reads as the start of a formula: =, +, -, @ (and their full-width forms ＝＋－＠, which some
 * spreadsheets fold to the ASCII ones on input), also after leading whitespace or line breaks, which Excel and
 * LibreOffice skip before they look; and a cell that starts with a tab or a carriage return, which some import
 * dialogs treat as a field separator before a formula.
 */
const FORMULA_START = /^(?:[\t\r]|[\s\u200B-\u200D\u2060\uFEFF]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/u;

/**
 * A cell a spreadsheet would read as a formula gets a leading apostrophe, which Excel and LibreOffice show as text
 * and do not print. Bidirectional controls (domain/bidi.ts) are removed first, so none can hide what the cell
 * starts with or make it read reversed. Other text is kept as written.
 */
export function neutraliseFormula(value: string): string {
  const text = stripBidiControls(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * The records with every text cell of `columns` neutralised; numbers, null and undefined stay as they are (a
 * number is written as digits by the CSV writer, never as a formula). Text lekdicht writes itself (ids, phases,
 * ISO dates) never starts like a formula, so only text from people or other systems ever changes.
 */
export function spreadsheetSafe<C extends string>(
  records: readonly Readonly<Partial<Record<C, unknown>>>[],
  columns: readonly C[],
): Record<C, unknown>[] {
  return records.map(
    (record) =>
      Object.fromEntries(
        columns.map((c) => [c, typeof record[c] === 'string' ? neutraliseFormula(record[c]) : record[c]]),
      ) as Record<C, unknown>,
  );
}
