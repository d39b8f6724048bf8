import { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plaintextClient } from '../support/acts';
import { answers, signal } from '../support/answers';
import { TicketSink } from '../faults/support/ticket-sink';
import { Harness, captureWorkerLogs, eventually } from '../support/harness';
import { startLimitedServer, type LimitedServer } from '../support/limited-server';
import { CISO, FG, FG_DEPUTY } from '../support/people';
import { TALLY_WRITE_EVERY_MS } from '../../workflows/playbook-timeline';

const FLOOD = 3_000;
const BUDGET = 400;
const IN_FLIGHT = 16;
/** What Temporal answers a signal beyond history.maximumSignalsPerExecution. */
const RUN_FULL = /exceeded workflow execution limit for signal events/;
/**
 * Temporal takes at most this many signals per run (history.maximumSignalsPerExecution, default 10,000; lowered
 * here so the test runs in seconds) and refuses more until the run has moved on. A flood that never pauses keeps a
 * run from continuing as new (Temporal refuses to close a run while new events arrive), so this cap is what gives
 * every run its pause: between the two, no run comes near Temporal's 51,200 events however long a flood lasts.
 */
const SIGNALS_PER_RUN = 600;

/**
 * Sends `count` forged completions, 16 at a time, each once. Temporal takes what the run has room for and refuses
 * the rest ("exceeded workflow execution limit for signal events") until the run has continued as new. Sending a
 * refused one again was tried: on a busy machine the stream of refused calls kept a full run from moving on for
 * minutes. `unsure`: calls that failed otherwise (a deadline, say), which Temporal may or may not have taken.
 */
async function floodWith(
  plain: Client,
  workflowId: string,
  count: number,
  atLeast = 0,
): Promise<{ taken: number; unsure: number }> {
  const forged = { taskId: 'first-picture', actor: CISO, answer: answers.firstPicture() };
  let next = 0;
  let taken = 0;
  let unsure = 0;
  const send = async () => {
    try {
      await plain.workflow.getHandle(workflowId).signal('completeTaskAsync', forged);
      taken += 1;
      return true;
    } catch (err) {
      if (!RUN_FULL.test(String((err as Error).cause ?? err))) unsure += 1;
      return false;
    }
  };
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < count) {
        next += 1;
        await send();
      }
    }),
  );
  // On a very busy machine the whole flood can be refused before the full run has moved on (seen: 598 taken of
  // 3,000). Then more, one at a time with a pause after each refusal, until the run has moved on at least once.
  for (const until = Date.now() + 120_000; taken < atLeast && Date.now() < until;)
    if (!(await send())) await new Promise((resolve) => setTimeout(resolve, 250));
  return { taken, unsure };
}

/** The count the timeline line shows, if it shows one within what was sent for sure and what may have been. */
const within = (text: string | undefined, sent: { taken: number; unsure: number }) => {
  const n = Number(/^(\d+) message\(s\) refused/.exec(text ?? '')?.[1]);
  return n >= sent.taken && n <= sent.taken + sent.unsure ? n : undefined;
};

/**
 * Issue 11, bounded history: whoever reaches Temporal's frontend can send signals without lekdicht's keys. Each is
 * refused (workflows/interceptors.ts), but each is an event in the history, and 51,200 of them would end the breach.
 * With a budget of 400 events per run, the breach continues as new, carrying its state: the open task is the same
 * task, its overdue reminder and its escalation are not sent again, and the refusals go on being counted.
 */
describe('a breach flooded with refused signals continues as new, carrying its state', () => {
  let h: Harness;
  let plain: Client;
  let server: LimitedServer | undefined;

  beforeAll(async () => {
    server = await startLimitedServer([`history.maximumSignalsPerExecution=${SIGNALS_PER_RUN}`]);
    h = await Harness.start(
      { firstPictureDue: '2s', escalateToFgAfter: '6s' },
      { history: { eventsPerRun: BUDGET }, temporal: server },
    );
    plain = plaintextClient(server.connection, server.namespace);
  }, 90_000);
  afterAll(async () => {
    await h?.close();
    await server?.stop();
  });

  const runsOf = async (workflowId: string) => {
    const runs: { runId: string; status: string; historyLength: number }[] = [];
    for await (const wf of h.client.workflow.list({ query: `WorkflowId = '${workflowId}'` }))
      runs.push({ runId: wf.runId, status: wf.status.name, historyLength: wf.historyLength });
    return runs;
  };

  /** A flood that has filled at least one run: the workflow continued as new during it. */
  const flood = (workflowId: string, count: number) => floodWith(plain, workflowId, count, SIGNALS_PER_RUN + 1);

  it(`${FLOOD.toLocaleString('en')} plaintext signals: the breach lives on in short runs; the open task, its reminders and the count carry over`, async () => {
    const breachId = await h.report(signal());
    await h.complete(breachId, 'triage', FG, answers.triageBreach());
    const opened = await h.openTask(breachId, 'first-picture');
    // Overdue after 2 s (the CISO and deputy reminded), escalated to the FG 6 s later: both while the flood runs.
    const sent = await flood(breachId, FLOOD);
    const sentToClock = await flood(`${breachId}.notification`, FLOOD / 3);
    const taken = sent.taken;
    // More than a run takes: the breach continued as new during the flood.
    expect(taken).toBeGreaterThan(SIGNALS_PER_RUN);
    // Hardly any signal call may fail for another reason than a full run (a deadline on a busy machine).
    expect(sent.unsure + sentToClock.unsure).toBeLessThan(FLOOD / 20);

    const runs = await eventually(
      async () => {
        const r = await runsOf(breachId);
        return r.length >= Math.ceil(taken / SIGNALS_PER_RUN) && r;
      },
      'the breach to continue as new',
      60_000,
    );
    expect(runs.filter((r) => r.status === 'RUNNING')).toHaveLength(1);
    expect(runs.filter((r) => r.status !== 'RUNNING').every((r) => r.status === 'CONTINUED_AS_NEW')).toBe(true);
    // No run comes near Temporal's 51,200 events: at most the signals Temporal takes per run, and what the run did.
    expect(Math.max(...runs.map((r) => r.historyLength))).toBeLessThan(SIGNALS_PER_RUN + BUDGET + 200);
    // The notification playbook (the 72-hour clock) too, once its flood has passed.
    await eventually(
      async () => (await runsOf(`${breachId}.notification`)).length >= 2,
      'the notification playbook to continue as new',
      // On a busy machine a full run can take minutes to move on (not explained yet: see issue 16's notes).
      240_000,
    );

    // Every refusal counted, across the runs, on one timeline line per workflow (the playbook's reaches the case too).
    const refused = (n: number) => `${n} message(s) refused: not encrypted with lekdicht's payload keys`;
    const lines = (v: { timeline: { id: string; kind: string; text: string }[] }) =>
      Object.fromEntries(v.timeline.filter((e) => e.kind === 'refused-unencrypted').map((e) => [e.id, e.text]));
    let seen: unknown;
    const view = await eventually(
      async () => {
        const v = await h.view(breachId);
        seen = { refused: lines(v), escalated: v.timeline.some((e) => e.kind === 'task-escalated') };
        return (
          within(lines(v)['breach~refused-unencrypted'], sent) !== undefined &&
          within(lines(v)['notification~refused-unencrypted'], sentToClock) !== undefined &&
          v.timeline.some((e) => e.kind === 'task-escalated') &&
          v
        );
      },
      'the counts and the escalation',
      120_000,
    ).catch((err: Error) => {
      throw new Error(
        `${err.message}; sent ${JSON.stringify({ sent, sentToClock })}, last seen ${JSON.stringify(seen)}`,
      );
    });
    const counted = within(lines(view)['breach~refused-unencrypted'], sent)!;
    const expected = {
      'breach~refused-unencrypted': refused(counted),
      'notification~refused-unencrypted': refused(
        within(lines(view)['notification~refused-unencrypted'], sentToClock)!,
      ),
    };
    expect(lines(view)).toEqual(expected);
    await eventually(
      async () => (await h.register.events(breachId)).some((e) => e.text === refused(counted)),
      'the count in the register',
      60_000,
    );

    // The same task: opened once, ticketed once, emailed once; overdue and escalated once each.
    const task = view.tasks.find((t) => t.id === 'first-picture')!;
    expect(task).toMatchObject({
      status: 'open',
      overdue: true,
      createdAt: opened.createdAt,
      ticketRef: expect.any(String),
    });
    expect(view.timeline.filter((e) => e.kind === 'task-opened' && e.text.includes('first-picture'))).toHaveLength(1);
    expect(view.timeline.filter((e) => e.kind === 'task-overdue')).toHaveLength(1);
    expect(view.timeline.filter((e) => e.kind === 'task-escalated')).toHaveLength(1);
    const assigned = h.mailbox.withPurpose('task-assigned:first-picture').flatMap((m) => m.to);
    expect(assigned).toContain(CISO);
    expect(new Set(assigned).size).toBe(assigned.length);
    const reminded = h.mailbox.withPurpose('task-overdue:first-picture').flatMap((m) => m.to);
    expect(reminded).toContain(CISO);
    expect(new Set(reminded).size).toBe(reminded.length);
    // Escalated to the FG role (both holders), once each.
    expect(
      h.mailbox
        .withPurpose('task-escalated:first-picture')
        .flatMap((m) => m.to)
        .sort(),
    ).toEqual([FG, FG_DEPUTY].sort());
    // The 72-hour clock: one deadline, set once.
    expect(view.deadlines.filter((d) => d.kind === 'gdpr-authority')).toHaveLength(1);
    expect(view.timeline.filter((e) => e.kind === 'deadline-set')).toHaveLength(1);

    // And the breach goes on: the CISO answers the carried task, the procedure takes its next step.
    await h.complete(breachId, 'first-picture', CISO, answers.firstPicture());
    await h.openTask(breachId, 'containment-1');
    const after = await h.view(breachId);
    expect(after.phase).toBe('containment');
    expect(after.facts.known?.approxPeople).toBe(120);
  }, 540_000);
});

/**
 * Found in CI: a flood that fills the breach's run (Temporal's signals-per-run cap) makes Temporal refuse the
 * child playbooks' reports to the breach too. A lost report cost the case view its entries for good, and a lost
 * last report (a resumable child's result) would have left the breach waiting forever. Here the breach's full run
 * cannot move on for a while (its triage ticket is still being opened: the ticket system is down), so the
 * containment playbook's reports are refused for as long as that lasts; they are sent again until they get in.
 */
describe('a child playbook whose reports Temporal refuses while the breach run is full', () => {
  const sink = new TicketSink();
  let h: Harness;
  let plain: Client;
  let server: LimitedServer | undefined;

  beforeAll(async () => {
    await sink.start();
    await sink.stop();
    server = await startLimitedServer([`history.maximumSignalsPerExecution=${SIGNALS_PER_RUN}`]);
    h = await Harness.start(
      {},
      {
        history: { eventsPerRun: BUDGET },
        temporal: server,
        tickets: { kind: 'webhook', url: sink.url, timeout: '2s' },
      },
    );
    plain = plaintextClient(server.connection, server.namespace);
  }, 90_000);
  afterAll(async () => {
    await h?.close();
    await server?.stop();
    await sink.stop();
  });

  it('sends them again once the breach has moved on: the case view misses nothing the playbook wrote', async () => {
    const breachId = await h.report(signal());
    await h.complete(breachId, 'triage', FG, answers.triageBreach());
    await h.openTask(breachId, 'first-picture');

    // Fill the breach's run until Temporal refuses more: it cannot move on while its ticket is being opened.
    const forged = { taskId: 'first-picture', actor: CISO, answer: answers.firstPicture() };
    let full = false;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (!full) {
          try {
            await plain.workflow.getHandle(breachId).signal('completeTaskAsync', forged);
          } catch (err) {
            if (!RUN_FULL.test(String((err as Error).cause ?? err))) throw err;
            full = true;
          }
        }
      }),
    );
    const logs = captureWorkerLogs();
    await h.complete(breachId, 'first-picture', CISO, answers.firstPicture());
    await eventually(
      () => logs.lines.some((l) => /Could not report.*per-workflow signal limit/.test(l)),
      "the containment playbook's report refused",
    );
    logs.stop();

    // The ticket system back: the breach's ticket is opened, the run moves on, the reports get in.
    await sink.start();
    const written = await eventually(async () => {
      const events = (await h.register.events(breachId)).filter((e) => e.key.startsWith('containment#'));
      return events.some((e) => e.kind === 'task-opened' && e.text.includes('containment-1')) && events;
    }, "the containment playbook's entries in the register");
    const view = await eventually(
      async () => {
        const v = await h.view(breachId);
        const ids = new Set(v.timeline.map((e) => e.id));
        return written.every((e) => ids.has(e.key)) && v;
      },
      'every entry of the containment playbook in the case view',
      120_000,
    );
    expect(view.tasks.find((t) => t.id === 'first-picture')?.status).toBe('done');
    expect(view.tasks.find((t) => t.id === 'containment-1')?.status).toBe('open');
  }, 300_000);
});

/**
 * Seen once in CI: after a flood, the notification playbook's count of refused signals never reached the case view
 * (two minutes), though the breach's own count did. Its reports were refused while the breach's run was full, and
 * the wait before sending a refused report again doubled up to 5 minutes; once the tally stops changing nothing
 * else sends one, so when the breach's run had moved on, the next try could still be minutes away. Here the
 * breach's full run cannot move on while its ticket system hangs (the ticket is in flight); once it answers, the
 * count reaches the case view within the tally's own interval.
 */
describe("a child playbook's count refused while the breach run is full", () => {
  const sink = new TicketSink();
  let h: Harness;
  let plain: Client;
  let server: LimitedServer | undefined;
  /**
   * Long enough for the wait before a refused report's next try to have grown well past the tally's interval
   * (before the fix: 5 s, 10 s, 20 s, 40 s, 80 s, 160 s, …).
   */
  const FULL_FOR_MS = 170_000;

  beforeAll(async () => {
    await sink.start();
    sink.mode = 'hold';
    server = await startLimitedServer([`history.maximumSignalsPerExecution=${SIGNALS_PER_RUN}`]);
    h = await Harness.start(
      {},
      {
        history: { eventsPerRun: BUDGET },
        temporal: server,
        tickets: { kind: 'webhook', url: sink.url, timeout: '50s' },
      },
    );
    plain = plaintextClient(server.connection, server.namespace);
  }, 90_000);
  afterAll(async () => {
    await h?.close();
    await server?.stop();
    await sink.stop();
  });

  it('reaches the case view within the tally interval once the breach has room again', async () => {
    const breachId = await h.report(signal());
    await h.complete(breachId, 'triage', FG, answers.triageBreach());
    // The notification playbook's first report (its deadline) is in before the breach's run is full.
    await eventually(
      async () => (await h.view(breachId)).timeline.some((e) => e.kind === 'deadline-set'),
      "the notification playbook's first report",
    );

    // Fill the breach's run until Temporal refuses more: it cannot move on while its tickets are being opened.
    let full = false;
    while (!full) full = (await floodWith(plain, breachId, IN_FLIGHT)).taken < IN_FLIGHT;
    const logs = captureWorkerLogs();
    const sent = await floodWith(plain, `${breachId}.notification`, FLOOD / 3);
    expect(sent.unsure).toBeLessThan(FLOOD / 60);
    await eventually(
      () => logs.lines.some((l) => /Could not report.*notification.*per-workflow signal limit/.test(l)),
      "the notification playbook's report refused",
    );
    logs.stop();
    await new Promise((r) => setTimeout(r, FULL_FOR_MS));

    // The ticket system answers: the breach's run moves on, and the count follows within the tally's interval.
    sink.release();
    const released = Date.now();
    const line = await eventually(
      async () => {
        const v = await h.view(breachId);
        const text = v.timeline.find((e) => e.id === 'notification~refused-unencrypted')?.text;
        return within(text, sent) !== undefined && text;
      },
      "the notification playbook's count in the case view",
      240_000,
    );
    expect(line).toMatch(/^\d+ message\(s\) refused/);
    // The breach's run moves on once its tickets are opened; the count follows with the next try.
    expect(Date.now() - released).toBeLessThan(TALLY_WRITE_EVERY_MS + 30_000);
  }, 540_000);
});
