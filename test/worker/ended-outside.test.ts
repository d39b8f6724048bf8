import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse as parseCsv } from 'csv-parse/sync';
import { captureWorkerLogs, eventually, Harness, testWorkerOptions } from '../support/harness';
import { answers, signal } from '../support/answers';
import { FG, FG_DEPUTY } from '../support/people';
import { startLimitedServer, type LimitedServer } from '../support/limited-server';
import { findTemporalCli } from '../../devstack/temporal-cli';
import { createLekdichtWorker, type LekdichtWorker } from '../../worker/create-worker';
import type { EndedOutsideWatch } from '../../worker/watch';
import { formatTime } from '../../activities/email-templates';
import { registerCsv } from '../../register/export';
import { renderRegister } from '../../client/web/register';
import { filterRegister, parseRegisterFilter } from '../../domain/register';

const run = promisify(execFile);

/**
 * Runs that end outside lekdicht (issue 11, item 1): an operator (or anyone who reaches Temporal's frontend)
 * terminates a breach or one of its playbooks with the real `temporal` CLI. The worker's watch must notice it, mark
 * it in the register and email the FG and their deputy exactly once — also with two watches on one register.
 */
describe('runs ended outside lekdicht', () => {
  let h: Harness;
  let logs: ReturnType<typeof captureWorkerLogs>;
  /** Operator free text in the terminate reason: must never reach the register, an email or a log. */
  const REASON_MARKER = 'opgeruimd-door-marieke.devries@example.org';

  beforeAll(async () => {
    logs = captureWorkerLogs();
    h = await Harness.start({ watchEvery: '1s' });
  });
  afterAll(async () => {
    logs?.stop();
    await h?.close();
  });

  const watch = (): EndedOutsideWatch => h.lekdicht!.watch;

  /** `temporal workflow terminate` against the run's dev server, as an operator would type it. */
  async function terminate(workflowId: string): Promise<void> {
    const cli = findTemporalCli();
    if (!cli) throw new Error('the temporal CLI is needed (scripts/install-temporal-cli, or TEMPORAL_CLI_PATH)');
    await run(cli, [
      'workflow',
      'terminate',
      '--address',
      inject('temporalAddress'),
      '--namespace',
      inject('temporalNamespace'),
      '-w',
      workflowId,
      '--reason',
      REASON_MARKER,
    ]);
  }

  /** Waits until `w` has finished `n` more rounds than now: "a few rounds later", counted, not timed. */
  async function rounds(w: EndedOutsideWatch, n: number): Promise<void> {
    const from = w.rounds;
    await eventually(() => w.rounds >= from + n, `${n} watch rounds`);
  }

  const endedMails = (breachId: string) =>
    h.mailbox.mails.filter((m) => m.purpose.startsWith('ended-outside:') && m.subject.startsWith(`[${breachId}]`));

  async function triagedBreach(): Promise<{ breachId: string; deadline: string }> {
    const breachId = await h.report(signal());
    await h.complete(breachId, 'triage', FG, answers.triageBreach());
    const row = await eventually(async () => {
      const r = await h.register.breach(breachId);
      return r?.notification_deadline ? r : undefined;
    }, 'the deadline in the register');
    // The notification playbook (the 72-hour clock) runs beside the breach from triage on.
    await eventually(
      async () => (await h.client.workflow.getHandle(`${breachId}.notification`).describe()).status.name === 'RUNNING',
      'the notification playbook',
    );
    return { breachId, deadline: row.notification_deadline! };
  }

  it('a breach terminated with the temporal CLI is marked in the register and the FG and deputy are emailed once', async () => {
    const { breachId, deadline } = await triagedBreach();
    await terminate(breachId);

    const row = await eventually(async () => {
      const r = await h.register.breach(breachId);
      return r?.ended_outside_at ? r : undefined;
    }, 'the register to mark the breach');
    expect(row).toMatchObject({
      ended_outside_status: 'TERMINATED',
      ended_outside_run: breachId,
      ended_outside_cause: 'operator',
      closed_at: null,
    });

    await eventually(() => endedMails(breachId).length >= 2, 'the emails to the FG and deputy');
    await rounds(watch(), 3);
    const mails = endedMails(breachId);
    expect(mails.flatMap((m) => m.to).sort()).toEqual([FG, FG_DEPUTY].sort());
    expect(mails[0]!.subject).toBe(`[${breachId}] Datalek-workflow buiten lekdicht beëindigd: breach`);
    expect(mails[0]!.text).toContain(`De run ${breachId} (de datalek-workflow zelf) is buiten lekdicht om geëindigd`);
    // Its playbooks are started apart (workflows/resumable.ts): the 72-hour clock runs on, and the notice says so.
    expect(mails[0]!.text).toContain(
      `Uiterste meldtermijn AP (72 uur): ${formatTime(deadline, 'nl')}. Het playbook meldtermijnen loopt nog`,
    );
    expect(mails[0]!.text).toContain(`temporal workflow reset --workflow-id ${breachId}`);

    // One ended run, the breach: its playbooks run on (started apart) and are not noticed apart.
    const ended = await h.register.endedRuns(breachId);
    expect(ended).toHaveLength(1);
    expect(ended[0]).toMatchObject({
      workflow_id: breachId,
      playbook: 'breach',
      status: 'TERMINATED',
      cause: 'operator',
      notify_attempts: 1,
      notify_error: null,
    });
    expect(ended[0]!.notified_at).not.toBeNull();
    expect((await h.register.events(breachId)).map((e) => e.kind)).toContain('ended-outside-lekdicht');

    // The register page and its CSV say so: not open.
    const rows = await h.register.breaches();
    const ids = (query: string) =>
      filterRegister(rows, parseRegisterFilter(new URLSearchParams(query))).map((r) => r.breach_id);
    expect(ids('status=open')).not.toContain(breachId);
    expect(ids('status=ended-outside')).toContain(breachId);
    const page = renderRegister(
      rows.filter((r) => r.breach_id === breachId),
      {},
      { lang: 'nl' },
    );
    expect(page).toContain('Buiten lekdicht beëindigd');
    const csv = (parseCsv(registerCsv(rows), { columns: true }) as Record<string, string>[]).find(
      (r) => r.breach_id === breachId,
    );
    expect(csv).toMatchObject({
      status: 'ended-outside',
      ended_outside_status: 'TERMINATED',
      ended_outside_run: breachId,
      ended_outside_cause: 'operator',
    });

    // The operator's free-text reason is nowhere: register, emails, worker log.
    expect(JSON.stringify([await h.register.breach(breachId), await h.register.events(breachId), ended])).not.toContain(
      'marieke',
    );
    expect(mails.map((m) => m.text).join('\n')).not.toContain('marieke');
    const watchLines = logs.lines.filter((l) => l.includes('ended-outside watch'));
    expect(watchLines.some((l) => l.includes(breachId) && l.includes('TERMINATED'))).toBe(true);
    expect(logs.lines.join('\n')).not.toContain('marieke');
  });

  it('a terminated notification playbook (the 72-hour clock) is noticed while the breach still waits on it', async () => {
    const { breachId } = await triagedBreach();
    await terminate(`${breachId}.notification`);

    const row = await eventually(async () => {
      const r = await h.register.breach(breachId);
      return r?.ended_outside_at ? r : undefined;
    }, 'the register to mark the playbook');
    expect(row).toMatchObject({
      ended_outside_status: 'TERMINATED',
      ended_outside_run: `${breachId}.notification`,
      ended_outside_cause: 'operator',
    });
    await eventually(() => endedMails(breachId).length >= 2, 'the emails to the FG and deputy');
    await rounds(watch(), 3);
    const mails = endedMails(breachId);
    expect(mails.flatMap((m) => m.to).sort()).toEqual([FG, FG_DEPUTY].sort());
    expect(mails[0]!.subject).toBe(`[${breachId}] Datalek-workflow buiten lekdicht beëindigd: notification`);
    expect(mails[0]!.text).toContain('het playbook meldtermijnen (de 72-uursklok)');
    // The breach itself still runs, waiting on a clock that is gone: that is what was noticed, once.
    expect((await h.client.workflow.getHandle(breachId).describe()).status.name).toBe('RUNNING');
    expect((await h.register.endedRuns(breachId)).map((r) => [r.workflow_id, r.status])).toEqual([
      [`${breachId}.notification`, 'TERMINATED'],
    ]);
  });

  it('two watches on the same register send one email per recipient, not two', async () => {
    // A second worker process's worth: its own register connection, its own watch, the same register file.
    const second: LekdichtWorker = await createLekdichtWorker(
      testWorkerOptions(
        { address: inject('temporalAddress'), namespace: inject('temporalNamespace') },
        h.config,
        h.taskQueue,
      ),
    );
    const running = second.run();
    try {
      const { breachId } = await triagedBreach();
      await terminate(breachId);
      // Both watches look at once, again and again, besides their own timers.
      await eventually(async () => {
        await Promise.all([watch().round(), second.watch.round(), watch().round(), second.watch.round()]);
        return (await h.register.endedRuns(breachId))[0]?.notified_at ?? undefined;
      }, 'the ended run to be claimed and told');
      await Promise.all([rounds(watch(), 3), rounds(second.watch, 3)]);
      const mails = endedMails(breachId);
      expect(mails.flatMap((m) => m.to).sort()).toEqual([FG, FG_DEPUTY].sort());
      const ended = await h.register.endedRuns(breachId);
      expect(ended).toHaveLength(1);
      expect(ended[0]!.notify_attempts).toBe(1);
      expect((await h.register.emails(breachId)).filter((e) => e.purpose.startsWith('ended-outside:'))).toHaveLength(2);
    } finally {
      second.worker.shutdown();
      await running;
    }
  });

  it('an email the mail server refuses for now is sent on a later round, once', async () => {
    const { breachId } = await triagedBreach();
    h.mailbox.refuseWith = { code: 451, message: 'Try again later' };
    try {
      await terminate(breachId);
      const refused = await eventually(async () => {
        const r = (await h.register.endedRuns(breachId))[0];
        return r && r.notify_attempts >= 2 ? r : undefined;
      }, 'two refused tries');
      expect(refused).toMatchObject({ notified_at: null, notify_error: 'SmtpTransientFailure' });
      expect(endedMails(breachId)).toEqual([]);
    } finally {
      h.mailbox.refuseWith = undefined;
    }
    await eventually(
      async () => (await h.register.endedRuns(breachId))[0]?.notified_at ?? undefined,
      'the notice to go out',
    );
    await rounds(watch(), 3);
    expect(
      endedMails(breachId)
        .flatMap((m) => m.to)
        .sort(),
    ).toEqual([FG, FG_DEPUTY].sort());
    expect(await h.register.endedRuns(breachId)).toHaveLength(1);
  });

  async function reset(breachId: string, type: 'FirstWorkflowTask' | 'LastWorkflowTask'): Promise<void> {
    await run(findTemporalCli()!, [
      'workflow',
      'reset',
      '--address',
      inject('temporalAddress'),
      '--namespace',
      inject('temporalNamespace'),
      '-w',
      breachId,
      '--type',
      type,
      '--reason',
      REASON_MARKER,
    ]);
  }

  it('a breach terminated and reset to its last step runs again; its 72-hour clock, started apart, never stopped', async () => {
    const { breachId } = await triagedBreach();
    await eventually(
      async () =>
        (await h.register.events(breachId)).some((e) => e.kind === 'task-opened' && e.text.includes('first-picture')),
      'the first picture task',
    );
    await terminate(breachId);
    await eventually(
      async () => (await h.register.breach(breachId))?.ended_outside_at ?? undefined,
      'the register to mark the breach',
    );
    // The playbooks are started apart (workflows/resumable.ts): the notification playbook runs on, and the notice says so.
    expect((await h.client.workflow.getHandle(`${breachId}.notification`).describe()).status.name).toBe('RUNNING');
    const mails = await eventually(() => endedMails(breachId).length >= 2 && endedMails(breachId), 'the notice');
    expect(mails[0]!.text).toContain(
      'Het playbook meldtermijnen loopt nog: herinneringen en escalatie over deze termijn gaan door',
    );
    expect(mails[0]!.text).not.toContain('NIET meer bewaakt');

    await reset(breachId, 'LastWorkflowTask');
    // Generous waits: in the full suite on two cores the reset, its replay and the watch rounds once took over 30 s.
    await eventually(
      async () => (await h.register.breach(breachId))?.ended_outside_at === null,
      'the mark to be cleared',
      120_000,
    );
    await rounds(watch(), 3);
    // Nothing else ended: no second notice, and the breach goes on with the playbook it started before.
    expect(endedMails(breachId)).toHaveLength(2);
    expect((await h.register.endedRuns(breachId)).map((r) => r.workflow_id)).toEqual([breachId]);
    expect((await h.register.events(breachId)).map((e) => e.kind)).toContain('running-again');
    await h.complete(breachId, 'first-picture', 'ciso@test.example', answers.firstPicture());
    await h.openTask(breachId, 'containment-1');
    expect((await h.view(breachId)).deadlines.find((d) => d.kind === 'gdpr-authority')).toMatchObject({
      status: 'pending',
    });
  }, 240_000);

  it('a breach ended in triage and reset runs again: the mark is cleared and nothing more is sent', async () => {
    const breachId = await h.report(signal());
    await h.openTask(breachId, 'triage');
    await eventually(async () => await h.register.breach(breachId), 'the register row');
    await terminate(breachId);
    await eventually(
      async () => (await h.register.breach(breachId))?.ended_outside_at ?? undefined,
      'the register to mark the breach',
    );
    await eventually(() => endedMails(breachId).length >= 2, 'the notice');
    expect(endedMails(breachId)[0]!.text).toContain('De meldtermijn is nog niet vastgesteld (triage niet afgerond)');
    await reset(breachId, 'LastWorkflowTask');

    await eventually(
      async () => (await h.register.breach(breachId))?.ended_outside_at === null,
      'the mark to be cleared',
    );
    // It goes on: triage starts the 72-hour clock, a playbook run of this run, watched like any other.
    await h.complete(breachId, 'triage', FG, answers.triageBreach());
    await eventually(
      async () => (await h.client.workflow.getHandle(`${breachId}.notification`).describe()).status.name === 'RUNNING',
      'the notification playbook',
    );
    await rounds(watch(), 3);
    expect(await h.register.breach(breachId)).toMatchObject({ ended_outside_at: null, closed_at: null });
    expect(filterRegister(await h.register.breaches(), { status: 'open' }).map((r) => r.breach_id)).toContain(breachId);
    expect(endedMails(breachId)).toHaveLength(2);
    expect((await h.register.endedRuns(breachId)).map((r) => r.workflow_id)).toEqual([breachId]);
    expect((await h.register.events(breachId)).map((e) => e.kind)).toContain('running-again');
  });

  it('a breach that runs normally is left alone', async () => {
    const { breachId } = await triagedBreach();
    await h.complete(breachId, 'first-picture', 'ciso@test.example', answers.firstPicture());
    await rounds(watch(), 3);
    expect(await h.register.breach(breachId)).toMatchObject({ ended_outside_at: null, closed_at: null });
    expect(await h.register.endedRuns(breachId)).toEqual([]);
    expect(endedMails(breachId)).toEqual([]);
    const rows = await h.register.breaches();
    expect(filterRegister(rows, { status: 'open' }).map((r) => r.breach_id)).toContain(breachId);
    // The watch saw its runs running (so a run that later vanishes would be told apart from one never started).
    expect((await h.register.watchedRun(breachId))?.status).toBe('RUNNING');
    expect((await h.register.watchedRun(`${breachId}.notification`))?.status).toBe('RUNNING');
  });
});

/**
 * The attack of issue 11 itself, shrunk: duplicate reports grow a breach's history until Temporal terminates it.
 * A dev server of its own with a history limit of 150 events (instead of 51,200) does in seconds what 1,550
 * replayed requests did: the server ends the run, and the watch must tell it apart from an operator's act.
 */
describe('a breach terminated by the server for its history size', () => {
  let server: LimitedServer | undefined;
  let h: Harness;

  beforeAll(async () => {
    server = await startLimitedServer(['limit.historyCount.warn=100', 'limit.historyCount.error=150']);
    h = await Harness.start({ watchEvery: '1s' }, { temporal: server });
  }, 90_000);
  afterAll(async () => {
    await h?.close();
    await server?.stop();
  });

  it('is marked with the cause history-count-limit and the FG and deputy are emailed once', async () => {
    const report = signal();
    const breachId = await h.report(report);
    await h.complete(breachId, 'triage', FG, answers.triageBreach());
    // The same event reported again and again (a SIEM in a retry loop), until the server ends the run.
    const handle = h.client.workflow.getHandle(breachId);
    await eventually(
      async () => {
        if ((await handle.describe()).status.name === 'TERMINATED') return true;
        await h.report(report);
        return false;
      },
      'the server to terminate the breach',
      60_000,
    );

    const row = await eventually(async () => {
      const r = await h.register.breach(breachId);
      return r?.ended_outside_at ? r : undefined;
    }, 'the register to mark the breach');
    expect(row).toMatchObject({
      ended_outside_status: 'TERMINATED',
      ended_outside_run: breachId,
      ended_outside_cause: 'history-count-limit',
      closed_at: null,
    });
    const mails = await eventually(() => {
      const m = h.mailbox.mails.filter(
        (mail) => mail.purpose.startsWith('ended-outside:') && mail.subject.startsWith(`[${breachId}]`),
      );
      return m.length >= 2 && m;
    }, 'the emails to the FG and deputy');
    const w = h.lekdicht!.watch;
    const from = w.rounds;
    await eventually(() => w.rounds >= from + 3, '3 watch rounds');
    expect(
      h.mailbox.mails
        .filter((mail) => mail.purpose.startsWith('ended-outside:'))
        .flatMap((m) => m.to)
        .sort(),
    ).toEqual([FG, FG_DEPUTY].sort());
    expect(mails[0]!.text).toContain('beëindigd (terminated) (history-count-limit)');
  });
});
