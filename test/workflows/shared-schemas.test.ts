/**
 * domain/ is loaded once per worker and shared by every workflow (workflows/preload.ts): the SDK then freezes what
 * the shared modules export. These tests check the two things that keeps working: every domain/ module the
 * workflows import is in the preload list, and a settled, frozen schema parses exactly like a fresh one.
 * No server, but not a unit test: it freezes the domain modules it imports, so it needs a process of its own
 * (the unit project shares its modules between files).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import ts from 'typescript';
import { describe, expect, it, vi } from 'vitest';
import type { z } from 'zod';
import { describeIssues } from '../../domain/errors';
import { TASK_KINDS } from '../../domain/tasks';
import { WORKFLOW_INTERCEPTOR_MODULES, WORKFLOW_PRELOAD_MODULES, workflowsPath } from '../../worker/create-worker';
import { invalidMutations, type Json } from '../support/bad-input-arbitraries';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PRELOAD = WORKFLOW_PRELOAD_MODULES[0]!;

/** The project files a module imports as values (`import type` and `export type` are gone when bundled). */
function valueImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
  const found: string[] = [];
  for (const statement of source.statements) {
    let specifier: ts.Expression | undefined;
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      const bindings = clause?.namedBindings;
      const onlyTypes =
        clause?.isTypeOnly === true ||
        (clause !== undefined &&
          clause.name === undefined &&
          bindings !== undefined &&
          ts.isNamedImports(bindings) &&
          bindings.elements.length > 0 &&
          bindings.elements.every((e) => e.isTypeOnly));
      if (!onlyTypes) specifier = statement.moduleSpecifier;
    } else if (ts.isExportDeclaration(statement) && !statement.isTypeOnly) {
      specifier = statement.moduleSpecifier;
    }
    if (specifier && ts.isStringLiteral(specifier) && specifier.text.startsWith('.')) {
      const base = resolve(dirname(file), specifier.text);
      found.push(readableFile(`${base}.ts`) ? `${base}.ts` : join(base, 'index.ts'));
    }
  }
  return found;
}

function readableFile(path: string): boolean {
  try {
    readFileSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Every project file the workflow bundle's entry points reach through value imports. */
function reachedFrom(entries: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...entries];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    queue.push(...valueImports(file));
  }
  return seen;
}

const asProjectPath = (file: string) => relative(ROOT, file);
const preloaded = valueImports(PRELOAD)
  .map(asProjectPath)
  .filter((file) => file !== 'domain/shared-schemas.ts');

describe('the modules every workflow shares', () => {
  it('preloads every domain module the workflows import, and nothing else', () => {
    const reached = [...reachedFrom([workflowsPath, ...WORKFLOW_INTERCEPTOR_MODULES])].map(asProjectPath);
    const domain = reached.filter((file) => file.startsWith('domain/')).sort();
    // One that is missing is either loaded again for every workflow or, imported by a preloaded one, frozen
    // without its schemas settled: then the first task completion fails.
    expect([...preloaded].sort()).toEqual(domain);
    // A workflows/ module keeps the state of one workflow: never shared.
    expect(preloaded.filter((file) => !file.startsWith('domain/'))).toEqual([]);
  });
});

/**
 * What @temporalio/worker (lib/workflow/reusable-vm.js) does to the shared modules' exports once they are
 * loaded: freeze each object and everything its own properties reach, not entering functions or objects that
 * are already frozen, and passing over what cannot be frozen.
 */
function freezeAsTheWorkerDoes(object: unknown, visited = new WeakSet<object>()): void {
  if (object === null || (typeof object !== 'object' && typeof object !== 'function')) return;
  if (visited.has(object) || Object.isFrozen(object)) return;
  visited.add(object);
  if (typeof object === 'object') {
    for (const name of Reflect.ownKeys(object)) {
      try {
        freezeAsTheWorkerDoes((object as Record<PropertyKey, unknown>)[name], visited);
      } catch {
        // as the worker: some objects (a Uint8Array) cannot be frozen
      }
    }
  }
  Object.freeze(object);
}

type Module = Record<string, unknown>;
const isSchema = (value: unknown): value is z.ZodType =>
  typeof value === 'object' &&
  value !== null &&
  '_zod' in value &&
  typeof (value as z.ZodType).safeParse === 'function';

/** The schemas a module exports, also those in an exported table (`answerSchemas.triage`), by name. */
function schemasOf(modules: Record<string, Module>): Map<string, z.ZodType> {
  const found = new Map<string, z.ZodType>();
  for (const [file, module] of Object.entries(modules)) {
    for (const [name, value] of Object.entries(module)) {
      if (isSchema(value)) found.set(`${file} ${name}`, value);
      else if (value && typeof value === 'object' && !Array.isArray(value))
        for (const [key, inner] of Object.entries(value))
          if (isSchema(inner)) found.set(`${file} ${name}.${key}`, inner);
    }
  }
  return found;
}

/** Imports the preloaded modules anew: their own schemas, not the ones an earlier import built. */
async function freshModules(): Promise<Record<string, Module>> {
  vi.resetModules();
  const modules: Record<string, Module> = {};
  for (const file of preloaded) modules[file] = (await import(join(ROOT, file))) as Module;
  return modules;
}

/** What a parse gives back, as a caller sees it: the value, or the message naming each field. */
function outcome(schema: z.ZodType, input: unknown): unknown {
  try {
    const result = schema.safeParse(input);
    return result.success ? { data: result.data } : { refused: describeIssues(result.error) };
  } catch (err) {
    return { threw: String(err) };
  }
}

const readJson = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as Json;
const EXAMPLES: Record<string, Json[]> = {
  'domain/signal.ts breachSignalSchema': [readJson('examples/signal-dlp.json'), readJson('examples/signal-form.json')],
  'domain/tasks.ts answerSchemas.triage': [readJson('examples/answers/triage-not-a-breach.json')],
};
for (const kind of TASK_KINDS) {
  const name = `domain/tasks.ts answerSchemas.${kind}`;
  EXAMPLES[name] = [...(EXAMPLES[name] ?? []), readJson(`examples/answers/${kind}.json`)];
}

describe('a schema shared by every workflow', () => {
  it('parses as a fresh one once the worker has frozen it: same values, same refusals', async () => {
    // As in the worker: the preload module settles the schemas of the modules it loaded.
    const shared = await freshModules();
    await import(PRELOAD);
    const frozen = schemasOf(shared);
    const fresh = schemasOf(await freshModules());
    expect(frozen.size).toBeGreaterThan(20);
    expect([...frozen.keys()]).toEqual([...fresh.keys()]);

    // What a fresh schema makes of each input, before anything is frozen.
    const anything = fc.sample(fc.anything({ maxDepth: 3 }), { numRuns: 60, seed: 16 });
    const cases = [...fresh].map(([name, reference]) => {
      const examples = EXAMPLES[name] ?? [];
      const inputs: unknown[] = [undefined, null, {}, [], '', 'P1D', 'dlp', 0, ...anything, ...examples];
      for (const doc of examples)
        inputs.push(...fc.sample(invalidMutations(reference, doc), { numRuns: 40, seed: 16 }).map((m) => m.value));
      return { name, examples, inputs, expected: inputs.map((input) => outcome(reference, input)) };
    });

    // Then the worker freezes what the shared modules export, zod's own exports too.
    for (const module of [...Object.values(shared), (await import('zod')) as Module])
      for (const value of Object.values(module)) {
        try {
          freezeAsTheWorkerDoes(value);
        } catch {
          // Node's own module namespaces (z.core) cannot be frozen, unlike the bundle's; what they hold is by now.
        }
      }

    for (const { name, examples, inputs, expected } of cases) {
      const schema = frozen.get(name)!;
      expect(Object.isFrozen(schema), name).toBe(true);
      inputs.forEach((input, i) => {
        const got = outcome(schema, input);
        expect(got, `${name} on ${JSON.stringify(input)}`).not.toHaveProperty('threw');
        expect(got, `${name} on ${JSON.stringify(input)}`).toEqual(expected[i]);
      });
      for (const doc of examples) expect(outcome(schema, doc), `${name}: its example`).toHaveProperty('data');
    }
  });

  it('fails at its first parse when frozen without being settled (what the preload module prevents)', async () => {
    const { answerSchemas } = (await freshModules())['domain/tasks.ts'] as typeof import('../../domain/tasks');
    freezeAsTheWorkerDoes(answerSchemas);
    expect(() => answerSchemas.triage.safeParse({})).toThrow(/not extensible|read only/);
  });

  it('refuses to share a global RegExp: frozen, its first use would fail', async () => {
    const { settleSchemas } = await import('../../domain/shared-schemas');
    expect(() => settleSchemas({ 'domain/x': { table: { pattern: /a/g } } })).toThrow(
      'domain/x.table.pattern is a g RegExp',
    );
  });
});
