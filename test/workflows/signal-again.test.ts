import { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plaintextClient } from '../support/acts';
import { answers, signal } from '../support/answers';
import { Harness, captureWorkerLogs, eventually } from '../support/harness';
import { startLimitedServer, type LimitedServer } from '../support/limited-server';
import { CISO, FG, ICT, PROCESS_OWNER } from '../support/people';

/** Temporal's cap on signals per run here: far under the history budget, so a full run stays full. */
const SIGNALS_PER_RUN = 20;
const RUN_FULL = /exceeded workflow execution limit for signal events/;

/**
 * Found beside the refused reports: the breach tells the notification playbook the FG's decision by a signal, and
 * anyone on Temporal's frontend can fill the playbook's run with signals of their own (its workflow id is the
 * breach's plus ".notification"). Temporal then refused the breach's signal, and the breach failed on it: hostile
 * volume ended a breach. Now the breach sends it again until it is taken (workflows/signal-again.ts). Here the run
 * stays full (the cap far under the history budget, so it never has reason to move on): the breach lives on.
 */
describe("a breach whose notification playbook's run is full when the FG decides", () => {
  let h: Harness;
  let plain: Client;
  let server: LimitedServer | undefined;

  beforeAll(async () => {
    server = await startLimitedServer([`history.maximumSignalsPerExecution=${SIGNALS_PER_RUN}`]);
    h = await Harness.start({ containmentRecheck: '1s' }, { temporal: server });
    plain = plaintextClient(server.connection, server.namespace);
  }, 90_000);
  afterAll(async () => {
    await h?.close();
    await server?.stop();
  });

  it('keeps running and sends the decision again, instead of failing', async () => {
    const breachId = await h.report(signal());
    await h.completeAtRest(breachId, 'triage', FG, answers.triageBreach());
    await h.completeAtRest(breachId, 'first-picture', CISO, answers.firstPicture());
    await h.completeAtRest(breachId, 'containment-1', ICT, answers.containment(false));
    await h.completeAtRest(breachId, 'containment-confirmation-1', CISO, answers.confirmContainment(true));
    await h.completeAtRest(breachId, 'impact', PROCESS_OWNER, answers.impact());
    await h.openTask(breachId, 'notification-decision');

    // Someone on the frontend fills the notification playbook's run.
    const forged = { taskId: 'authority-notification', actor: FG, answer: answers.authorityNotification() };
    await eventually(async () => {
      try {
        await plain.workflow.getHandle(`${breachId}.notification`).signal('completeTaskAsync', forged);
        return false;
      } catch (err) {
        if (RUN_FULL.test(String((err as Error).cause ?? err))) return true;
        throw err;
      }
    }, "the notification playbook's run full");

    const logs = captureWorkerLogs();
    await h.complete(breachId, 'notification-decision', FG, answers.decision(true, true));
    await eventually(
      () => logs.lines.some((l) => /Signal refused; sent again later.*per-workflow signal limit/.test(l)),
      "the breach's signal refused",
    );
    // Refused again after 5 s (the second wait is 10 s): the breach still runs, its decision recorded.
    await eventually(
      () => logs.lines.filter((l) => /Signal refused; sent again later/.test(l)).length >= 2,
      'the signal sent again',
    );
    logs.stop();
    const described = await h.client.workflow.getHandle(breachId).describe();
    expect(described.status.name).toBe('RUNNING');
    const view = await h.view(breachId);
    expect(view.tasks.find((t) => t.id === 'notification-decision')?.status).toBe('done');
  }, 300_000);
});
