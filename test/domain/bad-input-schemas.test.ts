/**
 * Bad input, systematically (issue 5, item 5): property-based tests that mutate valid documents (the example
 * signals, every task's example answer, a facts amendment, the notification playbook's messages, a config file)
 * into invalid and hostile ones. Each must be refused with a message that names the field and the problem; hostile
 * but valid free text must be kept as written (rendering makes it safe, see bad-input-rendering.test.ts).
 * Pure: no server. fast-check prints the counterexample (and its seed) of a failing property.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify as toYaml } from 'yaml';
import { stringify as toCsv } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { breachSignalSchema } from '../../domain/signal';
import { answerSchemas, TASK_KINDS, type TaskKind } from '../../domain/tasks';
import { factsAmendmentSchema } from '../../domain/facts';
import { describeIssues, InvalidInputError, parseOrThrow } from '../../domain/errors';
import { recordNotificationArgsSchema } from '../../domain/regimes/notifications';
import { correctAwarenessArgsSchema } from '../../domain/regimes/awareness';
import { classifyIncidentArgsSchema } from '../../domain/regimes/profile';
import { MAX_ACTOR_LENGTH } from '../../domain/regimes/args';
import { configSchema } from '../../domain/config';
import { ConfigError, loadConfig } from '../../config/load';
import { readRecipientsCsv } from '../../client/cli/recipients';
import { directory } from '../support/people';
import {
  expectNamesField,
  hostileText,
  invalidMutations,
  isConstrainedString,
  nodes,
  schemaAt,
  withNode,
  type Json,
  type MutationOptions,
  type Path,
} from '../support/bad-input-arbitraries';

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Json;

/** The example answers of examples/answers/, by the task kind they answer. */
const EXAMPLE_ANSWERS: Record<TaskKind, string[]> = Object.fromEntries(
  TASK_KINDS.map((kind) => [kind, [] as string[]]),
) as unknown as Record<TaskKind, string[]>;
EXAMPLE_ANSWERS.triage.push('examples/answers/triage.json', 'examples/answers/triage-not-a-breach.json');
for (const kind of TASK_KINDS) if (kind !== 'triage') EXAMPLE_ANSWERS[kind].push(`examples/answers/${kind}.json`);

/** Every mutation is refused, naming the field it broke. */
function refusesNamingTheField(
  schema: z.ZodType,
  doc: Json,
  what: string,
  numRuns: number,
  options: MutationOptions = {},
) {
  expect(schema.safeParse(doc).error, `the ${what} example is valid to start with`).toBeUndefined();
  fc.assert(
    fc.property(invalidMutations(schema, doc, options), (mutation) => {
      let message = '';
      try {
        parseOrThrow(schema, mutation.value, what);
      } catch (err) {
        expect(err).toBeInstanceOf(InvalidInputError);
        message = (err as Error).message;
      }
      expect(message, `${mutation.kind} at ${JSON.stringify(mutation.path)} was accepted`).not.toBe('');
      expect(message.startsWith(`invalid ${what}: `)).toBe(true);
      expectNamesField(message, '', mutation.path);
    }),
    { numRuns },
  );
}

/** Free-text fields (not an enum, date or email) of a valid document, with their limit. */
function freeTextFields(schema: z.ZodType, doc: Json): Path[] {
  return nodes(doc)
    .filter((n) => typeof n.value === 'string' && n.path.length > 0 && !isConstrainedString(schemaAt(schema, n.path)))
    .map((n) => n.path);
}

/** Markup, control characters, lone surrogates in free text are data: accepted and kept exactly (trimmed), never mangled. */
function keepsHostileFreeText(
  schema: z.ZodType,
  doc: Json,
  numRuns: number,
  skip: (path: Path) => boolean = () => false,
) {
  const fields = freeTextFields(schema, doc).filter((p) => !skip(p));
  if (fields.length === 0) return;
  fc.assert(
    fc.property(
      fc.constantFrom(...fields),
      hostileText(4).filter((t) => t.trim().length > 0 && t.length <= 100),
      (path, text) => {
        const parsed = schema.safeParse(withNode(doc, path, () => text));
        expect(parsed.error && describeIssues(parsed.error)).toBeUndefined();
        let value: unknown = parsed.data;
        for (const key of path) value = (value as Record<string | number, unknown>)[key];
        // Fields that trim keep the text without its surrounding whitespace; the others keep it whole.
        expect([text, text.trim()]).toContain(value);
      },
    ),
    { numRuns },
  );
}

describe('the breach signal (signaal) refuses bad input, naming the field', () => {
  for (const file of ['examples/signal-dlp.json', 'examples/signal-form.json']) {
    it(`mutations of ${file}: missing, wrong type, unknown key, too long, not a date/email/source (300 runs)`, () => {
      refusesNamingTheField(breachSignalSchema, readJson(file), 'signal', 300);
    });
  }

  it('an event id with a control character or half a surrogate pair is refused: it is an id, not text', () => {
    const doc = readJson('examples/signal-dlp.json') as Record<string, Json>;
    const broken = fc.constantFrom('\u0000', '\u0007', '\u001b', '\n', '\r', '\u007f', '\u0085', '\ud800', '\udc00');
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), broken, fc.string({ maxLength: 20 }), (before, bad, after) => {
        const eventId = `A${before}${bad}${after}Z`;
        fc.pre(eventId.length <= 200);
        const result = breachSignalSchema.safeParse({ ...doc, eventId });
        expect(result.success).toBe(false);
        expect(describeIssues(result.error!)).toMatch(/^eventId: contains a control character/);
      }),
      { numRuns: 200 },
    );
  });

  it('markup, bidi overrides and control characters in the summary, details, reporter and systems are kept as written', () => {
    keepsHostileFreeText(
      breachSignalSchema,
      readJson('examples/signal-form.json'),
      200,
      (path) => path[0] === 'eventId' || path[0] === 'source',
    );
  });
});

describe('every task answer schema refuses bad input, naming the field', () => {
  it('has an example answer for every task kind', () => {
    for (const kind of TASK_KINDS) expect(EXAMPLE_ANSWERS[kind].length, kind).toBeGreaterThan(0);
  });

  for (const kind of TASK_KINDS) {
    for (const file of EXAMPLE_ANSWERS[kind]) {
      it(`${kind} (${file}): mutated answers are refused (150 runs)`, () => {
        refusesNamingTheField(answerSchemas[kind] as z.ZodType, readJson(file), 'answer', 150);
      });
      it(`${kind} (${file}): hostile free text is kept as written (50 runs)`, () => {
        keepsHostileFreeText(answerSchemas[kind] as z.ZodType, readJson(file), 50);
      });
    }
  }

  it('the cross-field rules name the field that is missing', () => {
    const triage = answerSchemas.triage.safeParse({ isPersonalDataBreach: true, reasoning: '<b>leak</b>' });
    expect(describeIssues(triage.error!, 'answer')).toBe(
      'answer.awareAt: is required for a personal-data breach: when did the organisation become aware?',
    );
    const containment = readJson('examples/answers/containment.json') as {
      measures: Record<string, { status: string; note?: string }>;
    };
    containment.measures['block-accounts'] = { status: 'not-applicable' };
    expect(describeIssues(answerSchemas.containment.safeParse(containment).error!, 'answer')).toBe(
      'answer.measures.block-accounts.note: is required when a measure is not applicable: say why',
    );
  });
});

describe('a facts amendment and the notification playbook messages refuse bad input, naming the field', () => {
  it('facts amendments mutated from the first picture (300 runs)', () => {
    refusesNamingTheField(
      factsAmendmentSchema,
      readJson('examples/facts/ransomware-exfiltration.json'),
      'amendment',
      300,
    );
  });

  const actor = 'fg@voorbeeld.nl';
  const messages: [string, z.ZodType, Json][] = [
    [
      'classify',
      classifyIncidentArgsSchema,
      { actor, nis2Significant: true, doraMajor: true, doraMajorClassifiedAt: '2026-11-28T09:30:00Z' },
    ],
    [
      'correct-awareness',
      correctAwarenessArgsSchema,
      { actor, awareAt: '2026-11-28T09:30:00Z', reason: 'The DLP log shows it an hour earlier.' },
    ],
    [
      'record',
      recordNotificationArgsSchema,
      { actor, regime: 'gdpr', phase: 'initial', at: '2026-11-28T09:30:00Z', reference: 'AP-2026-1' },
    ],
  ];
  for (const [name, schema, doc] of messages) {
    it(`notification ${name} (150 runs)`, () => refusesNamingTheField(schema, doc, name, 150));
  }

  it('an actor longer than an email address can be (254 characters, RFC 5321) is refused, naming the field', () => {
    for (const [name, schema, doc] of messages) {
      const atLimit = `${'a'.repeat(MAX_ACTOR_LENGTH - '@voorbeeld.nl'.length)}@voorbeeld.nl`;
      expect(schema.safeParse({ ...(doc as Record<string, Json>), actor: atLimit }).error, name).toBeUndefined();
      expect(() => parseOrThrow(schema, { ...(doc as Record<string, Json>), actor: `a${atLimit}` }, name)).toThrow(
        new InvalidInputError(`invalid ${name}: actor: is longer than 254 characters: the email of the person acting`),
      );
    }
  });
});

/** Config keys with an upper length limit (domain/config.ts, domain/roles.ts). */
const isBoundedConfigText = (path: Path) =>
  (path[0] === 'organisation' && path[1] === 'name') ||
  (path[0] === 'register' && path[1] === 'path') ||
  (path[0] === 'directory' && ['name', 'email', 'deputy'].includes(String(path[2])));

describe('the config file, as people write it (YAML or JSON), refuses mistakes naming the key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lekdicht-bad-config-'));
  const base: Json = JSON.parse(
    JSON.stringify({
      organisation: {
        name: 'Gemeente Voorbeeld',
        profile: {
          role: 'controller',
          nis2Entity: 'none',
          financialEntity: false,
          processorToControllerDue: '24h',
          dataSubjectTarget: '72h',
        },
      },
      language: 'nl',
      taskQueue: 'lekdicht',
      smtp: { host: '127.0.0.1', port: 1025, secure: false, from: 'lekdicht <datalek@voorbeeld.nl>' },
      register: { path: 'data/register.db' },
      http: {
        host: '127.0.0.1',
        port: 8080,
        trustProxy: false,
        temporalUiOrigins: ['http://127.0.0.1:8233'],
        codecOperators: [],
      },
      auth: { method: 'password', path: 'data/auth.db', sessionTtl: '8h', loginLinkTtl: '15m' },
      intake: {
        sources: { dlp: { secretEnv: 'LEKDICHT_INTAKE_DLP_SECRET' } },
        maxBodyBytes: 65_536,
        maxClockSkew: '5m',
      },
      timing: { triageDue: '4h', notificationReminders: ['24h', '48h'], aftercareFollowUps: ['14d', '90d'] },
      directory,
    }),
  ) as Json;
  let n = 0;
  const write = (doc: Json, format: 'yaml' | 'json') => {
    const path = join(dir, `config-${n++}.${format === 'yaml' ? 'yaml' : 'json'}`);
    writeFileSync(path, format === 'yaml' ? toYaml(doc) : JSON.stringify(doc, null, 2));
    return path;
  };

  it('the base config loads from YAML and JSON alike', () => {
    expect(loadConfig({}, write(base, 'yaml')).organisation.name).toBe('Gemeente Voorbeeld');
    expect(loadConfig({}, write(base, 'json')).smtp.port).toBe(1025);
  });

  it('mutated configs are refused with a ConfigError naming the key (200 runs)', () => {
    fc.assert(
      // Long texts only where a config bounds them: the organisation's name, the register's path, the directory's
      // names and emails (other keys, e.g. of the HTTP service, have no upper limit yet).
      fc.property(
        invalidMutations(configSchema, base, {
          hugeText: isBoundedConfigText,
        }),
        fc.constantFrom('yaml' as const, 'json' as const),
        (mutation, format) => {
          const path = write(mutation.value, format);
          let error: unknown;
          try {
            loadConfig({}, path);
          } catch (err) {
            error = err;
          }
          expect(error, `${mutation.kind} at ${JSON.stringify(mutation.path)} was accepted`).toBeInstanceOf(
            ConfigError,
          );
          const message = (error as Error).message;
          if (mutation.path.length === 0) {
            // A scalar or a list instead of a mapping.
            expect(message).toMatch(
              new RegExp(
                `^config ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: (must be a YAML mapping|\\(input\\))`,
              ),
            );
          } else {
            expectNamesField(message, '', mutation.path);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('over-long names, emails and paths are refused naming the key; at the limit they load', () => {
    const config = base as {
      organisation: { name: string };
      register: { path: string };
      directory: Record<string, Json>[];
    };
    const load = (doc: Json) => loadConfig({}, write(doc, 'yaml'));
    const refusal = (doc: Json) => {
      try {
        load(doc);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message;
      }
      throw new Error('expected a refusal, but the config loaded');
    };
    // Someone nobody has as their deputy, so that a changed email breaks nothing else.
    const free = config.directory.findIndex((p) => !config.directory.some((q) => q.deputy === p.email));
    const person = (changes: Record<string, Json>) => ({
      ...config,
      directory: config.directory.map((p, i) => (i === free ? { ...p, ...changes } : p)),
    });
    const longEmail = (n: number) => `${'a'.repeat(n - '@voorbeeld.nl'.length)}@voorbeeld.nl`;

    expect(
      load({ ...config, organisation: { ...config.organisation, name: 'x'.repeat(200) } }).organisation.name,
    ).toHaveLength(200);
    expect(refusal({ ...config, organisation: { ...config.organisation, name: 'x'.repeat(201) } })).toMatch(
      /: organisation\.name: is longer than 200 characters/,
    );
    expect(load({ ...config, register: { path: `/tmp/${'d'.repeat(4_091)}` } }).register.path).toHaveLength(4_096);
    expect(refusal({ ...config, register: { path: `/tmp/${'d'.repeat(4_092)}` } })).toMatch(
      /: register\.path: is longer than 4096 characters/,
    );
    expect(load(person({ name: 'n'.repeat(200) })).directory[free]!.name).toHaveLength(200);
    expect(refusal(person({ name: 'n'.repeat(201) }))).toMatch(
      new RegExp(`: directory\\.${free}\\.name: is longer than 200 characters`),
    );
    expect(load(person({ email: longEmail(254) })).directory[free]!.email).toHaveLength(254);
    expect(refusal(person({ email: longEmail(255) }))).toMatch(
      new RegExp(`: directory\\.${free}\\.email: is longer than 254 characters`),
    );
  });

  it('text that is not YAML at all is refused as such, never half-loaded', () => {
    fc.assert(
      fc.property(hostileText(20), (text) => {
        const path = join(dir, `garbage-${n++}.yaml`);
        writeFileSync(path, text);
        let error: unknown;
        try {
          loadConfig({}, path);
        } catch (err) {
          error = err;
        }
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as Error).message).toMatch(
          /^config .*: (not valid YAML|must be a YAML mapping|cannot be read|[a-z.]+: )/,
        );
      }),
      { numRuns: 200 },
    );
  });
});

describe('the list of people affected (recipients upload CSV) refuses a bad row by row and column, storing nothing', () => {
  const person = fc
    .record({
      name: hostileText(6).filter((t) => cellOf(t) !== undefined && Array.from(cellOf(t)!).length <= 200),
      email: fc.constantFrom('a@example.org', 'b.c@example.nl', ''),
      address: fc.constantFrom('Dorpsstraat 1, 1234 AB Voorbeeld', ''),
      language: fc.constantFrom('nl', 'en', 'NL', ''),
    })
    .filter((p) => p.email !== '' || p.address !== '');
  const corruption = fc.oneof(
    fc.constant(['email', 'niet-een-adres<'] as const),
    fc.constant(['language', 'de'] as const),
    fc.constant(['name', 'x'.repeat(201)] as const),
    fc.constant(['name', '   '] as const),
    fc.constant(['', ''] as const),
  );

  it('one corrupted row among valid ones is named by its spreadsheet row number and column (200 runs)', () => {
    fc.assert(
      fc.property(
        fc.array(person, { minLength: 1, maxLength: 8 }),
        fc.nat(),
        corruption,
        (people, at, [column, value]) => {
          const index = at % people.length;
          const rows = people.map((p) => ({ ...p }));
          if (column === '') Object.assign(rows[index]!, { email: '', address: '' });
          else Object.assign(rows[index]!, { [column]: value });
          let message = '';
          try {
            readRecipientsCsv(toCsv(rows, { header: true, columns: ['name', 'email', 'address', 'language'] }));
          } catch (err) {
            expect(err).toBeInstanceOf(InvalidInputError);
            message = (err as Error).message;
          }
          const named =
            column === '' ? `row ${index + 2}: give an email or a postal address` : `row ${index + 2}: ${column}: `;
          expect(message).toContain(named);
          expect(message).toMatch(/\(nothing was stored\)$/);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('hostile but valid names are kept as written (trimmed), whatever their characters (200 runs)', () => {
    fc.assert(
      fc.property(fc.array(person, { minLength: 1, maxLength: 8 }), (people) => {
        const rows = readRecipientsCsv(
          toCsv(people, { header: true, columns: ['name', 'email', 'address', 'language'] }),
        );
        // A file is UTF-8: half a surrogate pair cannot be in it and reads as U+FFFD.
        expect(rows.map((r) => r.name)).toEqual(people.map((p) => cellOf(Buffer.from(p.name).toString('utf8'))));
      }),
      { numRuns: 200 },
    );
  });
});

/** A spreadsheet cell as the upload reads it: trimmed, empty means absent. */
function cellOf(text: string): string | undefined {
  const v = text.trim();
  return v === '' ? undefined : v;
}
