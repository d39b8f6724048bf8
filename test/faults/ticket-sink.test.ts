import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../domain/config';
import { BreachRegister } from '../../register/store';
import { LocalTicketSystem, WebhookTicketSystem, ticketSystemFor } from '../../activities/tickets';
import { answers, signal } from '../support/answers';
import { eventually } from '../support/harness';
import { CISO, FG, FG_DEPUTY, directory } from '../support/people';
import { FaultRig } from './support/rig';
import { TicketSink } from './support/ticket-sink';
import { ALL_TASKS, FAST_TIMING, walkBreach } from './support/walk';

describe('the HTTP ticket system (webhook) down, answering 503, then back', () => {
  const sink = new TicketSink();
  let rig: FaultRig;
  let breachId: string;
  let refusedId: string;
  const whileDown: Record<string, unknown> = {};

  beforeAll(async () => {
    // Take a port for the sink, then close it: the ticket system is down (connection refused) from the start.
    await sink.start();
    await sink.stop();
    rig = await FaultRig.start({ timing: FAST_TIMING, tickets: { kind: 'webhook', url: sink.url, timeout: '2s' } });
    breachId = await rig.report(signal());

    // Down: the task is there and emailed at once, without a ticket; completing it answers at once too.
    const triage = await rig.openTask(breachId, 'triage', 30_000);
    whileDown.triageTicketRef = triage.ticketRef ?? null;
    await eventually(
      () => rig.smtp.withPurpose('task-assigned:triage').length === 2 || undefined,
      'the triage email while the ticket system is down',
    );
    const started = Date.now();
    await rig.complete(breachId, 'triage', FG, answers.triageBreach());
    whileDown.completeMs = Date.now() - started;
    const firstPicture = await rig.openTask(breachId, 'first-picture', 30_000);
    whileDown.firstPictureTicketRef = firstPicture.ticketRef ?? null;
    await eventually(
      () => rig.smtp.withPurpose('task-assigned:first-picture').length === 1 || undefined,
      'the first-picture email while the ticket system is down',
    );
    whileDown.registerTickets = (await rig.register.tickets(breachId)).length;

    // Up, but answering 503 for a few seconds.
    sink.mode = '503';
    await sink.start();
    await eventually(() => sink.requests.length > 0 || undefined, 'a retried ticket call reaching the ticket system');
    await new Promise((r) => setTimeout(r, 3_000));
    sink.mode = 'up';
    await eventually(
      () =>
        (sink.opened(breachId).length === 2 && sink.tickets.get(`${breachId}/triage`)?.closed === 'done') || undefined,
      'the tickets once the ticket system is back',
      90_000,
    );

    // The rest of the breach, with the ticket system down once more during aftercare.
    await walkBreach(rig, breachId, async (step) => {
      if (step.taskId === 'interest-legal') await sink.stop();
      if (step.taskId === 'aftercare-follow-up-1') await sink.start();
    });
  }, 600_000);

  afterAll(async () => {
    await rig?.close();
    await sink.stop();
  });

  it('did not hold up the task while the ticket system was down: open, emailed, completable, no ticket yet', () => {
    expect(whileDown).toEqual({
      triageTicketRef: null,
      firstPictureTicketRef: null,
      registerTickets: 0,
      completeMs: expect.any(Number),
    });
    expect(whileDown.completeMs as number).toBeLessThan(10_000);
    expect(
      rig.smtp
        .withPurpose('task-assigned:triage')
        .flatMap((m) => m.to)
        .sort(),
    ).toEqual([FG, FG_DEPUTY].sort());
    expect(rig.smtp.withPurpose('task-assigned:first-picture').flatMap((m) => m.to)).toEqual([CISO]);
    expect(sink.requests.some((r) => r.key === `${breachId}/triage`)).toBe(true);
  });

  it('created every ticket once the system was back, one per task (idempotent per breach + task), and closed each', async () => {
    expect(sink.opened(breachId)).toEqual(ALL_TASKS);
    expect(
      [...sink.tickets.values()].filter((t) => t.body.breachId === breachId).every((t) => t.closed === 'done'),
    ).toBe(true);
    const view = await rig.view(breachId);
    expect(view.phase).toBe('closed');
    expect(view.tasks.every((t) => t.status === 'done' && /^TCK-\d+$/.test(t.ticketRef ?? ''))).toBe(true);
    // The register knows each ticket by the ticket system's ref.
    const tickets = await rig.register.tickets(breachId);
    expect(tickets.map((t) => t.task_id).sort()).toEqual(ALL_TASKS);
    expect(
      tickets.every((t) => t.status === 'done' && t.ref === sink.tickets.get(`${breachId}/${t.task_id}`)?.ref),
    ).toBe(true);
  });

  it('a ticket the system refuses for good (HTTP 401) is noted on the timeline; the task goes on without it', async () => {
    sink.refuse = (body) => (body.breachId === refusedId ? 401 : undefined);
    refusedId = await rig.report(signal());
    const view = await eventually(async () => {
      const v = await rig.view(refusedId);
      return v.timeline.some((e) => e.kind === 'ticket-failed') ? v : undefined;
    }, 'the ticket-failed note');
    expect(view.timeline.find((e) => e.kind === 'ticket-failed')?.text).toBe(
      'No ticket for task triage: ticket system refused the ticket: HTTP 401; the task itself stands',
    );
    await rig.complete(refusedId, 'triage', FG, answers.triageNotABreach());
    await expect(rig.result(refusedId)).resolves.toMatchObject({ outcome: 'security-incident' });
    expect(sink.requests.filter((r) => r.body.breachId === refusedId && r.body.event === 'task.opened')).toHaveLength(
      1,
    );
  });
});

describe('the tickets setting', () => {
  const base = { organisation: { name: 'T' }, smtp: { from: 'lekdicht <l@t.example>' }, directory };

  it('defaults to the register and selects the webhook ticket system, naming a bad key', () => {
    expect(configSchema.parse(base).tickets).toEqual({ kind: 'register' });
    expect(
      configSchema.parse({
        ...base,
        tickets: { kind: 'webhook', url: 'https://tickets.example.org/hook', tokenEnv: 'LEKDICHT_TICKETS_TOKEN' },
      }).tickets,
    ).toEqual({
      kind: 'webhook',
      url: 'https://tickets.example.org/hook',
      tokenEnv: 'LEKDICHT_TICKETS_TOKEN',
      timeout: 10_000,
    });
    const bad = configSchema.safeParse({
      ...base,
      tickets: { kind: 'webhook', url: 'ftp://x', tokenEnv: 'secret-token' },
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['tickets.tokenEnv', 'tickets.url']);
  });

  it('builds the configured system; a token variable that is not set stops start-up', async () => {
    const register = await BreachRegister.open(':memory:');
    const config = configSchema.parse({
      ...base,
      tickets: { kind: 'webhook', url: 'https://tickets.example.org/hook', tokenEnv: 'LEKDICHT_TICKETS_TOKEN' },
    });
    expect(ticketSystemFor(configSchema.parse(base), register)).toBeInstanceOf(LocalTicketSystem);
    expect(ticketSystemFor(config, register, { LEKDICHT_TICKETS_TOKEN: 't0k3n' })).toBeInstanceOf(WebhookTicketSystem);
    expect(() => ticketSystemFor(config, register, {})).toThrow(
      'config tickets.tokenEnv: environment variable LEKDICHT_TICKETS_TOKEN is not set',
    );
    await register.close();
  });
});
