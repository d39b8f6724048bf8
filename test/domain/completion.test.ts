import { describe, expect, it } from 'vitest';
import { checkCompletion, checkCompletionCoded } from '../../domain/completion';
import { directorySchema } from '../../domain/roles';
import type { Task } from '../../domain/tasks';
import { directory as testDirectory, FG, ICT } from '../support/people';

const directory = directorySchema.parse(testDirectory);

describe('task completion check (what the update validator runs)', () => {
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

  it('demands the reasons for delay only when the notification was late', () => {
    const deadline = '2026-12-01T00:00:00.000Z';
    const late = checkCompletion(
      task,
      { taskId: task.id, actor: FG, answer: { notifiedAt: '2026-12-01T10:00:00Z', reference: 'AP-1' } },
      directory,
      { now, deadline },
    );
    expect(late).toEqual({ ok: false, message: expect.stringMatching(/^answer\.reasonsForDelay: is required/) });
    const onTime = checkCompletion(
      task,
      { taskId: task.id, actor: FG, answer: { notifiedAt: '2026-11-30T10:00:00Z', reference: 'AP-1' } },
      directory,
      { now, deadline },
    );
    expect(onTime.ok).toBe(true);
  });

  it('refuses a task that is no longer open', () => {
    const done = { ...task, status: 'done' as const };
    expect(checkCompletion(done, { taskId: task.id, actor: FG, answer: {} }, directory, { now })).toEqual({
      ok: false,
      message: 'taskId: task "authority-notification" is already done',
    });
  });

  it('takes improvement-action owners only from the directory, naming the field', () => {
    const evaluation: Task = { ...task, id: 'evaluation', kind: 'evaluation', playbook: 'evaluation' };
    const answer = (owner: string) => ({
      lessonsLearned: 'Autocomplete off',
      approachStillCurrent: true,
      improvementActions: [
        { description: 'Policy', owner: ICT, due: '2027-01-15T16:00:00Z' },
        { description: 'Training', owner, due: '2027-01-15T16:00:00Z' },
      ],
    });
    const completion = (owner: string) => ({ taskId: 'evaluation', actor: FG, answer: answer(owner) });
    expect(checkCompletion(evaluation, completion('ICT@test.example'), directory, { now }).ok).toBe(true);
    expect(checkCompletionCoded(evaluation, completion('someone@elsewhere.example'), directory, { now })).toEqual({
      ok: false,
      code: 'owner-not-in-directory',
      params: { field: 'improvementActions.1.owner', owner: 'someone@elsewhere.example' },
      message: expect.stringMatching(/^answer\.improvementActions\.1\.owner: someone@elsewhere\.example is not in/),
    });
  });
});
