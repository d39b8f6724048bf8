import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { checkCompletionCoded } from '../../domain/completion';
import { DOMAIN_ERROR_CODES, InvalidInputError, issueCode } from '../../domain/errors';
import { factsSchema } from '../../domain/facts';
import { directorySchema } from '../../domain/roles';
import { answerSchemas, type Task } from '../../domain/tasks';
import { fromInvalidInput } from '../../client/http/errors';
import { renderErrorPage } from '../../client/web/error-page';
import { domainErrorText } from '../../client/web/error-texts';
import { directory as testDirectory, FG, ICT } from '../support/people';

const directory = directorySchema.parse(testDirectory);

/** The codes of a failed parse, in the order zod reports them. */
function codes(schema: z.ZodType, value: unknown) {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => issueCode(issue)?.code);
}

describe('domain errors carry a code, so pages translate by code and not by the English words', () => {
  it('names the rule of each refinement and check a page translates', () => {
    expect(codes(answerSchemas.triage, { isPersonalDataBreach: true, reasoning: 'r' })).toEqual(['awareness-required']);
    expect(codes(answerSchemas['recipient-list'], { uploaded: 0 })).toEqual(['recipient-list-empty']);
    expect(codes(answerSchemas['improvement-action'], { done: false, note: 'n' })).toEqual([
      'improvement-action-not-done',
    ]);
    expect(codes(factsSchema, { dataCategories: [] })).toEqual(['data-categories-empty']);
    expect(codes(factsSchema, { context: { adjustment: 1 } })).toEqual(['context-reason-required']);
    expect(codes(factsSchema, { protection: { encrypted: false, hashed: false, keySafe: true } })).toEqual([
      'key-safe-without-protection',
    ]);
  });

  it("leaves zod's own issues without a code", () => {
    expect(codes(answerSchemas['recipient-list'], { uploaded: 'x' })).toEqual([undefined]);
  });

  it('gives the parameters with the code, and keeps the English message as it was', () => {
    const result = answerSchemas.containment.safeParse({
      measures: {
        'secure-evidence': { status: 'pending' },
        'controlled-shutdown': { status: 'done' },
        'disconnect-network': { status: 'done' },
        'adjust-firewall': { status: 'pending' },
        'block-accounts': { status: 'not-applicable', note: 'no accounts involved' },
        'change-passwords': { status: 'pending' },
        'agree-with-ict': { status: 'pending' },
      },
      stillLeaking: false,
    });
    const issues = result.success ? [] : result.error.issues;
    const evidence = issues.find((issue) => issueCode(issue)?.code === 'evidence-first');
    expect(evidence?.message).toBe(
      'secure evidence first: it is still pending while controlled-shutdown, disconnect-network are done',
    );
    expect(issueCode(evidence!)?.params).toEqual({ others: 'controlled-shutdown, disconnect-network' });
  });

  it('codes a measure without the note that says why it does not apply', () => {
    const measure = answerSchemas.containment.shape.measures.shape['block-accounts'];
    expect(codes(measure, { status: 'not-applicable' })).toEqual(['measure-note-required']);
  });

  it("codes the update validator's refusals of a completion", () => {
    const task: Task = {
      id: 'authority-notification',
      kind: 'authority-notification',
      role: 'fg',
      title: 't',
      playbook: 'notification',
      workflowId: 'w',
      createdAt: '2026-11-28T00:00:00Z',
      due: '2026-12-01T00:00:00Z',
      status: 'open',
      overdue: false,
    };
    const now = Date.parse('2026-12-02T00:00:00Z');
    const answer = { notifiedAt: '2026-12-01T10:00:00Z', reference: 'AP-1' };
    const check = (t: Task | undefined, actor: string, ctx = {}) =>
      checkCompletionCoded(t, { taskId: task.id, actor, answer }, directory, { now, ...ctx });
    expect(check(undefined, FG)).toMatchObject({ code: 'task-not-found' });
    expect(check({ ...task, status: 'done' }, FG)).toMatchObject({
      code: 'task-not-open',
      params: { taskId: task.id, status: 'done' },
      message: 'taskId: task "authority-notification" is already done',
    });
    expect(check(task, 'nobody@test.example')).toMatchObject({ code: 'actor-unknown' });
    expect(check(task, ICT)).toMatchObject({ code: 'actor-lacks-role', params: { actor: ICT, roles: 'fg' } });
    expect(check(task, FG, { deadline: '2026-12-01T00:00:00.000Z' })).toMatchObject({
      code: 'reasons-for-delay-required',
      params: { deadline: '2026-12-01T00:00:00.000Z' },
    });
  });

  it('has Dutch for every code; English pages keep the English message', () => {
    for (const code of DOMAIN_ERROR_CODES) {
      const params = { taskId: 't', status: 'done', actor: 'a@b', roles: 'fg,ciso', deadline: '2026-12-01T00:00:00Z' };
      expect(domainErrorText(code, params, 'nl', 'english')).not.toBe('english');
      expect(domainErrorText(code, params, 'en', 'english')).toBe('english');
    }
    expect(domainErrorText('task-not-open', { taskId: 't', status: 'done' }, 'nl', '')).toContain('afgerond');
  });

  it('refuses who acts with 403 by the code, and hands the code on to the pages', () => {
    const role = fromInvalidInput(
      new InvalidInputError('actor: x does not hold the role', { code: 'actor-lacks-role', params: { roles: 'fg' } }),
    );
    expect([role.statusCode, role.code, role.refusal]).toEqual([
      403,
      'forbidden',
      { code: 'actor-lacks-role', params: { roles: 'fg' } },
    ]);
    const done = fromInvalidInput(new InvalidInputError('taskId: task "t" is already done', { code: 'task-not-open' }));
    expect([done.statusCode, done.code, done.refusal?.code]).toEqual([400, 'invalid-input', 'task-not-open']);
    // Validators that give no code yet still name the field.
    expect(fromInvalidInput(new InvalidInputError('actor: x is not in the directory')).statusCode).toBe(403);
  });

  it('shows a translated refusal on the "no access" page in the page\'s language, an untranslated one marked English', () => {
    const dutch = domainErrorText('actor-lacks-role', { actor: ICT, roles: 'fg' }, 'nl', 'actor: …');
    expect(renderErrorPage('forbidden', { lang: 'nl' }, dutch, true)).toContain(`</span> ${dutch}</p>`);
    expect(renderErrorPage('forbidden', { lang: 'nl' }, 'actor: x', false)).toContain(
      '<span lang="en">actor: x</span>',
    );
  });

  it('keeps the code on an InvalidInputError beside its message', () => {
    const err = new InvalidInputError('taskId: task "x" is already done', {
      code: 'task-not-open',
      params: { taskId: 'x' },
    });
    expect([err.message, err.code, err.params]).toEqual([
      'taskId: task "x" is already done',
      'task-not-open',
      { taskId: 'x' },
    ]);
    expect(new InvalidInputError('plain').code).toBeUndefined();
  });
});
