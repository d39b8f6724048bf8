import { signedCompletion } from '../support/acts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness, eventually } from '../support/harness';
import { answers } from '../support/answers';
import { FG, FG_DEPUTY, ICT } from '../support/people';

describe('the evaluation playbook with an overdue improvement action', () => {
  let h: Harness;
  const breachId = `breach-eval${Date.now().toString(16)}`;
  const workflowId = `${breachId}.evaluation`;

  beforeAll(async () => {
    h = await Harness.start({ evaluationAfter: '2s', escalateToFgAfter: '2s' });
    const settings = await h.settings();
    await h.client.workflow.start('evaluationWorkflow', {
      workflowId,
      taskQueue: h.taskQueue,
      args: [{ breachId, settings, containedAt: new Date().toISOString() }],
    });
  });
  afterAll(() => h?.close());

  const task = (id: string) =>
    eventually(async () => {
      const state = await h.client.workflow
        .getHandle(workflowId)
        .query<{ tasks: { id: string; status: string; overdue: boolean; assignee?: string }[] }>('playbookView');
      return state.tasks.find((t) => t.id === id);
    }, `task ${id}`);

  it('waits the configured time after containment before asking for lessons learned', async () => {
    const started = Date.now();
    await task('evaluation');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  });

  it('reminds the owner and the FG (accountable for the action) when it is overdue, and ends only when it is done', async () => {
    const evaluation = {
      ...answers.evaluation(),
      improvementActions: [
        { description: 'Disable external autocomplete', owner: ICT, due: new Date(Date.now() + 2_000).toISOString() },
      ],
    };
    await h.client.workflow.getHandle(workflowId).executeUpdate('completeTask', {
      args: [signedCompletion(breachId, workflowId, { taskId: 'evaluation', actor: FG, answer: evaluation })],
    });
    expect(await task('improvement-1')).toMatchObject({ status: 'open', assignee: ICT });

    const overdue = await eventually(() => {
      const mails = h.mailbox.withPurpose('task-overdue:improvement-1');
      return mails.length >= 3 && mails;
    }, 'overdue reminder');
    expect(overdue.flatMap((m) => m.to).sort()).toEqual([FG, FG_DEPUTY, ICT].sort());
    expect(await task('improvement-1')).toMatchObject({ status: 'open', overdue: true });

    // Someone else than the owner or the FG cannot close it.
    await expect(
      h.client.workflow.getHandle(workflowId).executeUpdate('completeTask', {
        args: [
          signedCompletion(breachId, workflowId, {
            taskId: 'improvement-1',
            actor: 'po@test.example',
            answer: { done: true, note: 'x' },
          }),
        ],
      }),
    ).rejects.toThrow();
    await h.client.workflow.getHandle(workflowId).executeUpdate('completeTask', {
      args: [
        signedCompletion(breachId, workflowId, {
          taskId: 'improvement-1',
          actor: ICT,
          answer: { done: true, note: 'Done for all mailboxes.' },
        }),
      ],
    });
    const result = await h.client.workflow.getHandle(workflowId).result();
    expect(result).toMatchObject({
      improvementActions: [expect.objectContaining({ owner: ICT, doneAt: expect.any(String) })],
    });
  });
});

describe('an evaluation that finds the approach out of date', () => {
  let h: Harness;
  const breachId = `breach-evalr${Date.now().toString(16)}`;
  const workflowId = `${breachId}.evaluation`;
  const view = () =>
    h.client.workflow
      .getHandle(workflowId)
      .query<{ tasks: { id: string; status: string; role: string; assignee?: string; detail?: string }[] }>(
        'playbookView',
      );

  beforeAll(async () => {
    h = await Harness.start({ evaluationAfter: '1s' });
    const settings = await h.settings();
    await h.client.workflow.start('evaluationWorkflow', {
      workflowId,
      taskQueue: h.taskQueue,
      args: [{ breachId, settings, containedAt: new Date().toISOString() }],
    });
  });
  afterAll(() => h?.close());

  it('gives the FG updating the procedure as an improvement action, and ends only when it is done', async () => {
    await eventually(async () => (await view()).tasks.some((t) => t.id === 'evaluation'), 'the evaluation task');
    const complete = (taskId: string, actor: string, answer: unknown) =>
      h.client.workflow.getHandle(workflowId).executeUpdate('completeTask', {
        args: [signedCompletion(breachId, workflowId, { taskId, actor, answer })],
      });
    await complete('evaluation', FG, { ...answers.evaluation(), improvementActions: [], approachStillCurrent: false });

    const review = await eventually(
      async () => (await view()).tasks.find((t) => t.id === 'procedure-review'),
      'the procedure review task',
    );
    expect(review).toMatchObject({ status: 'open', role: 'fg' });
    expect(review.assignee).toBeUndefined();
    expect(review.detail).toContain('de aanpak niet meer actueel is');
    await eventually(
      () => h.mailbox.withPurpose('task-assigned:procedure-review').some((m) => m.to.includes(FG)),
      'the FG is emailed',
    );

    await complete('procedure-review', FG, { done: true, note: 'Procedure herzien, versie 3.' });
    const result = await h.client.workflow.getHandle(workflowId).result();
    expect(result).toMatchObject({
      approachStillCurrent: false,
      improvementActions: [
        expect.objectContaining({ description: 'Werk de datalekprocedure bij', owner: FG, doneAt: expect.any(String) }),
      ],
    });
  });
});
