import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The rooms and arrows of README "Code layout" hold because lint refuses a forbidden arrow and a cycle. These
 * tests lint real files of the tree with one import added (lintText: nothing is written to disk), with only the
 * two rules that keep the layout, so they fail when the rules stop firing.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const eslint = new ESLint({
  cwd: ROOT,
  ruleFilter: ({ ruleId }) => ruleId === '@typescript-eslint/no-restricted-imports' || ruleId === 'import-x/no-cycle',
});

async function problemsWith(file: string, addedImport: string): Promise<string[]> {
  const text = `${readFileSync(`${ROOT}/${file}`, 'utf8')}\n${addedImport}\n`;
  const [result] = await eslint.lintText(text, { filePath: `${ROOT}/${file}` });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('lint keeps the rooms and arrows', () => {
  it('finds nothing wrong in the files as they are', async () => {
    expect(await problemsWith('client/cli/format.ts', '')).toEqual([]);
  });

  it.each([
    ['client/cli/format.ts', "export { renderLayout } from '../web/layout';", 'client/cli/ uses client/shared/'],
    ['client/cli/format.ts', "import '../http/service';", 'client/cli/ uses client/shared/'],
    ['client/web/html.ts', "import '../shared/breaches';", 'client/web/ renders pages'],
    ['client/http/log.ts', "import '../cli/main';", 'client/http/ uses client/shared/ and client/web/, never the CLI'],
    ['client/http/log.ts', "import '../../workflows/breach';", 'Clients import workflows/messages only'],
    ['domain/csv.ts', "import '../register/export';", 'domain/ is pure'],
    ['domain/csv.ts', "import 'node:fs';", 'domain/ is pure: no I/O'],
    ['register/export.ts', "import '../activities/email';", 'register/ (the breach register store) sits on domain/'],
    ['worker/main.ts', "import '../devstack/ports';", 'worker/ runs workflows and activities'],
    ['worker/main.ts', "import '../bench/stack';", 'worker/ runs workflows and activities'],
    ['client/http/log.ts', "import '../../bench/results';", 'client/http/ uses client/shared/ and client/web/'],
    ['workflows/letter.ts', "import '../register/store';", 'Workflow code is replayed'],
    ['workflows/letter.ts', "import { createActivities } from '../activities';", 'Import activities as types only'],
  ])('%s may not %s', async (file, addedImport, why) => {
    const problems = await problemsWith(file, addedImport);
    expect(problems.join('\n')).toContain(why);
  });

  it('allows the arrows down: the HTTP service to the pages, a client to the message definitions', async () => {
    expect(await problemsWith('client/http/log.ts', "import '../web/html';")).toEqual([]);
    expect(await problemsWith('client/http/log.ts', "import '../../workflows/messages';")).toEqual([]);
    expect(await problemsWith('workflows/letter.ts', "import type { Activities } from '../activities';")).toEqual([]);
  });

  it('refuses an import cycle', async () => {
    // domain/register.ts imports domain/severity.ts; severity importing register closes the loop.
    const problems = await problemsWith('domain/severity.ts', "import './register';");
    expect(problems.join('\n')).toMatch(/^import-x\/no-cycle: Dependency cycle detected/m);
  });
});
