import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { answerSchemas, TASK_KINDS } from '../../domain/tasks';

describe('example answers in examples/answers/', () => {
  it('are valid for their task kind, one file per kind', () => {
    const files = readdirSync('examples/answers');
    for (const kind of TASK_KINDS) expect(files, kind).toContain(`${kind}.json`);
    for (const file of files) {
      const kind = file.replace(/\.json$/, '').replace(/-not-a-breach$/, '') as keyof typeof answerSchemas;
      const result = answerSchemas[kind].safeParse(JSON.parse(readFileSync(`examples/answers/${file}`, 'utf8')));
      expect(result.error, file).toBeUndefined();
    }
  });
});
