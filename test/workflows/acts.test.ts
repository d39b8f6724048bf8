/**
 * Who may act (issue 11, item 2): the forgeries, performed against the run's real Temporal dev server, the real
 * `temporal` CLI, the real worker (strict codec and interceptor), the real HTTP service and the real lekdicht CLI.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { promisify } from 'node:util';
import { Client, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { actSigner, cliOperator } from '../../client/shared/act-signing';
import { completeTask, getCase } from '../../client/shared/breaches';
import { actPublicKey, checkAct, signActProof, type ActExpectation, type ActSettings } from '../../domain/act-proof';
import { REFUSED_MESSAGE } from '../../domain/refused';
import { findTemporalCli } from '../../devstack/temporal-cli';
import { completeTaskUpdate } from '../../workflows/messages';
import { plaintextClient, testActKey, testActPublicKey, testSigner } from '../support/acts';
import { answers, signal } from '../support/answers';
import { cliEnv, runLekdicht } from '../support/cli';
import { Harness, eventually } from '../support/harness';
import { HttpFixture } from '../support/http';
import { webPages } from '../../client/http/web-pages';
import { CISO, FG, ICT, PROCESS_OWNER } from '../support/people';

const run = promisify(execFile);

/** The run's `temporal` CLI, as an attacker with a shell on a machine that reaches the frontend would use it. */
async function temporal(args: string[]): Promise<{ code: number; out: string }> {
  const cli = findTemporalCli();
  if (!cli) throw new Error('the temporal CLI is not installed (npm run pretest installs it)');
  try {
    const { stdout, stderr } = await run(
      cli,
      [...args, '--address', inject('temporalAddress'), '--namespace', inject('temporalNamespace')],
      { timeout: 60_000 },
    );
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/** What the Temporal UI shows as the run's current details. */
async function currentDetails(handle: WorkflowHandle): Promise<string> {
  const meta = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
  return meta.currentDetails ?? '';
}

const historyLength = async (handle: WorkflowHandle) => (await handle.fetchHistory()).events?.length ?? 0;

/** The update's refusal message, or undefined if it was accepted. */
async function refusal(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) return err.cause?.message ?? err.message;
    throw err;
  }
}

describe('who may act', () => {
  let h: Harness;
  /** The same server, without lekdicht's codec: what an outsider with network access sends. */
  let plain: Client;

  beforeAll(async () => {
    h = await Harness.start();
    plain = plaintextClient(h.client.connection, inject('temporalNamespace'));
  });
  afterAll(async () => h?.close());

  /**
   * A fresh breach with its triage task open, its ticket made and its email sent: from then on it waits for the
   * triage (a timer for the due time), so its history only grows if something gets through.
   */
  async function openBreach(): Promise<{ breachId: string; handle: WorkflowHandle }> {
    const breachId = await h.report(signal());
    const handle = h.client.workflow.getHandle(breachId);
    await h.openTask(breachId, 'triage');
    await eventually(async () => {
      const view = await h.view(breachId);
      return (
        view.tasks.find((t) => t.id === 'triage')?.ticketRef !== undefined &&
        view.timeline.some((e) => e.text.startsWith('Email "task-assigned:triage" sent'))
      );
    }, 'the triage ticket and email');
    let last = -1;
    await eventually(async () => {
      const events = (await handle.fetchHistory()).events ?? [];
      const settled = events.length === last && events.at(-1)?.workflowTaskCompletedEventAttributes !== undefined;
      last = events.length;
      return settled;
    }, 'a quiet history');
    return { breachId, handle };
  }

  const triageOf = async (breachId: string) => (await h.view(breachId)).tasks.find((t) => t.id === 'triage')!;

  it('refuses a plaintext `temporal workflow update execute --name completeTask` as the FG: rejected, triage stays open, nothing recorded', async () => {
    const { breachId, handle } = await openBreach();
    const before = await historyLength(handle);
    const events = (await h.register.events(breachId)).length;
    const forged = JSON.stringify({ taskId: 'triage', actor: FG, answer: answers.triageNotABreach() });
    const result = await temporal([
      'workflow',
      'update',
      'execute',
      '--workflow-id',
      breachId,
      '--name',
      'completeTask',
      '--input',
      forged,
    ]);
    // Refused in validation; the reason travels encrypted (failure converter), so the outsider reads only that it failed.
    expect(result.code).not.toBe(0);
    expect(result.out).toContain('unable to update workflow');
    expect(await triageOf(breachId)).toMatchObject({ status: 'open' });
    expect(await historyLength(handle)).toBe(before);
    expect(await h.register.events(breachId)).toHaveLength(events);
    expect((await h.register.breach(breachId))?.outcome ?? null).toBeNull();
  });

  it('drops plaintext `temporal workflow signal --name completeTaskAsync` and `--name report`, and counts them where the UI shows them', async () => {
    const { breachId, handle } = await openBreach();
    const reports = (await h.view(breachId)).reports.length;
    const forged = JSON.stringify({ taskId: 'triage', actor: FG, answer: answers.triageNotABreach() });
    expect(
      (
        await temporal([
          'workflow',
          'signal',
          '--workflow-id',
          breachId,
          '--name',
          'completeTaskAsync',
          '--input',
          forged,
        ])
      ).code,
    ).toBe(0);
    const report = JSON.stringify(signal({ summary: 'Forged duplicate report' }));
    expect(
      (await temporal(['workflow', 'signal', '--workflow-id', breachId, '--name', 'report', '--input', report])).code,
    ).toBe(0);

    const details = await eventually(async () => {
      const d = await currentDetails(handle);
      return d.includes('2 signal(s)') && d;
    }, 'the refusals in the current details');
    expect(details).toContain("Refused, not encrypted with lekdicht's payload keys:** 2 signal(s)");
    const view = await h.view(breachId);
    expect(view.tasks.find((t) => t.id === 'triage')).toMatchObject({ status: 'open' });
    expect(view.reports).toHaveLength(reports);
    expect(view.timeline.some((e) => e.kind === 'completion-rejected' || /Forged/.test(e.text))).toBe(false);
    // One timeline line counts them, updated in place, and reaches the register.
    expect(view.timeline.filter((e) => e.kind === 'refused-unencrypted').map((e) => e.text)).toEqual([
      "2 message(s) refused: not encrypted with lekdicht's payload keys",
    ]);
    await eventually(
      async () =>
        (await h.register.events(breachId)).some(
          (e) => e.text === "2 message(s) refused: not encrypted with lekdicht's payload keys",
        ),
      'the count in the register',
      60_000,
    );
  });

  it('refuses an encrypted completion with a forged actor and no proof, or a proof that does not verify', async () => {
    const { breachId } = await openBreach();
    const completion = { taskId: 'triage', actor: FG, answer: answers.triageNotABreach() };
    const handle = h.client.workflow.getHandle(breachId);
    expect(await refusal(handle.executeUpdate(completeTaskUpdate, { args: [completion] }))).toMatch(
      /^proof: is required/,
    );

    const act: ActExpectation = {
      breachId,
      workflowId: breachId,
      message: 'completeTask',
      taskId: 'triage',
      actor: FG,
      body: completion.answer,
    };
    const alien = signActProof(randomBytes(32), act, new Date());
    expect(
      await refusal(handle.executeUpdate(completeTaskUpdate, { args: [{ ...completion, proof: alien }] })),
    ).toMatch(/^proof\.keyId: .* not one of/);

    const genuine = signActProof(testActKey(), act, new Date());
    const tampered = { ...genuine, signature: (genuine.signature[0] === '0' ? '1' : '0') + genuine.signature.slice(1) };
    expect(
      await refusal(handle.executeUpdate(completeTaskUpdate, { args: [{ ...completion, proof: tampered }] })),
    ).toMatch(/^proof\.signature: does not verify/);

    // A proof the service made for ICT, presented with the FG as actor.
    const forIct = signActProof(testActKey(), { ...act, actor: ICT }, new Date());
    expect(
      await refusal(handle.executeUpdate(completeTaskUpdate, { args: [{ ...completion, proof: forIct }] })),
    ).toMatch(/^proof\.actor: /);

    const stale = actSigner(testActKey(), () => new Date(Date.now() - 10 * 60_000))(act);
    expect(await refusal(handle.executeUpdate(completeTaskUpdate, { args: [{ ...completion, ...stale }] }))).toMatch(
      /^proof\.issuedAt: .* minutes old/,
    );
    expect(await triageOf(breachId)).toMatchObject({ status: 'open' });
  });

  it('refuses a valid proof reused for another answer or another task', async () => {
    const { breachId } = await openBreach();
    const handle = h.client.workflow.getHandle(breachId);
    const signed = testSigner()({
      breachId,
      workflowId: breachId,
      message: 'completeTask',
      taskId: 'triage',
      actor: FG,
      body: answers.triageBreach(),
    });
    // The FG meant "a breach"; the proof is moved onto "not a breach".
    const otherAnswer = await refusal(
      handle.executeUpdate(completeTaskUpdate, {
        args: [{ taskId: 'triage', actor: FG, answer: answers.triageNotABreach(), ...signed }],
      }),
    );
    expect(otherAnswer).toMatch(/^proof\.bodySha256: the proof was made for another answer/);
    expect(await triageOf(breachId)).toMatchObject({ status: 'open' });

    // A proof for this breach's triage, presented for another breach's triage.
    const other = await openBreach();
    const elsewhere = await refusal(
      other.handle.executeUpdate(completeTaskUpdate, {
        args: [{ taskId: 'triage', actor: FG, answer: answers.triageBreach(), ...signed }],
      }),
    );
    expect(elsewhere).toMatch(/^proof\.breachId: /);

    // A proof for a task of this breach, presented for another task (the first picture, once it is open).
    const firstPicture = testSigner()({
      breachId,
      workflowId: breachId,
      message: 'completeTask',
      taskId: 'triage',
      actor: CISO,
      body: answers.firstPicture(),
    });
    await h.complete(breachId, 'triage', FG, answers.triageBreach());
    await h.openTask(breachId, 'first-picture');
    const otherTask = await refusal(
      handle.executeUpdate(completeTaskUpdate, {
        args: [{ taskId: 'first-picture', actor: CISO, answer: answers.firstPicture(), ...firstPicture }],
      }),
    );
    expect(otherTask).toMatch(/^proof\.taskId: is for "triage", not "first-picture"/);
    expect((await h.view(breachId)).tasks.find((t) => t.id === 'first-picture')).toMatchObject({ status: 'open' });
  });

  it("records an encrypted act with an operator marker as an operator act, never as the FG's own", async () => {
    const { breachId } = await openBreach();
    const handle = h.client.workflow.getHandle(breachId);
    const via = { kind: 'cli' as const, osUser: 'mallory', host: 'laptop-17' };
    await handle.executeUpdate(completeTaskUpdate, {
      args: [{ taskId: 'triage', actor: FG, answer: answers.triageNotABreach(), via }],
    });
    const view = await getCase(h.client, breachId);
    expect(view.tasks.find((t) => t.id === 'triage')).toMatchObject({
      status: 'done',
      completedBy: FG,
      completedVia: via,
    });
    const entry = view.timeline.find((e) => e.kind === 'task-completed');
    expect(entry?.text).toBe(`Task triage completed by ${FG} via CLI, OS user mallory on laptop-17 (operator act)`);
    const registered = await eventually(
      async () => (await h.register.events(breachId)).find((e) => e.kind === 'task-completed'),
      'the register event',
    );
    expect(registered.text).toContain('via CLI, OS user mallory');
  });

  it("records the web path (HTTP service, the FG signed in) as the FG's own act", async () => {
    const { breachId } = await openBreach();
    const http = await HttpFixture.start(h);
    try {
      const fg = await http.as(FG);
      const res = await fg.post(`/api/breaches/${breachId}/tasks/triage`, { answer: answers.triageNotABreach() });
      expect(res.statusCode, res.body).toBe(200);
    } finally {
      await http.close();
    }
    const view = await h.view(breachId);
    const triage = view.tasks.find((t) => t.id === 'triage')!;
    expect(triage).toMatchObject({ status: 'done', completedBy: FG });
    expect(triage.completedVia).toBeUndefined();
    expect(view.timeline.find((e) => e.kind === 'task-completed')).toMatchObject({
      text: 'Task triage completed',
      actor: FG,
    });
  });

  it('records the CLI path as an operator act with the OS user', async () => {
    const { breachId } = await openBreach();
    const result = await runLekdicht(
      ['task', 'complete', breachId, 'triage', '--as', FG, '--answer', JSON.stringify(answers.triageNotABreach())],
      cliEnv(h),
    );
    expect(result.code, result.stderr).toBe(0);
    const triage = (await h.view(breachId)).tasks.find((t) => t.id === 'triage')!;
    expect(triage).toMatchObject({
      status: 'done',
      completedBy: FG,
      completedVia: { kind: 'cli', osUser: userInfo().username },
    });
    const entry = (await h.view(breachId)).timeline.find((e) => e.kind === 'task-completed');
    expect(entry?.text).toContain(`${FG} via CLI, OS user ${userInfo().username}`);
    const registered = await eventually(
      async () => (await h.register.events(breachId)).find((e) => e.kind === 'task-completed'),
      'the register event',
    );
    expect(registered.text).toContain(`via CLI, OS user ${userInfo().username}`);
    // And the breach page says so beside the name (Dutch by default).
    const http = await HttpFixture.start(h, { pages: [webPages] });
    try {
      const page = await (await http.as(FG)).get(`/breaches/${breachId}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(`namens deze persoon via de CLI, OS-gebruiker ${userInfo().username}`);
    } finally {
      await http.close();
    }
  });

  it('ignores a payload-less `temporal workflow signal --name gdprNotificationsSettled`: the breach does not skip to aftercare', async () => {
    const breachId = await h.report(signal());
    await h.complete(breachId, 'triage', FG, answers.triageBreach());
    await h.complete(breachId, 'first-picture', CISO, answers.firstPicture());
    await h.complete(breachId, 'containment-1', ICT, answers.containment(false));
    await h.complete(breachId, 'containment-confirmation-1', CISO, answers.confirmContainment(true));
    await h.complete(breachId, 'impact', PROCESS_OWNER, answers.impact());
    await h.complete(breachId, 'notification-decision', FG, answers.decision(true, false));
    await h.openTask(breachId, 'authority-notification');
    // No payload, so no codec can refuse it: the breach itself must.
    expect(
      (await temporal(['workflow', 'signal', '--workflow-id', breachId, '--name', 'gdprNotificationsSettled'])).code,
    ).toBe(0);
    const handle = h.client.workflow.getHandle(breachId);
    await eventually(
      async () => (await currentDetails(handle)).includes('1 signal(s)'),
      'the refusal in the current details',
    );
    const view = await h.view(breachId);
    expect(view.phase).toBe('notification');
    expect(view.tasks.filter((t) => t.kind === 'organisation-interest')).toEqual([]);

    // The notification playbook's own signal (encrypted, with the breach's id) still moves it on.
    await h.complete(breachId, 'authority-notification', FG, answers.authorityNotification());
    await h.waitForPhase(breachId, 'aftercare');
  }, 120_000);

  it('survives 10,000 refused completions: the breach stays alive, its history does not grow, the register stays consistent', async () => {
    const { breachId, handle } = await openBreach();
    const plainHandle = plain.workflow.getHandle(breachId);
    const before = await historyLength(handle);
    const eventsBefore = (await h.register.events(breachId)).length;
    const completion = { taskId: 'triage', actor: FG, answer: answers.triageNotABreach() };
    const total = 10_000;
    let next = 0;
    const reasons = new Map<string, number>();
    // Bounded concurrency: half plaintext (the interceptor), half encrypted without proof (the validator). At most 8
    // in flight: the server itself refuses more than 10 in-flight updates per run (RESOURCE_EXHAUSTED), which a
    // loaded machine reaches with more — a refusal too, but not the one this test is about.
    const worker = async () => {
      for (let i = next++; i < total; i = next++) {
        const target = i % 2 === 0 ? plainHandle : handle;
        const why = await refusal(target.executeUpdate(completeTaskUpdate, { args: [completion] }));
        const key =
          why === undefined
            ? 'accepted'
            : why.startsWith(REFUSED_MESSAGE)
              ? 'unencrypted'
              : why.startsWith('proof: is required')
                ? 'no proof'
                : why;
        reasons.set(key, (reasons.get(key) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(Object.fromEntries(reasons)).toEqual({ unencrypted: total / 2, 'no proof': total / 2 });

    expect(await historyLength(handle)).toBe(before);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    expect(await triageOf(breachId)).toMatchObject({ status: 'open' });
    expect(await h.register.events(breachId)).toHaveLength(eventsBefore);

    // And it still works: the FG's own act goes through, and the register follows the case.
    await h.complete(breachId, 'triage', FG, answers.triageNotABreach());
    expect(await h.result(breachId)).toMatchObject({ outcome: 'security-incident' });
    const view = await h.view(breachId);
    expect((await h.register.events(breachId)).map((e) => e.text)).toEqual(view.timeline.map((e) => e.text));
    expect(await h.register.breach(breachId)).toMatchObject({ outcome: 'security-incident' });
    // Why it was not a breach, and who said so, is in the register's record (art. 33(5)).
    expect((await h.register.breach(breachId))?.facts_summary).toMatch(
      /Triage \(fg@test\.example, .*\): geen datalek — Port scan on the firewall; no personal data was reachable\./,
    );
  }, 600_000);
});

describe('checkAct (the rule the validators apply)', () => {
  const act: ActExpectation = {
    breachId: 'breach-1',
    workflowId: 'breach-1',
    message: 'completeTask',
    taskId: 'triage',
    actor: FG,
    body: { a: 1 },
  };
  const settings = (operatorActs: ActSettings['operatorActs']): ActSettings => ({
    publicKeys: [testActPublicKey()],
    operatorActs,
    maxAgeMs: 300_000,
  });

  it("accepts a fresh proof as the person's own act, and a CLI marker as an operator act unless operator acts are refused", () => {
    const now = Date.now();
    expect(checkAct(testSigner()(act), act, settings('allow'), now)).toEqual({ ok: true, how: { kind: 'person' } });
    const via = cliOperator()(act);
    expect(checkAct(via, act, settings('allow'), now)).toEqual({ ok: true, how: { kind: 'operator', via: via.via } });
    expect(checkAct(via, act, settings('refuse'), now)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^via: operator acts from the CLI are refused/),
    });
    expect(checkAct({ ...testSigner()(act), ...via }, act, settings('allow'), now)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not both/),
    });
  });

  it('refuses a proof for another message, or from the future', () => {
    const now = Date.now();
    expect(checkAct(testSigner()({ ...act, message: 'completeTaskAsync' }), act, settings('allow'), now)).toMatchObject(
      { ok: false, message: expect.stringMatching(/^proof\.message: /) },
    );
    const ahead = actSigner(testActKey(), () => new Date(now + 5 * 60_000))(act);
    expect(checkAct(ahead, act, settings('allow'), now)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^proof\.issuedAt: .* lies in the future/),
    });
  });
});

describe('a key added after the breach started (rotation, or a breach from before acts were signed)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(async () => h?.close());

  it("is learnt on demand: the refused act asks the run to re-read the worker's keys, and then goes through", async () => {
    const breachId = await h.report(signal());
    await h.openTask(breachId, 'triage');
    // The HTTP service switches to a new key; the worker's config gets its public key (read on every activity).
    const rotated = randomBytes(32);
    h.config.acts.publicKeys.push(Buffer.from(actPublicKey(rotated)).toString('hex'));
    const task = await completeTask(h.client, breachId, 'triage', FG, answers.triageNotABreach(), actSigner(rotated));
    expect(task).toMatchObject({ status: 'done', completedBy: FG });
    expect(task.completedVia).toBeUndefined();
    // A key nobody configured is still refused, after the run has looked again.
    const other = await h.report(signal());
    await h.openTask(other, 'triage');
    await expect(
      completeTask(h.client, other, 'triage', FG, answers.triageNotABreach(), actSigner(randomBytes(32))),
    ).rejects.toThrow(/^proof\.keyId: /);
  });
});
