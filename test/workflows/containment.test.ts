import { testSigner } from '../support/acts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeTask } from '../../client/shared/breaches';
import { Harness, eventually } from '../support/harness';
import { answers, signal } from '../support/answers';
import { CISO, FG, FG_DEPUTY, ICT } from '../support/people';

describe('the containment playbook', () => {
  let h: Harness;
  let breachId: string;

  beforeAll(async () => {
    // Short clocks: containment tasks are due after 3 s, and the FG hears of them 3 s after that.
    h = await Harness.start({ containmentDue: '3s', escalateToFgAfter: '3s' });
    breachId = await h.report(signal());
    await h.complete(breachId, 'triage', FG, answers.triageBreach());
    await h.complete(breachId, 'first-picture', CISO, answers.firstPicture());
    await h.openTask(breachId, 'containment-1');
  });
  afterAll(() => h?.close());

  it('refuses a checklist where other measures are done before the evidence is secured', async () => {
    const answer = answers.containment(true);
    answer.measures['secure-evidence'] = { status: 'pending' };
    await expect(completeTask(h.client, breachId, 'containment-1', ICT, answer, testSigner())).rejects.toThrow(
      /answer\.measures\.secure-evidence\.status: secure evidence first: it is still pending while block-accounts, agree-with-ict are done/,
    );
  });

  it('refuses a measure marked not applicable without a note saying why', async () => {
    const answer = answers.containment(true);
    answer.measures['adjust-firewall'] = { status: 'not-applicable' };
    await expect(completeTask(h.client, breachId, 'containment-1', ICT, answer, testSigner())).rejects.toThrow(
      /answer\.measures\.adjust-firewall\.note: is required when a measure is not applicable/,
    );
  });

  it('escalates an overdue task to the deputy at once and to the FG later', async () => {
    const overdue = await eventually(() => {
      const mails = h.mailbox.withPurpose('task-overdue:containment-1');
      return mails.length >= 2 && mails;
    }, 'overdue emails');
    expect(overdue.flatMap((m) => m.to).sort()).toEqual([CISO, ICT].sort());
    const escalated = await eventually(() => {
      const mails = h.mailbox.withPurpose('task-escalated:containment-1');
      return mails.length >= 2 && mails;
    }, 'escalation to the FG');
    expect(escalated.flatMap((m) => m.to).sort()).toEqual([FG, FG_DEPUTY].sort());
    const view = await h.view(breachId);
    expect(view.tasks.find((t) => t.id === 'containment-1')).toMatchObject({ status: 'open', overdue: true });
    expect(view.timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(['task-overdue', 'task-escalated']));
  });

  it('ends only when the CISO confirms the leak is stopped', async () => {
    await h.complete(breachId, 'containment-1', ICT, answers.containment(false));
    await h.complete(breachId, 'containment-confirmation-1', CISO, answers.confirmContainment(true));
    const view = await h.waitForPhase(breachId, 'impact');
    expect(view.facts.containment).toMatchObject({ rounds: 1, containedAt: expect.any(String) });
    expect(view.timeline.find((e) => e.kind === 'containment-round')?.text).toBe(
      'Round 1; done: secure-evidence, block-accounts, change-passwords, agree-with-ict; not applicable: controlled-shutdown, disconnect-network, adjust-firewall; still leaking: no',
    );
  });
});
