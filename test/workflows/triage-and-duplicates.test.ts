import { signedCompletion, testSigner } from '../support/acts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness, eventually } from '../support/harness';
import { answers, signal } from '../support/answers';
import { CISO, FG, FG_DEPUTY, ICT } from '../support/people';
import { breachIdFor } from '../../client/shared/breach-id';
import { completeTask, reportBreach } from '../../client/shared/breaches';
import { InvalidInputError } from '../../domain/errors';

describe('triage, duplicates and refused input', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h?.close());

  it('records a signal that is not a personal-data breach as a security incident and closes it', async () => {
    const s = signal({ source: 'siem', summary: 'Port scan on the perimeter firewall' });
    const breachId = await h.report(s);
    await h.complete(breachId, 'triage', FG, answers.triageNotABreach());
    expect(await h.result(breachId)).toMatchObject({ outcome: 'security-incident' });

    const view = await h.view(breachId);
    expect(view).toMatchObject({ phase: 'closed', outcome: 'security-incident' });
    expect(view.tasks.map((t) => t.id)).toEqual(['triage']);
    expect(view.deadlines).toEqual([]);
    expect(await h.register.breach(breachId)).toMatchObject({
      outcome: 'security-incident',
      phase: 'closed',
      aware_at: null,
    });
    const closedMail = await eventually(() => {
      const mails = h.mailbox.withPurpose('security-incident-closed').filter((m) => m.subject.includes(breachId));
      return mails.length >= 3 && mails;
    }, 'closing emails');
    expect(closedMail.flatMap((m) => m.to).sort()).toEqual([CISO, FG, FG_DEPUTY].sort());
    expect(closedMail[0]?.subject).toBe(`[${breachId}] Geen datalek: vastgelegd als beveiligingsincident`);

    // A late duplicate of a closed case does not reopen it or start a second one.
    const again = await reportBreach(h.client, s, h.taskQueue);
    expect(again).toEqual({ breachId, alreadyClosed: true });
  });

  it('derives the breach id from source and event id only, without personal data', async () => {
    const s = signal({ reporter: { name: 'Marieke de Boer', email: 'marieke@example.org' } });
    const breachId = await h.report(s);
    expect(breachId).toBe(breachIdFor('dlp', s.eventId as string));
    expect(breachId).toMatch(/^breach-[0-9a-f]{20}$/);
  });

  it('joins a second report of the same event to the running breach as a duplicate', async () => {
    const s = signal();
    const first = await h.report(s);
    const second = await h.report({ ...s, summary: 'Same DLP event, re-sent by the SIEM' });
    expect(second).toBe(first);
    const view = await eventually(async () => {
      const v = await h.view(first);
      return v.timeline.some((e) => e.kind === 'duplicate-report') ? v : undefined;
    }, 'duplicate noted');
    // Counted, not kept: the second report's summary is not on the case.
    expect(view.reports.map((r) => r.duplicate)).toEqual([false]);
    expect(view.duplicates).toEqual([
      { source: 'dlp', count: 1, firstAt: expect.any(String), lastAt: expect.any(String) },
    ]);
    expect(JSON.stringify(view)).not.toContain('re-sent by the SIEM');
    expect(view.timeline.filter((e) => e.kind === 'duplicate-report').map((e) => e.text)).toEqual([
      expect.stringMatching(/^1 duplicate report: 1 from dlp /),
    ]);
  });

  it('opens exactly one breach when the same event arrives several times at once', async () => {
    const s = signal();
    const ids = await Promise.all(Array.from({ length: 8 }, () => h.report(s)));
    expect(new Set(ids).size).toBe(1);
    const breachId = ids[0]!;
    const view = await eventually(async () => {
      const v = await h.view(breachId);
      return v.duplicates?.[0]?.count === 7 ? v : undefined;
    }, 'all reports');
    expect(view.reports.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(view.reports).toHaveLength(1);
    const runs = await eventually(async () => {
      const list: string[] = [];
      for await (const wf of h.client.workflow.list({ query: `WorkflowId = '${breachId}'` })) list.push(wf.runId);
      return list.length > 0 ? list : undefined;
    }, 'visibility');
    expect(runs).toHaveLength(1);
  });

  it('refuses invalid signals naming the field, and starts nothing', async () => {
    const bad = signal({ source: 'bad source!', summary: '' });
    await expect(reportBreach(h.client, bad, h.taskQueue)).rejects.toThrow(InvalidInputError);
    await expect(reportBreach(h.client, bad, h.taskQueue)).rejects.toThrow(/source: .*summary: is required/);
    const count = await h.client.workflow.count(`WorkflowId = '${breachIdFor('bad source!', bad.eventId as string)}'`);
    expect(count.count).toBe(0);
  });

  it('rejects an invalid task completion with a message naming the field, and records nothing', async () => {
    const breachId = await h.report(signal());
    // Wait until the workflow is idle: task opened, its email sent, and that written to the register.
    const before = await eventually(async () => {
      const v = await h.view(breachId);
      return v.timeline.some((e) => e.kind === 'email-sent') &&
        (await h.register.events(breachId)).some((e) => e.kind === 'email-sent')
        ? v
        : undefined;
    }, 'triage task emailed');
    const eventsBefore = (await h.register.events(breachId)).length;

    await expect(h.complete(breachId, 'triage', ICT, answers.triageNotABreach())).rejects.toThrow(
      /actor: ict@test.example does not hold the role "fg"/,
    );
    await expect(
      h.complete(breachId, 'triage', 'stranger@elsewhere.example', answers.triageNotABreach()),
    ).rejects.toThrow(/actor: .* is not in the directory/);
    await expect(h.complete(breachId, 'triage', FG, { isPersonalDataBreach: true, reasoning: 'x' })).rejects.toThrow(
      /answer\.awareAt: is required/,
    );
    await expect(
      h.complete(breachId, 'triage', FG, {
        ...answers.triageBreach(),
        awareAt: new Date(Date.now() + 86_400_000).toISOString(),
      }),
    ).rejects.toThrow(/answer\.awareAt: lies in the future/);
    await expect(h.complete(breachId, 'triage', FG, { ...answers.triageNotABreach(), extra: 1 })).rejects.toThrow(
      /answer\.extra: is not a known field/,
    );
    await expect(completeTask(h.client, breachId, 'no-such-task', FG, {}, testSigner())).rejects.toThrow(
      /taskId: no task "no-such-task" in .*; open tasks: triage/,
    );

    const after = await h.view(breachId);
    expect(after.tasks).toEqual(before.tasks);
    expect(after.timeline).toEqual(before.timeline);
    expect(await h.register.events(breachId)).toHaveLength(eventsBefore);
    expect(after.tasks.find((t) => t.id === 'triage')?.status).toBe('open');
  });

  it("brings a validator's refusal back with its code and parameters, for a page to translate", async () => {
    const breachId = await h.report(signal());
    const refusal = (answer: unknown, actor = FG) =>
      h.complete(breachId, 'triage', actor, answer).then(
        () => undefined,
        (err: unknown) => err,
      );
    const wrongRole = await refusal(answers.triageNotABreach(), ICT);
    expect(wrongRole).toBeInstanceOf(InvalidInputError);
    expect(wrongRole).toMatchObject({
      code: 'actor-lacks-role',
      params: { actor: ICT, roles: 'fg', taskId: 'triage' },
      message: expect.stringMatching(/^actor: ict@test.example does not hold the role "fg"/),
    });
    const future = new Date(Date.now() + 86_400_000).toISOString();
    expect(await refusal({ ...answers.triageBreach(), awareAt: future })).toMatchObject({
      code: 'awareness-in-future',
      params: { field: 'awareAt' },
    });
    // A refusal without a code (a field list from the schema) comes back as it did: the message only.
    expect(await refusal({ ...answers.triageNotABreach(), extra: 1 })).toMatchObject({ code: undefined });
  });

  it('accepts a completion sent as a signal, and notes a refused one on the timeline', async () => {
    const breachId = await h.report(signal());
    await h.openTask(breachId, 'triage');
    const handle = h.client.workflow.getHandle(breachId);
    await handle.signal(
      'completeTaskAsync',
      signedCompletion(
        breachId,
        breachId,
        { taskId: 'triage', actor: ICT, answer: answers.triageNotABreach() },
        'completeTaskAsync',
      ),
    );
    await eventually(
      async () => (await h.view(breachId)).timeline.some((e) => e.kind === 'completion-rejected'),
      'rejection noted',
    );
    expect((await h.view(breachId)).tasks[0]?.status).toBe('open');
    await handle.signal(
      'completeTaskAsync',
      signedCompletion(
        breachId,
        breachId,
        { taskId: 'triage', actor: FG, answer: answers.triageNotABreach() },
        'completeTaskAsync',
      ),
    );
    expect(await h.result(breachId)).toMatchObject({ outcome: 'security-incident' });
  });

  it('survives a worker restart while the breach waits on a task', async () => {
    const breachId = await h.report(signal());
    // Waiting on the task: opened, emailed, and that written to the register (no activity in flight).
    await eventually(
      async () =>
        (await h.view(breachId)).timeline.some((e) => e.kind === 'email-sent') &&
        (await h.register.events(breachId)).some((e) => e.kind === 'email-sent'),
      'breach waiting on triage',
    );
    await h.stopWorker();
    await h.startWorker();
    await h.complete(breachId, 'triage', FG, answers.triageNotABreach());
    expect(await h.result(breachId)).toMatchObject({ outcome: 'security-incident' });
    expect((await h.register.breach(breachId))?.phase).toBe('closed');
  });
});
