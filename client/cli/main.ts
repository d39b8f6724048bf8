import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import type { Client } from '@temporalio/client';
import { describeIssues, escapeUnprintable, InvalidInputError, parseOrThrow, printable } from '../../domain/errors';
import { factsAmendmentSchema, factsSchema } from '../../domain/facts';
import { breachSignalSchema } from '../../domain/signal';
import { assessSeverity, type SeverityAssessment } from '../../domain/severity';
import { bandInEnglish } from '../../domain/labels';
import {
  DEFAULT_PUBLIC_COMMUNICATION_THRESHOLD,
  suggestNotification,
  type NotificationSuggestion,
} from '../../domain/decision';
import { BreachRegister } from '../../register/store';
import { retentionCutoff } from '../../domain/register';
import { DatabaseConfigError, migrateAll, storeTarget } from '../../register/targets';
import { ConfigError, loadConfig } from '../../config/load';
import {
  amendBreachFacts,
  classifyIncident,
  completeTask,
  correctAwareness,
  getCase,
  listBreaches,
  recordNotification,
  reportBreach,
} from '../shared/breaches';
import { recordNotificationArgsSchema } from '../../domain/regimes/notifications';
import { correctAwarenessArgsSchema } from '../../domain/regimes/awareness';
import { classifyIncidentArgsSchema } from '../../domain/regimes/profile';
import { cliCommand, type CliIo } from './io';
import { recipientsCommand } from './recipients';
import { cliOperator, type ActAuthenticator } from '../shared/act-signing';
import { renderReport } from '../../domain/report';
import { apDraft, draftContext, renderApDraftMarkdown } from '../../domain/ap-draft';
import { connectClient } from '../shared/connection';
import { endpointFromEnv } from '../../config/temporal';
import { formatCase } from './format';
import { registerCsv } from '../../register/export';
import { userCommand } from './users';

/** Exit codes: 0 done, 1 failed (e.g. server unreachable), 2 bad input (the message names the field). */
const BAD_INPUT = 2;

function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InvalidInputError(
      `${what}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  return parseJson(text, what);
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    // JSON.parse quotes the text it choked on: shown escaped and short, so a file cannot write to the terminal.
    throw new InvalidInputError(`${what}: not valid JSON: ${printable((err as Error).message)}`);
  }
}

function formatAssessment(severity: SeverityAssessment, suggestion: NotificationSuggestion): string {
  const yesNo = (b: boolean) => (b ? 'yes' : 'no');
  const dataSubjects = suggestion.notifyDataSubjects
    ? suggestion.publicCommunication
      ? 'yes, by public communication'
      : 'yes'
    : 'no';
  return [
    `Severity ${severity.score} — ${bandInEnglish(severity.band)} (ENISA 2013: SE = DPC × EI + CB = ${severity.dpc.value} × ${severity.ei.value} + ${severity.cb.value})`,
    `  DPC ${severity.dpc.value}: ${severity.dpc.reason}`,
    `  EI ${severity.ei.value}: ${severity.ei.reason}`,
    `  CB ${severity.cb.value}:`,
    ...severity.cb.parts.map((p) => `    ${p.factor} +${p.value}: ${p.reason}`),
    'Weighed afterwards, outside the score:',
    ...severity.weighedAfter.map((w) => `  - ${w}`),
    'Suggestion (the FG decides):',
    `  notify the authority (AP): ${yesNo(suggestion.notifyAuthority)}`,
    `  inform the people affected: ${dataSubjects}`,
    'Reasons:',
    ...suggestion.reasons.map((r) => `  - ${r}`),
  ].join('\n');
}

/** Words joined by ", " in lines of at most `width` characters, each line indented. */
function wrapList(words: readonly string[], indent: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const next = line === '' ? word : `${line}, ${word}`;
    if (indent.length + next.length + 1 > width && line !== '') {
      lines.push(`${indent}${line},`);
      line = word;
    } else line = next;
  }
  return [...lines, `${indent}${line}`].join('\n');
}

/** What a facts file may hold, from the schema itself, so the help never lags behind a new field. */
const FACTS_FIELDS_HELP = `
A facts file is a JSON object with any of these fields (README "Facts" says what each means; an amendment
replaces each field it names as a whole):
${wrapList(Object.keys(factsSchema.shape), '  ', 100)}
Example with the fields of facts v2: examples/facts/misdirected-mailing-v2.json, e.g.
  {"breachType": "lost-device", "startedAt": "2026-03-01T09:30:00+01:00", "recovery": "remote-wiped",
   "protection": {"encrypted": true, "keySafe": true, "strength": "state-of-the-art"},
   "outage": {"hours": 4, "consequences": ["care-delayed"]}, "peoplePerCategory": {"special": 2}}`;

export function buildCli(io: CliIo, env: NodeJS.ProcessEnv = process.env): Command {
  let client: Client | undefined;
  // The server, namespace, TLS and codec keys all come from `env`, never from this process's own environment.
  const connect = async () => (client ??= await connectClient(endpointFromEnv(env), { env }));
  const print = (value: unknown, json: boolean, human: () => string) =>
    io.out(json ? JSON.stringify(value, null, 2) : human());

  const program = cliCommand('lekdicht', 'Durable data-breach (datalek) playbooks on Temporal', io);

  program
    .command('signal')
    .description('report a possible breach from a signal file; starts a breach or joins the one for the same event')
    .requiredOption('--file <path>', 'signal as JSON (see examples/)')
    .option('--json', 'print JSON')
    .action(async (opts: { file: string; json?: boolean }) => {
      // Validated before anything else, so a bad file is named as such even when the server is down.
      const signal = parseOrThrow(breachSignalSchema, readJsonFile(opts.file, '--file'), 'signal');
      const config = loadConfig(env);
      const result = await reportBreach(await connect(), signal, config.taskQueue);
      if (result.alreadyClosed)
        io.err(`breach ${result.breachId} for this event is already closed; the report was not added`);
      if (opts.json) io.out(JSON.stringify(result));
      // Scripts take the breach id from the last line of stdout.
      io.out(result.breachId);
    });

  program
    .command('list')
    .description('list breaches with their phase and notification deadline')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const breaches = await listBreaches(await connect());
      print(breaches, opts.json ?? false, () =>
        breaches.length === 0
          ? 'no breaches'
          : breaches
              .map(
                (b) =>
                  `${b.breachId}  ${b.status.padEnd(10)} ${(b.phase ?? '-').padEnd(14)} deadline ${b.notificationDeadline ?? '-'}`,
              )
              .join('\n'),
      );
    });

  program
    .command('show')
    .description('show the case: phase, facts, tasks, deadlines, timeline')
    .argument('<breachId>')
    .option('--json', 'print the case view as JSON')
    .action(async (breachId: string, opts: { json?: boolean }) => {
      const view = await getCase(await connect(), breachId);
      print(view, opts.json ?? false, () => formatCase(view));
    });

  const task = program.command('task').description('work on tasks');
  task
    .command('complete')
    .description('complete a task with an answer (validated by the workflow)')
    .argument('<breachId>')
    .argument('<taskId>')
    .requiredOption('--as <email>', "who completes it; must hold the task's role")
    .addOption(new Option('--answer <json>', 'the answer as JSON').conflicts('answerFile'))
    .option('--answer-file <path>', 'the answer in a JSON file')
    .option('--json', 'print the task as JSON')
    .action(
      async (
        breachId: string,
        taskId: string,
        opts: { as: string; answer?: string; answerFile?: string; json?: boolean },
      ) => {
        if (opts.answer === undefined && opts.answerFile === undefined)
          throw new InvalidInputError('--answer: give --answer JSON or --answer-file FILE');
        const answer =
          opts.answer !== undefined
            ? parseJson(opts.answer, '--answer')
            : readJsonFile(opts.answerFile!, '--answer-file');
        // An operator act: whoever runs the CLI holds the payload keys and can type any --as (docs/security.md).
        const done = await completeTask(await connect(), breachId, taskId, opts.as, answer, cliOperator());
        print(done, opts.json ?? false, () => `task ${done.id} ${done.status}`);
      },
    );

  program
    .command('db')
    .description('the database of the register, sessions and intake (SQLite files or PostgreSQL)')
    .command('migrate')
    .description('bring the register, auth and intake stores to this version (start-up does it too)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) => {
      const reports = await migrateAll(loadConfig(env), env);
      if (opts.json) return io.out(JSON.stringify(reports));
      for (const r of reports)
        io.out(`${r.store} (${r.where}): ${r.applied.length === 0 ? 'up to date' : `applied ${r.applied.join(', ')}`}`);
    });

  const register = program.command('register').description('the breach register (art. 33(5) GDPR)');
  register
    .command('export')
    .description('export the register: one row per breach (csv), or breaches with their events (json)')
    .addOption(new Option('--format <format>', 'csv or json').choices(['csv', 'json']).default('csv'))
    .action(async (opts: { format: 'csv' | 'json' }) => {
      const config = loadConfig(env);
      const store = await BreachRegister.open(storeTarget(config, 'register', env));
      try {
        const breaches = await store.breaches();
        if (opts.format === 'json') {
          const withEvents = [];
          // Each breach with its timeline and the lasting record's child rows: the register without Temporal.
          for (const b of breaches) {
            const { breach, ...rest } = (await store.dossier(b.breach_id))!;
            withEvents.push({ ...breach, ...rest });
          }
          io.out(JSON.stringify(withEvents, null, 2));
        } else {
          io.out(registerCsv(breaches).trimEnd());
        }
      } finally {
        await store.close();
      }
    });

  register
    .command('purge')
    .description(
      'delete the breaches closed longer ago than register.retentionYears, with all their rows; lists them unless --yes',
    )
    .option('--yes', 'delete them (without it, only list what would go)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { yes?: boolean; json?: boolean }) => {
      const config = loadConfig(env);
      const years = config.register.retentionYears;
      if (years === undefined)
        throw new InvalidInputError(
          'register.retentionYears: not set, so the register keeps every breach; set it in the configuration to purge',
        );
      const cutoff = retentionCutoff(new Date(), years);
      const store = await BreachRegister.open(storeTarget(config, 'register', env));
      try {
        const going = opts.yes ? await store.purgeClosedBefore(cutoff, years) : await store.purgeable(cutoff);
        const result = { retentionYears: years, closedBefore: cutoff, purged: opts.yes === true, breaches: going };
        print(result, opts.json ?? false, () =>
          [
            `${going.length} breach(es) closed before ${cutoff} (retention ${years} year(s)) ${opts.yes ? 'purged' : 'would be purged'}${going.length > 0 ? ':' : ''}`,
            ...going.map((b) => `  ${b.breach_id} closed ${b.closed_at}`),
            ...(opts.yes || going.length === 0 ? [] : ['Nothing was deleted: run again with --yes to delete them.']),
          ].join('\n'),
        );
      } finally {
        await store.close();
      }
    });

  program
    .command('assess')
    .description('suggest severity (ENISA 2013) and notification (art. 33/34 GDPR) from a facts file; needs no server')
    .requiredOption('--file <path>', 'the facts as JSON (see examples/facts/)')
    .addHelpText('after', FACTS_FIELDS_HELP)
    .option(
      '--public-threshold <people>',
      'above this many people, suggest a public communication (art. 34(3)(c))',
      String(DEFAULT_PUBLIC_COMMUNICATION_THRESHOLD),
    )
    .option('--json', 'print JSON')
    .action((opts: { file: string; publicThreshold: string; json?: boolean }) => {
      const threshold = Number(opts.publicThreshold);
      if (!/^\d+$/.test(opts.publicThreshold) || !Number.isSafeInteger(threshold)) {
        throw new InvalidInputError(`--public-threshold: "${opts.publicThreshold}" is not a whole number of people`);
      }
      const facts = parseOrThrow(factsSchema, readJsonFile(opts.file, '--file'), 'facts');
      const severity = assessSeverity(facts);
      const suggestion = suggestNotification(facts, severity, { publicCommunicationThreshold: threshold });
      const result = {
        severity: severity.score,
        band: severity.band,
        notifyAuthority: suggestion.notifyAuthority,
        notifyDataSubjects: suggestion.notifyDataSubjects,
        publicCommunication: suggestion.publicCommunication,
        reasons: suggestion.reasons,
        factors: { dpc: severity.dpc, ei: severity.ei, cb: severity.cb, weighedAfter: severity.weighedAfter },
      };
      print(result, opts.json ?? false, () => formatAssessment(severity, suggestion));
    });

  const facts = program.command('facts').description('the facts of a breach');
  facts
    .command('amend')
    .description('change facts (breach team); the severity and the suggestion are recomputed')
    .argument('<breachId>')
    .requiredOption('--as <email>', 'who changes them: FG, CISO or process owner')
    .requiredOption('--file <path>', 'the facts to change, as JSON (any fields of examples/facts/)')
    .option('--json', 'print the facts as JSON')
    .addHelpText('after', FACTS_FIELDS_HELP)
    .action(async (breachId: string, opts: { as: string; file: string; json?: boolean }) => {
      // Checked here as the workflow checks it (same messages), so a bad file is named even when the server is down.
      const amendment = readJsonFile(opts.file, '--file');
      const checked = factsAmendmentSchema.safeParse(amendment);
      if (!checked.success) throw new InvalidInputError(describeIssues(checked.error, 'amendment'));
      const amended = await amendBreachFacts(await connect(), breachId, opts.as, amendment, cliOperator());
      print(amended, opts.json ?? false, () => `facts of ${breachId} amended`);
    });

  program
    .command('report')
    .description('the closing report of a breach as Markdown')
    .argument('<breachId>')
    .action(async (breachId: string) => {
      io.out(renderReport(await getCase(await connect(), breachId)));
    });

  program
    .command('notification-draft')
    .description("a draft of the AP's notification form (meldformulier), in Dutch, filled from the case")
    .argument('<breachId>')
    .addOption(new Option('--format <format>', 'md or json').choices(['md', 'json']).default('md'))
    .action(async (breachId: string, opts: { format: 'md' | 'json' }) => {
      const config = loadConfig(env);
      const context = draftContext(config.organisation.name, config.directory);
      const view = await getCase(await connect(), breachId);
      io.out(
        opts.format === 'json' ? JSON.stringify(apDraft(view, context), null, 2) : renderApDraftMarkdown(view, context),
      );
    });

  const notification = program
    .command('notification')
    .description(
      'the notification playbook: classify the incident (NIS2/DORA), correct awareness, record notifications',
    );
  const playbookCommands = [
    [
      'classify',
      'classify the incident: {"nis2Significant": true, "doraMajor": true, "doraMajorClassifiedAt": "…"}',
      classifyIncidentArgsSchema,
      classifyIncident,
    ],
    [
      'correct-awareness',
      'correct the moment of awareness: {"awareAt": "…", "reason": "…"}; every deadline moves',
      correctAwarenessArgsSchema,
      correctAwareness,
    ],
    [
      'record',
      'record a notification to an authority: {"regime": "gdpr", "phase": "initial", "at": "…", "reference": "…"}',
      recordNotificationArgsSchema,
      recordNotification,
    ],
  ] as const;
  for (const [name, description, schema, call] of playbookCommands) {
    notification
      .command(name)
      .description(description)
      .argument('<breachId>')
      .requiredOption('--as <email>', 'who does it (FG; classification also the CISO)')
      .requiredOption('--file <path>', 'the details as JSON')
      .option('--json', 'print the result as JSON')
      .action(async (breachId: string, opts: { as: string; file: string; json?: boolean }) => {
        const body = readJsonFile(opts.file, '--file');
        const args = parseOrThrow(schema, { ...(body as object), actor: opts.as }, name);
        const result: unknown = await (
          call as (c: Client, id: string, a: typeof args, auth: ActAuthenticator) => Promise<unknown>
        )(await connect(), breachId, args, cliOperator());
        print(result, opts.json ?? false, () => `${name}: done for ${breachId}`);
      });
  }

  program.addCommand(recipientsCommand(connect, env, io));
  program.addCommand(userCommand(env, io));

  return program;
}

/** Runs the CLI; returns the exit code. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const io = {
    out: (s: string) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`),
    err: (s: string) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`),
  };
  const program = buildCli(io, env);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : BAD_INPUT;
    // Messages can quote what was given (an id, a path, a value): one printable line each, whatever it held.
    if (err instanceof InvalidInputError || err instanceof ConfigError || err instanceof DatabaseConfigError) {
      io.err(`lekdicht: ${escapeUnprintable(err.message)}`);
      return BAD_INPUT;
    }
    io.err(`lekdicht: ${escapeUnprintable((err as Error).message)}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  process.exitCode = await runCli(process.argv.slice(2));
  process.exit();
}
