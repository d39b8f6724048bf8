import { randomBytes } from 'node:crypto';
import { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseViewCache } from '../../../client/http/case-cache';
import { webPages } from '../../../client/http/web-pages';
import { breachWorkflowType } from '../../../workflows/messages';
import { answers, signal } from '../../support/answers';
import { eventually, Harness, testDataConverter } from '../../support/harness';
import { HttpFixture, type Agent } from '../../support/http';
import { FG } from '../../support/people';

/**
 * The dashboard reads each open breach's case view once and then only when the register shows a change
 * (client/http/case-cache.ts), on the real stack: a change made through the workflow is on the next dashboard, and
 * a breach that has not changed is shown whole without asking its workflow, even with no worker to answer.
 */
describe('the dashboard over cached case views', () => {
  let h: Harness;
  let http: HttpFixture;
  let fg: Agent;
  let breachId: string;

  /** The breach's row on the FG's dashboard, and the ids of the open tasks it lists. */
  const row = async () => {
    const res = await fg.get('/');
    expect(res.statusCode).toBe(200);
    const html = res.body;
    const start = html.indexOf(`data-breach="${breachId}"`);
    if (start < 0) return undefined;
    const tr = html.slice(start, html.indexOf('</tr>', start));
    return { tasks: [...tr.matchAll(/data-task="([^"]+)"/g)].map((m) => m[1]) };
  };

  beforeAll(async () => {
    h = await Harness.start();
    // Settled at once: every view asked after a breach's latest entry is good until the next entry.
    http = await HttpFixture.start(h, {
      pages: [webPages],
      caseCache: new CaseViewCache({ settleMs: 0 }),
      queryDeadlineMs: 1_000,
    });
    fg = await http.as(FG);
    breachId = await h.report(signal());
    await h.openTask(breachId, 'triage');
  });
  afterAll(async () => {
    await http?.close();
    await h?.close();
  });

  it('shows the open task, and the next one as soon as the workflow has moved on', async () => {
    expect(await eventually(async () => (await row())?.tasks.includes('triage') && row(), 'triage listed')).toEqual({
      tasks: ['triage'],
    });
    await h.complete(breachId, 'triage', FG, answers.triageBreach());
    await eventually(async () => {
      const tasks = (await row())?.tasks ?? [];
      return !tasks.includes('triage') && tasks.includes('first-picture');
    }, 'the dashboard after triage');
  });

  it('shows a breach that has not changed whole from its cached view, even with no worker to answer a query', async () => {
    // Quiet: the emails and tickets of the first picture are written, the register's mark stays as it is.
    await eventually(async () => {
      const first = await h.register.changeMarks([breachId]);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const second = await h.register.changeMarks([breachId]);
      return JSON.stringify([...first]) === JSON.stringify([...second]);
    }, 'the breach quiet');
    const before = await row();
    expect(before?.tasks).toContain('first-picture');
    await h.stopWorker();
    // Without the cache this row would be visibility's summary only (no tasks): the query would time out.
    expect(await row()).toEqual(before);
  });
});

/**
 * Found in CI: the run's Temporal server held hundreds of running breaches whose test workers were gone, and with
 * 16 queries in flight, each waiting out its deadline, one dashboard took minutes. A page now has one budget for
 * its queries, and a breach that did not answer in time is not asked again until it changes or 30 s have passed.
 */
describe('the dashboard beside breaches no worker answers for', () => {
  const ORPHANS = 40;
  let h: Harness;
  let http: HttpFixture;
  let fg: Agent;
  let breachId: string;
  const orphans = Array.from({ length: ORPHANS }, () => `breach-${randomBytes(10).toString('hex')}`);
  /** Every case-view query the HTTP service sent, by workflow id. */
  const queried: string[] = [];

  beforeAll(async () => {
    h = await Harness.start();
    // Breaches on a task queue that no worker polls: their queries are never answered.
    const nobody = `nobody-${randomBytes(6).toString('hex')}`;
    for (const id of orphans)
      await h.client.workflow.start(breachWorkflowType, { workflowId: id, taskQueue: nobody, args: [] });
    const client = new Client({
      connection: h.client.connection,
      namespace: h.client.options.namespace,
      dataConverter: testDataConverter(),
      interceptors: {
        workflow: [
          {
            query: (input, next) => {
              queried.push(input.workflowExecution.workflowId);
              return next(input);
            },
          },
        ],
      },
    });
    // Not asked again within the test however long it takes on a busy machine (the default is 30 s).
    http = await HttpFixture.start(h, {
      pages: [webPages],
      client,
      queryDeadlineMs: 1_000,
      caseCache: new CaseViewCache({ unansweredRetryMs: 10 * 60_000 }),
    });
    fg = await http.as(FG);
    breachId = await h.report(signal());
    await h.openTask(breachId, 'triage');
  });
  afterAll(async () => {
    await http?.close();
    // Not left behind for the other test files' dashboards.
    await Promise.allSettled(orphans.map((id) => h.client.workflow.getHandle(id).terminate('test over')));
    await h?.close();
  });

  it('asks each of them once, lists them all, and shows the answering breach whole within a few loads', async () => {
    await eventually(async () => {
      const ids = [...(await fg.get('/')).body.matchAll(/data-breach="([^"]+)"/g)].map((m) => m[1]);
      return orphans.every((id) => ids.includes(id)) && ids.includes(breachId);
    }, 'all of them listed');
    let loads = 0;
    await eventually(async () => {
      loads += 1;
      const html = (await fg.get('/')).body;
      const start = html.indexOf(`data-breach="${breachId}"`);
      return html.slice(start, html.indexOf('</tr>', start)).includes('data-task="triage"');
    }, 'the answering breach with its task');
    // 40 breaches, 16 queries in flight, 1 s a page: at most three loads until every one was asked once.
    expect(loads).toBeLessThanOrEqual(4);
    const perOrphan = orphans.map((id) => queried.filter((q) => q === id).length);
    expect(Math.max(...perOrphan)).toBe(1);
  });
});
