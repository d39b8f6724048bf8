import { describe, expect, it } from 'vitest';
import { checkCompletion } from '../../domain/completion';
import { directorySchema } from '../../domain/roles';
import type { Task } from '../../domain/tasks';
import { directory as testDirectory, FG } from '../support/people';

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
});
