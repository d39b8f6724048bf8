import { testSigner } from '../support/acts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amendBreachFacts } from '../../client/shared/breaches';
import { Harness, eventually } from '../support/harness';
import { answers, signal } from '../support/answers';
import { CISO, FG, ICT, PROCESS_OWNER } from '../support/people';

describe('facts, amended at any time, with the severity and suggestion recomputed', () => {
  let h: Harness;
  let breachId: string;

  beforeAll(async () => {
    h = await Harness.start();
    breachId = await h.report(signal());
    await h.complete(breachId, 'triage', FG, answers.triageBreach());
    await h.complete(breachId, 'first-picture', CISO, {
      ...answers.firstPicture(),
      dataCategories: ['ordinary'],
      approxPeople: 3,
      impact: { confidentiality: 'limited', integrity: 'none', availability: 'none' },
      recipients: 'trusted-confidential',
    });
  });
  afterAll(() => h?.close());

  it('assesses the first picture by ENISA and keeps the SeverityBand search attribute current', async () => {
    const view = await eventually(async () => {
      const v = await h.view(breachId);
      return v.assessment ? v : undefined;
    }, 'assessment');
    // Ordinary data: DPC 1; EI maximum 1 (named records); confidentiality limited +0.25 → 1.25, low.
    expect(view.assessment?.severity).toMatchObject({ score: 1.25, band: 'low' });
    const d = await eventually(async () => {
      const desc = await h.client.workflow.getHandle(breachId).describe();
      return desc.searchAttributes.SeverityBand?.[0] === 'low' ? desc : undefined;
    }, 'SeverityBand=low');
    expect(d.searchAttributes.SeverityBand).toEqual(['low']);
  });

  it('records who amended which facts, and moves the band when the facts call for it', async () => {
    const facts = await amendBreachFacts(
      h.client,
      breachId,
      PROCESS_OWNER,
      { dataCategories: ['ordinary', 'national-id'], approxPeople: 4_000 },
      testSigner(),
    );
    expect(facts).toMatchObject({
      dataCategories: ['ordinary', 'national-id'],
      approxPeople: 4_000,
      cause: 'wrong-recipient',
    });
    const view = await h.view(breachId);
    expect(view.assessment?.severity.band).toBe('very-high');
    const entry = view.timeline.filter((e) => e.kind === 'facts').at(-1);
    expect(entry).toMatchObject({ actor: PROCESS_OWNER });
    expect(entry?.text).toMatch(/^Facts: amended dataCategories, approxPeople; severity 4.25 \(very-high\), was low$/);
    // BSNs with a trusted recipient: notify the AP, but no high risk for the people (the recipient keeps it secret).
    expect(view.assessment?.suggestion).toMatchObject({ notifyAuthority: true, notifyDataSubjects: false });
    await eventually(
      async () =>
        (await h.client.workflow.getHandle(breachId).describe()).searchAttributes.SeverityBand?.[0] === 'very-high',
      'SeverityBand=very-high',
    );
  });

  it('refuses an amendment from outside the breach team, or one that is invalid, naming the field', async () => {
    await expect(amendBreachFacts(h.client, breachId, ICT, { approxPeople: 5 }, testSigner())).rejects.toThrow(
      /actor: ict@test\.example is not on the breach team/,
    );
    await expect(amendBreachFacts(h.client, breachId, FG, { approxPeople: -1 }, testSigner())).rejects.toThrow(
      /amendment\.approxPeople: must be 0 or more/,
    );
    await expect(
      amendBreachFacts(h.client, breachId, FG, { dataCategories: ['gossip'] }, testSigner()),
    ).rejects.toThrow(/amendment\.dataCategories\.0: must be one of/);
    await expect(amendBreachFacts(h.client, breachId, FG, {}, testSigner())).rejects.toThrow(/amendment: is empty/);
    expect((await h.view(breachId)).facts.known?.approxPeople).toBe(4_000);
  });

  it("shows the suggestion with its reasons in the FG's decision task", async () => {
    await h.complete(breachId, 'containment-1', ICT, answers.containment(false));
    await h.complete(breachId, 'containment-confirmation-1', CISO, answers.confirmContainment());
    await h.complete(breachId, 'impact', PROCESS_OWNER, answers.impact());
    const task = await h.openTask(breachId, 'notification-decision');
    // In the organisation's language (Dutch), numbers as the Dutch write them.
    expect(task.detail).toMatch(/^Voorstel van lekdicht \(ernst volgens ENISA: zeer hoog, score 4,25\); u besluit:/);
    expect(task.detail).toContain('melden bij de Autoriteit Persoonsgegevens (art. 33 AVG): ja');
    // Deciding against the suggestion is the FG's right; it is recorded as an override.
    await h.complete(breachId, 'notification-decision', FG, answers.decision(true, true));
    const decision = await eventually(
      async () => (await h.view(breachId)).decisions.find((d) => d.kind === 'notification'),
      'decision',
    );
    expect(decision).toMatchObject({
      override: true,
      suggestion: { notifyAuthority: true, notifyDataSubjects: false, band: 'very-high' },
    });
    expect(decision.summary).toContain('(overrides the suggestion)');
  });
});
