import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dataConverterFromKeys } from '../../codec/data-converter';
import { parseKeyRing } from '../../codec/keys';
import { listBreaches } from '../../client/shared/breaches';
import { breachWorkflowType } from '../../workflows/messages';
import { freePort } from '../../devstack/ports';
import type { CaseView } from '../../domain/case';
import { answers, signal } from '../support/answers';
import { eventually } from '../support/harness';
import { Mailbox } from '../support/mailbox';
import { CISO, FG } from '../support/people';
import {
  LekdichtProcess,
  WebSession,
  registerRecords,
  reportThrough,
  prepareStores,
  writeConfig,
} from './support/lekdicht';

const HOUR_MS = 3_600_000;
const hoursAgo = (h: number) => new Date(Date.now() - h * HOUR_MS).toISOString();
/**
 * Six breaches, three reported through each HTTP instance. Their awareness times put one deadline within 12 hours
 * (the dashboard's "critical"), one already past (late), the others days away.
 */
const AWARE_HOURS_AGO = [2, 65, 2, 80, 2, 2];
const CRITICAL = 1;
const LATE = 3;

describe('two workers and two HTTP instances on the real Temporal server (PostgreSQL, SQL visibility)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lekdicht-production-'));
  const mailbox = new Mailbox();
  const taskQueue = `production-${randomUUID()}`;
  let workers: LekdichtProcess[] = [];
  let https: LekdichtProcess[] = [];
  let client: Client;
  const breachIds: string[] = [];
  const views = new Map<string, CaseView>();
  let killedWorkerPid = 0;
  /** The dashboard's filters through the first instance, read before it was stopped. */
  let dashboardBeforeStop: { critical: string[]; late: string[] } | undefined;

  let duplicateReport: { breachId: string; duplicate: boolean } | undefined;
  const eventIdOf = (i: number) => `production-${taskQueue}-${i}`;
  const view = (id: string) => views.get(id)!;
  const authorityDue = (id: string) => view(id).deadlines.find((d) => d.kind === 'gdpr-authority')?.due;
  const via = (i: number) => https[i % 2]!;

  /** The dashboard page's rows for a filter (data-breach of each row), as the FG sees them. */
  const dashboardRows = async (fg: WebSession, instance: LekdichtProcess, filter: string) => {
    const res = await fg.request(instance, 'GET', `/?filter=${filter}`);
    expect(res.status).toBe(200);
    return [...(await res.text()).matchAll(/data-breach="([^"]+)"/g)].map((m) => m[1]!).sort();
  };

  const caseVia = (session: WebSession, instance: LekdichtProcess, id: string) =>
    session.json<CaseView>(instance, 'GET', `/api/breaches/${id}`);

  const waitForOpenTask = (session: WebSession, instance: LekdichtProcess, id: string, taskId: string) =>
    eventually(
      async () => (await caseVia(session, instance, id)).tasks.some((t) => t.id === taskId && t.status === 'open'),
      `${id}: task ${taskId} open`,
      120_000,
    );

  beforeAll(async () => {
    const smtpPort = await mailbox.start();
    const configFile = writeConfig(dir, { smtpPort, taskQueue });
    await prepareStores();
    const ports = [await freePort(), await freePort()];
    // Started together, each on the prebuilt workflow bundle, as the image runs them.
    workers = await Promise.all([
      LekdichtProcess.worker('worker-1', dir, configFile),
      LekdichtProcess.worker('worker-2', dir, configFile),
    ]);
    https = await Promise.all([
      LekdichtProcess.http('http-1', dir, configFile, ports[0]!),
      LekdichtProcess.http('http-2', dir, configFile, ports[1]!),
    ]);
    const keys = parseKeyRing(inject('productionCodecKeys'), 'the production suite');
    client = new Client({
      connection: await Connection.connect({ address: inject('clusterAddress') }),
      namespace: inject('clusterNamespace'),
      dataConverter: dataConverterFromKeys({ keys, source: 'production suite' }).dataConverter,
    });

    // Reported through both instances.
    for (const i of AWARE_HOURS_AGO.keys()) {
      const reported = await reportThrough(via(i), signal({ eventId: eventIdOf(i) }));
      expect(reported.duplicate).toBe(false);
      breachIds.push(reported.breachId);
    }

    // Each person logs in once, on one instance; the session (in the shared auth store) serves on both.
    const fg = await WebSession.login(https[0]!, FG);
    const ciso = await WebSession.login(https[1]!, CISO);

    // Triage through both instances, alternately.
    await Promise.all(
      breachIds.map(async (id, i) => {
        await waitForOpenTask(fg, via(i), id, 'triage');
        await fg.json(via(i), 'POST', `/api/breaches/${id}/tasks/triage`, {
          answer: answers.triageBreach(hoursAgo(AWARE_HOURS_AGO[i]!)),
        });
      }),
    );

    // Mid-playbook: the breaches now send their team emails, start their deadline playbooks and open the first
    // picture. The first of those emails to arrive is the moment to SIGKILL a worker.
    await eventually(
      () => mailbox.withPurpose('task-assigned:first-picture').length > 0,
      'a first-picture email',
      120_000,
    );
    killedWorkerPid = workers[0]!.pid;
    await workers[0]!.kill();

    // The dashboard's deadline filters through the first instance, once visibility shows every deadline.
    await eventually(
      async () => (await listBreaches(client)).filter((b) => b.notificationDeadline).length === breachIds.length,
      'every deadline in visibility',
      120_000,
    );
    dashboardBeforeStop = {
      critical: await dashboardRows(fg, https[0]!, 'critical'),
      late: await dashboardRows(fg, https[0]!, 'late'),
    };

    // First picture: the first three through the first instance, which is then stopped; the rest through the second,
    // with the session made on the first for the FG (the CISO's was made on the second).
    for (const [i, id] of breachIds.entries()) {
      if (i === 3) await https[0]!.stop();
      const instance = i < 3 ? https[0]! : https[1]!;
      await waitForOpenTask(ciso, instance, id, 'first-picture');
      await ciso.json(instance, 'POST', `/api/breaches/${id}/tasks/first-picture`, { answer: answers.firstPicture() });
    }

    // The first breach's event reported again, now through the second instance: it joins the running breach.
    duplicateReport = await reportThrough(https[1]!, signal({ eventId: eventIdOf(0) }));

    // Every breach reaches its next phase (containment), read through the remaining instance with the FG's
    // session from the stopped one.
    for (const id of breachIds) {
      views.set(
        id,
        await eventually(
          async () => {
            const v = await caseVia(fg, https[1]!, id);
            return v.phase === 'containment' && v.tasks.some((t) => t.id === 'containment-1' && t.status === 'open')
              ? v
              : undefined;
          },
          `${id} in containment`,
          120_000,
        ),
      );
    }
    // Emails of the phase just entered may still be on their way.
    await eventually(
      () =>
        breachIds.every((id) =>
          mailbox.mails.some((m) => m.subject.startsWith(`[${id}]`) && m.purpose === 'task-assigned:containment-1'),
        ),
      'the containment emails',
      120_000,
    );
  }, 600_000);

  afterAll(async () => {
    for (const proc of [...https, ...workers]) await proc.stop();
    await client?.connection.close();
    await mailbox.stop();
  });

  it('ran two workers and two HTTP instances as processes; killed one worker and stopped one instance', () => {
    expect(workers[0]!.exitSignal).toBe('SIGKILL');
    expect(workers[1]!.running).toBe(true);
    // A graceful stop on SIGTERM ends with code 0.
    expect(https[0]!.exitCode).toBe(0);
    expect(https[1]!.running).toBe(true);
    expect(killedWorkerPid).toBeGreaterThan(0);
  });

  it('brought every breach reported through either instance to its next phase', () => {
    expect(breachIds).toHaveLength(6);
    expect(new Set(breachIds).size).toBe(6);
    for (const id of breachIds) {
      expect(view(id).phase).toBe('containment');
      expect(
        view(id)
          .tasks.filter((t) => ['triage', 'first-picture'].includes(t.id))
          .map((t) => t.status),
      ).toEqual(['done', 'done']);
    }
  });

  it('recognised an event reported through one instance and again through the other as the same breach', async () => {
    expect(duplicateReport).toEqual({ breachId: breachIds[0], duplicate: true });
    const fg = await WebSession.login(https[1]!, FG);
    // The duplicate reaches the workflow as a signal: counted once its workflow task has run.
    const first = await eventually(
      async () => {
        const v = await caseVia(fg, https[1]!, breachIds[0]!);
        return v.duplicates?.length ? v : undefined;
      },
      'the duplicate counted',
      30_000,
    );
    expect(first.reports).toHaveLength(1);
    expect(first.duplicates).toEqual([expect.objectContaining({ source: 'dlp', count: 1 })]);
    for (const id of breachIds.slice(1)) expect(view(id).duplicates ?? []).toEqual([]);
  });

  it('shared the work between both workers (the killed one had completed workflow tasks)', async () => {
    const identities = new Set<string>();
    for (const id of breachIds) {
      for (const event of (await client.workflow.getHandle(id).fetchHistory()).events ?? []) {
        const identity =
          event.workflowTaskCompletedEventAttributes?.identity ?? event.activityTaskStartedEventAttributes?.identity;
        if (identity) identities.add(identity.split('@')[0]!);
      }
    }
    expect(identities).toContain(String(killedWorkerPid));
    expect(identities).toContain(String(workers[1]!.pid));
  });

  it('sent no email twice: one Message-ID per breach, purpose and recipient, each the register recorded', async () => {
    const mine = mailbox.mails.filter((m) => breachIds.some((id) => m.subject.startsWith(`[${id}]`)));
    expect(mine.length).toBeGreaterThan(breachIds.length * 3);
    const idsPerEmail = new Map<string, Set<string>>();
    const contentPerId = new Map<string, Set<string>>();
    for (const m of mine) {
      const key = `${m.subject.slice(0, m.subject.indexOf(']') + 1)} ${m.purpose} → ${m.to.join(',')}`;
      idsPerEmail.set(key, (idsPerEmail.get(key) ?? new Set()).add(m.messageId));
      contentPerId.set(m.messageId, (contentPerId.get(m.messageId) ?? new Set()).add(`${m.subject}\n${m.text}`));
    }
    expect([...idsPerEmail].filter(([, ids]) => ids.size > 1)).toEqual([]);
    // A copy delivered again after the SIGKILL (the worker died before it saw the "250") is the same email: same
    // Message-ID and the same bytes, which mail clients show once.
    expect([...contentPerId].filter(([, contents]) => contents.size > 1)).toEqual([]);
    const repeated = mine.filter((m, i) => mine.findIndex((o) => o.messageId === m.messageId) !== i);
    console.log(
      `emails delivered again after the kill, same Message-ID: ${repeated.map((m) => m.purpose).join(', ') || 'none'}`,
    );
    expect(repeated.length).toBeLessThanOrEqual(4);

    const records = await registerRecords(breachIds);
    // Each copy delivered again was a retry of the same email (its attempts counted before each send), not a second
    // worker sending it beside the first.
    const attempts = new Map(records.flatMap((r) => r.attempts.map((a) => [a.message_id, a.attempts] as const)));
    for (const m of repeated) expect(attempts.get(m.messageId)).toBeGreaterThanOrEqual(2);
    const recorded = records.flatMap((r) => r.emails.map((e) => e.message_id));
    expect([...contentPerId.keys()].sort()).toEqual([...recorded].sort());
    expect(new Set(recorded).size).toBe(recorded.length);
  });

  it('kept the register consistent with the cases: a row per breach, its phase, deadline, events and tickets', async () => {
    // Tickets are closed beside the playbook, not on its path: a close the SIGKILLed worker had taken is retried
    // by the other worker only after its start-to-close timeout (a minute), so the register gets there later.
    const closed = (record: Awaited<ReturnType<typeof registerRecords>>[number]) =>
      record.tickets.filter((t) => ['triage', 'first-picture'].includes(t.task_id) && t.status === 'done').length;
    const records = await eventually(
      async () => {
        const all = await registerRecords(breachIds);
        return all.every((r) => closed(r) === 2) ? all : undefined;
      },
      'the triage and first-picture tickets closed in the register',
      150_000,
    );
    for (const record of records) {
      const v = view(record.breachId);
      expect(record.row).toMatchObject({ breach_id: record.breachId, phase: 'containment' });
      expect(record.row?.notification_deadline).toBe(authorityDue(record.breachId));
      expect(v.breachId).toBe(record.breachId);
      const kinds = record.events.map((e) => e.kind);
      expect(kinds).toEqual(expect.arrayContaining(['signal-received', 'breach-confirmed']));
      expect(
        record.tickets.filter((t) => ['triage', 'first-picture'].includes(t.task_id)).map((t) => t.status),
      ).toEqual(['done', 'done']);
    }
    // The register page's data, through the instance still running, lists every breach once.
    const fg = await WebSession.login(https[1]!, FG);
    const rows = await fg.json<{ breachId?: string; breach_id?: string }[]>(https[1]!, 'GET', '/api/register');
    const listed = rows.map((r) => r.breachId ?? r.breach_id).filter((id) => breachIds.includes(id!));
    expect(listed.sort()).toEqual([...breachIds].sort());
  });

  it("answers the dashboard's deadline queries right on SQL visibility", async () => {
    const fg = await WebSession.login(https[1]!, FG);
    const expected = { critical: [breachIds[CRITICAL]!], late: [breachIds[LATE]!] };
    expect(dashboardBeforeStop).toEqual(expected);
    expect({
      critical: await dashboardRows(fg, https[1]!, 'critical'),
      late: await dashboardRows(fg, https[1]!, 'late'),
    }).toEqual(expected);
    expect((await dashboardRows(fg, https[1]!, 'all')).sort()).toEqual([...breachIds].sort());

    // The list the dashboard is built on: every breach with the phase and deadline its case has.
    const listed = (await listBreaches(client)).filter((b) => breachIds.includes(b.breachId));
    expect(listed.map((b) => [b.breachId, b.phase, b.notificationDeadline, b.status]).sort()).toEqual(
      breachIds.map((id) => [id, 'containment', authorityDue(id), 'RUNNING']).sort(),
    );

    // The deadline itself as a visibility query (a Datetime attribute compared on PostgreSQL), list and count: the
    // queries README's "The Temporal UI" gives for "due within 12 hours" and "late notifications".
    const now = new Date();
    const in12h = new Date(now.getTime() + 12 * HOUR_MS);
    const open = `WorkflowType = '${breachWorkflowType}' AND ExecutionStatus = 'Running' AND AuthorityNotified IS NULL`;
    const ids = async (query: string) => {
      const found: string[] = [];
      for await (const wf of client.workflow.list({ query })) found.push(wf.workflowId);
      return found.sort();
    };
    const count = async (query: string) => (await client.workflow.count(query)).count;
    const dueWithin12h = `${open} AND NotificationDeadline < '${in12h.toISOString()}'`;
    const late = `${open} AND NotificationDeadline < '${now.toISOString()}'`;
    expect(await ids(dueWithin12h)).toEqual([...expected.critical, ...expected.late].sort());
    expect(await ids(late)).toEqual(expected.late);
    expect(await count(dueWithin12h)).toBe(2);
    expect(await count(late)).toBe(1);
    expect(await ids(`${open} AND NotificationDeadline >= '${in12h.toISOString()}'`)).toEqual(
      breachIds.filter((_, i) => i !== CRITICAL && i !== LATE).sort(),
    );
    expect(await count(`WorkflowType = '${breachWorkflowType}' AND BreachPhase = 'containment'`)).toBe(6);
    expect(await count(`AuthorityNotified = true`)).toBe(0);
  });
});
