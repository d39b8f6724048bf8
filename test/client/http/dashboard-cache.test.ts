import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseViewCache } from '../../../client/http/case-cache';
import { webPages } from '../../../client/http/web-pages';
import { answers, signal } from '../../support/answers';
import { eventually, Harness } from '../../support/harness';
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
