import { testSigner } from '../support/acts';
// Records complete histories of each path through a breach as replay fixtures (npm run record-histories -- NAME).
// Not part of npm test: fixtures are recorded once per released version of the workflows and then only replayed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, inject, it } from 'vitest';
import { findTemporalCli } from '../../devstack/temporal-cli';
import { classifyIncident, correctAwareness, recordNotification } from '../../client/shared/breaches';
import { Harness, eventually } from '../support/harness';
import { answers, signal } from '../support/answers';
import { CISO, COMMS, FG, ICT, PROCESS_OWNER } from '../support/people';

const name = process.env.RECORD_HISTORIES;
if (!name || !/^[a-z0-9][a-z0-9.-]*$/.test(name))
  throw new Error('RECORD_HISTORIES: give a fixture set name such as v0.2 (lower case, digits, dots, dashes)');
const OUT = join(fileURLToPath(new URL('../fixtures/histories', import.meta.url)), name);
const short = { containmentRecheck: '1s', aftercareFollowUps: ['1s', '2s'], evaluationAfter: '1s' };
let h: Harness;
let regulated: Harness;
/** A history budget of one event: every run continues as new at each wait it reaches (workflows/resumable.ts). */
let moving: Harness;
beforeAll(async () => {
  h = await Harness.start(short);
  regulated = await Harness.start(short, { organisation: { profile: { nis2Entity: 'essential' } } });
  moving = await Harness.start(short, { history: { eventsPerRun: 1 } });
});
afterAll(async () => {
  await h?.close();
  await regulated?.close();
  await moving?.close();
});

async function save(harness: Harness, scenario: string, breachId: string) {
  const dir = join(OUT, scenario);
  mkdirSync(dir, { recursive: true });
  const runs: { workflowId: string; runId: string; start: Date }[] = [];
  for await (const wf of harness.client.workflow.list({ query: `WorkflowId STARTS_WITH '${breachId}'` }))
    runs.push({ workflowId: wf.workflowId, runId: wf.runId, start: wf.startTime });
  runs.sort((a, b) => a.start.getTime() - b.start.getTime());
  // Files named after the workflow id (derived, no personal data), which replay needs; later runs of a
  // continued-as-new workflow get @run2, @run3, ...
  const seen = new Map<string, number>();
  for (const run of runs) {
    const n = (seen.get(run.workflowId) ?? 0) + 1;
    seen.set(run.workflowId, n);
    // The Temporal CLI's export: the same proto JSON as the Temporal UI's download.
    const json = execFileSync(
      findTemporalCli() ?? 'temporal',
      [
        'workflow',
        'show',
        '--address',
        inject('temporalAddress'),
        '-w',
        run.workflowId,
        '-r',
        run.runId,
        '--output',
        'json',
      ],
      { encoding: 'utf8' },
    );
    writeFileSync(join(dir, `${run.workflowId}${n > 1 ? `@run${n}` : ''}.json`), JSON.stringify(JSON.parse(json)));
  }
}

async function afterDecision(
  harness: Harness,
  breachId: string,
  opts: { authority: boolean; subjects: boolean; late?: boolean },
) {
  if (opts.authority) {
    await harness.complete(
      breachId,
      'authority-notification',
      FG,
      answers.authorityNotification(opts.late ? { reasonsForDelay: 'Scope only clear after forensics.' } : {}),
    );
  }
  if (opts.subjects)
    await harness.complete(breachId, 'data-subject-notification', COMMS, answers.dataSubjectNotification());
  // Since aftercare-contact-point: people not informed are not advised, only a contact point is set up.
  if (opts.subjects) await harness.complete(breachId, 'aftercare', COMMS, answers.aftercare());
  else await harness.complete(breachId, 'contact-point', COMMS, answers.contactPoint());
  for (const task of (await harness.view(breachId)).tasks.filter(
    (t) => t.kind === 'organisation-interest' && t.status === 'open',
  )) {
    await harness.complete(breachId, task.id, task.role === 'fg' ? FG : COMMS, { outcome: 'Handled.' });
  }
  await harness.complete(breachId, 'aftercare-follow-up-1', PROCESS_OWNER, answers.followUp(true));
  await harness.complete(breachId, 'aftercare-follow-up-2', PROCESS_OWNER, answers.followUp(false));
  await harness.complete(breachId, 'aftercare-close-3', FG, { close: true, note: 'Quiet.' });
  await harness.complete(breachId, 'evaluation', FG, answers.evaluation());
  await harness.complete(breachId, 'improvement-1', ICT, { done: true, note: 'Done.' });
  await harness.result(breachId);
}

async function toDecision(harness: Harness, breachId: string, authority: boolean, subjects: boolean) {
  await harness.complete(breachId, 'first-picture', CISO, answers.firstPicture());
  await harness.complete(breachId, 'containment-1', ICT, answers.containment(true));
  await harness.complete(breachId, 'containment-2', ICT, answers.containment(false));
  await harness.complete(breachId, 'containment-confirmation-2', CISO, answers.confirmContainment(true));
  await harness.complete(breachId, 'impact', PROCESS_OWNER, answers.impact());
  await harness.complete(breachId, 'notification-decision', FG, answers.decision(authority, subjects));
}

it('not a breach', async () => {
  const id = await h.report(signal());
  await h.complete(id, 'triage', FG, answers.triageNotABreach());
  await h.result(id);
  await save(h, 'not-a-breach', id);
});

it('duplicates: the same event reported three times, then closed', async () => {
  const s = signal();
  const id = await h.report(s);
  await h.report({ ...s, summary: 'The same DLP event, re-sent by the SIEM' });
  await h.report({ ...s, summary: 'The same DLP event, re-sent again' });
  await eventually(
    async () => (await h.register.events(id)).some((e) => e.kind === 'duplicate-report'),
    'duplicates noted',
  );
  await h.complete(id, 'triage', FG, answers.triageNotABreach());
  await h.result(id);
  await save(h, 'duplicates', id);
}, 120_000);

it('notified on time, to closure', async () => {
  const id = await h.report(signal());
  await h.complete(id, 'triage', FG, answers.triageBreach());
  await toDecision(h, id, true, true);
  await afterDecision(h, id, { authority: true, subjects: true });
  await save(h, 'notified', id);
}, 120_000);

it('letters to the people affected: written, sent back once, approved, sent; aftercare keeps the contact point', async () => {
  const id = await h.report(signal());
  await h.complete(id, 'triage', FG, answers.triageBreach());
  await h.complete(id, 'first-picture', CISO, answers.firstPicture());
  await h.complete(id, 'containment-1', ICT, answers.containment(false));
  await h.complete(id, 'containment-confirmation-1', CISO, answers.confirmContainment(true));
  await h.complete(id, 'impact', PROCESS_OWNER, answers.impact());
  await h.complete(id, 'notification-decision', FG, answers.decision(true, true, 'lekdicht'));
  await h.complete(id, 'authority-notification', FG, answers.authorityNotification());
  await h.complete(id, 'contact-point', COMMS, answers.contactPoint());
  await h.complete(id, 'letter', COMMS, answers.letter());
  await h.complete(id, 'letter-approval', FG, { approved: false, remarks: 'Say what people can do.' });
  await h.complete(id, 'letter-2', COMMS, answers.letter());
  await h.complete(id, 'letter-approval-2', FG, answers.approveLetter());
  await h.openTask(id, 'recipient-list');
  await h.register.addRecipients(id, [{ name: 'Test Persoon', email: 'persoon@test.example' }]);
  await h.complete(id, 'recipient-list', COMMS, { uploaded: 1 });
  await h.waitForPhase(id, 'aftercare');
  for (const task of (await h.view(id)).tasks.filter(
    (t) => t.kind === 'organisation-interest' && t.status === 'open',
  )) {
    await h.complete(id, task.id, task.role === 'fg' ? FG : COMMS, { outcome: 'Handled.' });
  }
  await h.complete(id, 'aftercare-follow-up-1', PROCESS_OWNER, answers.followUp(false));
  await h.complete(id, 'aftercare-follow-up-2', PROCESS_OWNER, answers.followUp(false));
  await h.complete(id, 'aftercare-close-3', FG, { close: true, note: 'Quiet.' });
  await h.complete(id, 'evaluation', FG, answers.evaluation());
  await h.complete(id, 'improvement-1', ICT, { done: true, note: 'Done.' });
  await h.result(id);
  await save(h, 'letters-approved', id);
}, 180_000);

it("late, with the awareness corrected while the FG's task is open", async () => {
  const id = await h.report(signal());
  await h.complete(id, 'triage', FG, answers.triageBreach(new Date(Date.now() - 60 * 3_600_000).toISOString()));
  await toDecision(h, id, true, false);
  await h.openTask(id, 'authority-notification');
  await correctAwareness(
    h.client,
    id,
    {
      actor: FG,
      awareAt: new Date(Date.now() - 72 * 3_600_000 + 4_000).toISOString(),
      reason: 'Earlier ticket found.',
    },
    testSigner(),
  );
  await eventually(
    async () => (await h.view(id)).deadlines.find((d) => d.kind === 'gdpr-authority')?.status === 'late',
    'late',
    30_000,
  );
  await afterDecision(h, id, { authority: true, subjects: false, late: true });
  await save(h, 'late-corrected', id);
}, 120_000);

it('NIS2 entity: the final report after aftercare could start', async () => {
  const id = await regulated.report(signal());
  await regulated.complete(id, 'triage', FG, answers.triageBreach());
  await eventually(async () => (await regulated.view(id)).deadlines.length > 0, 'deadlines');
  await classifyIncident(regulated.client, id, { actor: CISO, nis2Significant: true }, testSigner());
  await recordNotification(
    regulated.client,
    id,
    { actor: FG, regime: 'nis2', phase: 'early-warning', at: new Date().toISOString(), reference: 'CSIRT-1' },
    testSigner(),
  );
  await recordNotification(
    regulated.client,
    id,
    { actor: FG, regime: 'nis2', phase: 'initial', at: new Date().toISOString(), reference: 'CSIRT-1' },
    testSigner(),
  );
  await toDecision(regulated, id, false, false);
  await new Promise((r) => setTimeout(r, 1_500));
  await recordNotification(
    regulated.client,
    id,
    { actor: FG, regime: 'nis2', phase: 'final', at: new Date().toISOString(), reference: 'CSIRT-1' },
    testSigner(),
  );
  await afterDecision(regulated, id, { authority: false, subjects: false });
  await save(regulated, 'nis2', id);
}, 120_000);

it('notified on time, to closure, continuing as new at every wait', async () => {
  const id = await moving.report(signal());
  // Each task answered once its email went out: the run is at rest then, and moves on before the answer comes.
  const complete = (taskId: string, actor: string, answer: unknown) => moving.completeAtRest(id, taskId, actor, answer);
  await complete('triage', FG, answers.triageBreach());
  await complete('first-picture', CISO, answers.firstPicture());
  await complete('containment-1', ICT, answers.containment(false));
  await complete('containment-confirmation-1', CISO, answers.confirmContainment(true));
  await complete('impact', PROCESS_OWNER, answers.impact());
  await complete('notification-decision', FG, answers.decision(true, true));
  await complete('authority-notification', FG, answers.authorityNotification());
  await complete('data-subject-notification', COMMS, answers.dataSubjectNotification());
  await complete('aftercare', COMMS, answers.aftercare());
  for (const task of (await moving.view(id)).tasks.filter(
    (t) => t.kind === 'organisation-interest' && t.status === 'open',
  )) {
    await complete(task.id, task.role === 'fg' ? FG : COMMS, { outcome: 'Handled.' });
  }
  await complete('aftercare-follow-up-1', PROCESS_OWNER, answers.followUp(true));
  await complete('aftercare-follow-up-2', PROCESS_OWNER, answers.followUp(false));
  await complete('aftercare-close-3', FG, { close: true, note: 'Quiet.' });
  await complete('evaluation', FG, answers.evaluation());
  await complete('improvement-1', ICT, { done: true, note: 'Done.' });
  await moving.result(id);
  await save(moving, 'continued-at-waits', id);
}, 180_000);
