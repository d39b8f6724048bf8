import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import type { Client } from '@temporalio/client';
import { InvalidInputError } from '../../domain/errors';
import { cliOperator } from '../shared/act-signing';
import { spreadsheetSafe } from '../../domain/csv';
import { parseRecipientRows, RECIPIENT_COLUMNS, type RecipientRow } from '../../domain/recipients';
import { BreachRegister } from '../../register/store';
import { storeTarget } from '../../register/targets';
import type { RecipientStatus } from '../../domain/register';
import { renderDataSubjectLetter } from '../../domain/letters';
import { loadConfig } from '../../config/load';
import { practiceRefusals } from '../../domain/practice';
import { completeTask, getCase, getDataSubjectLetter } from '../shared/breaches';
import { cliCommand, type CliIo } from './io';
import { csvRecords } from '../shared/recipients-csv';

/**
 * Reads a CSV file of the people affected (header: name,email,address,language). Comma-separated, or
 * semicolon-separated as a Dutch spreadsheet saves it; an optional byte-order mark is skipped.
 */
export function readRecipientsCsv(text: string, what = '--file'): RecipientRow[] {
  const read = csvRecords(text);
  if (!read.ok) throw new InvalidInputError(`${what}: not a valid CSV file: ${read.why}`);
  const parsed = parseRecipientRows(read.records);
  if (!parsed.ok) throw new InvalidInputError(`${what}: ${parsed.errors.join('; ')} (nothing was stored)`);
  return parsed.rows;
}

export const EXPORT_COLUMNS = [
  'seq',
  'name',
  'email',
  'address',
  'language',
  'status',
  'sent_at',
  'error',
  'subject',
  'letter',
] as const;

/** The export as CSV text: the people's own text (name, address, the letter) can never run as a formula (domain/csv.ts). */
export function recipientsExportCsv(
  records: readonly Record<(typeof EXPORT_COLUMNS)[number], string | number>[],
): string {
  return stringify(spreadsheetSafe(records, EXPORT_COLUMNS), { header: true, columns: [...EXPORT_COLUMNS] });
}

/** Writes the whole file or nothing: a crash or a full disk half-way leaves no half-written list of people. */
function writeWhole(path: string, content: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, content, { mode: 0o600 });
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw new InvalidInputError(
      `--out: cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}

/**
 * `lekdicht recipients upload <breachId> --file people.csv --as <email>`: validates the whole file first
 * (a bad row stores nothing), stores the people in the register — never in the workflow — and completes the
 * breach's open `recipient-list` task, which starts the emails.
 */
export function recipientsCommand(connect: () => Promise<Client>, env: NodeJS.ProcessEnv, io: CliIo): Command {
  const recipients = cliCommand(
    'recipients',
    'the people affected by a breach, to be informed one by one (GDPR art. 34)',
    io,
  );

  recipients
    .command('upload')
    .description(
      `store the list of people to inform (CSV with the columns ${RECIPIENT_COLUMNS.join(',')}) and complete the recipient-list task`,
    )
    .argument('<breachId>')
    .requiredOption('--file <path>', 'CSV file: name, and email and/or postal address, language nl|en (default nl)')
    .requiredOption('--as <email>', 'who uploads it; must hold the communications role')
    .option('--json', 'print the result as JSON')
    .action(async (breachId: string, opts: { file: string; as: string; json?: boolean }) => {
      let text: string;
      try {
        text = readFileSync(opts.file, 'utf8');
      } catch (err) {
        throw new InvalidInputError(
          `--file: cannot read ${opts.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        );
      }
      const rows = readRecipientsCsv(text);
      const config = loadConfig(env);
      // In practice no letter may reach a real person: the whole file is refused before anything is stored.
      const refusals = config.practice ? practiceRefusals(rows, config.language) : [];
      if (refusals.length > 0)
        throw new InvalidInputError(
          `--file: ${refusals.join('; ')} (${config.language === 'nl' ? 'er is niets opgeslagen' : 'nothing was stored'})`,
        );

      const client = await connect();
      const view = await getCase(client, breachId);
      const task = view.tasks.find((t) => t.kind === 'recipient-list' && t.status === 'open');
      if (!task) {
        const open = view.tasks.filter((t) => t.status === 'open').map((t) => t.id);
        throw new InvalidInputError(
          `breachId: ${breachId} has no open recipient-list task (open tasks: ${open.join(', ') || 'none'}); nothing was stored`,
        );
      }

      const register = await BreachRegister.open(storeTarget(config, 'register', env));
      let added: number;
      let duplicates: number;
      let total: number;
      try {
        ({ added, duplicates } = await register.addRecipients(breachId, rows));
        total = (await register.recipientCounts(breachId)).total;
      } finally {
        await register.close();
      }
      // Run again after a refused completion (e.g. the wrong --as), every row is already there: report the list.
      const uploaded = added > 0 ? added : total;
      await completeTask(client, breachId, task.id, opts.as, { uploaded }, cliOperator());
      const result = { breachId, taskId: task.id, added, duplicates, total };
      io.out(opts.json ? JSON.stringify(result) : `${added} recipients stored (${duplicates} duplicates skipped)`);
    });

  const statuses = ['to-print', 'failed', 'pending', 'sent', 'all'] as const;
  recipients
    .command('export')
    .description(
      'the people of a breach with their personal letter, as CSV for a mail merge: by default those to reach by post',
    )
    .argument('<breachId>')
    .option(
      '--status <status>',
      `which people: ${statuses.join(' | ')} (to-print: only a postal address; failed: the email bounced for good)`,
      'to-print',
    )
    .requiredOption(
      '--out <path>',
      'CSV file to write (it holds names and addresses: keep it where personal data may be)',
    )
    .option('--json', 'print the result as JSON')
    .action(async (breachId: string, opts: { status: string; out: string; json?: boolean }) => {
      if (!(statuses as readonly string[]).includes(opts.status))
        throw new InvalidInputError(`--status: must be one of ${statuses.join(', ')}, not "${opts.status}"`);
      const letter = await getDataSubjectLetter(await connect(), breachId);
      const register = await BreachRegister.open(storeTarget(loadConfig(env), 'register', env));
      let rows;
      try {
        rows = await register.recipients(
          breachId,
          opts.status === 'all' ? undefined : (opts.status as RecipientStatus),
        );
      } finally {
        await register.close();
      }
      const records = rows.map((r) => {
        const rendered = renderDataSubjectLetter(letter, r.language, r.name);
        return {
          seq: r.seq,
          name: r.name,
          email: r.email ?? '',
          address: r.address ?? '',
          language: r.language,
          status: r.status,
          sent_at: r.sent_at ?? '',
          error: r.error ?? '',
          subject: rendered.subject,
          letter: rendered.text,
        };
      });
      writeWhole(opts.out, recipientsExportCsv(records));
      const result = { breachId, status: opts.status, exported: records.length, out: opts.out };
      io.out(opts.json ? JSON.stringify(result) : `${records.length} letter(s) written to ${opts.out}`);
    });

  return recipients;
}
