import { describe, expect, it } from 'vitest';
import { interestTasksFor } from '../../domain/interests';
import { adviceFor } from '../../domain/advice';

const kinds = (...args: Parameters<typeof interestTasksFor>) => interestTasksFor(...args).map((t) => t.kind);

describe("organisation's interest: tasks only when the facts call for them", () => {
  it('creates none for a small, low-severity breach nobody is told about', () => {
    expect(
      kinds({ approxPeople: 3, cause: 'wrong-recipient', recipients: 'trusted-confidential' }, 'low', false),
    ).toEqual([]);
  });

  it('asks legal when a processor is involved, from 100 people on, or at a high band', () => {
    expect(kinds({ processorInvolved: true, approxPeople: 2 }, 'low', false)).toEqual(['legal']);
    expect(kinds({ approxPeople: 99 }, 'medium', false)).toEqual([]);
    expect(kinds({ approxPeople: 100 }, 'medium', false)).toEqual(['legal']);
    expect(kinds({ approxPeople: 1 }, 'high', false)).toEqual(['legal', 'insurance']);
  });

  it('asks finance (the insurer) after an attack, communications from 1,000 people or public data, the KCC when people are told', () => {
    expect(kinds({ cause: 'attack', approxPeople: 10 }, 'medium', false)).toEqual(['insurance']);
    expect(kinds({ approxPeople: 999 }, 'medium', false)).toEqual(['legal']);
    expect(kinds({ approxPeople: 1_000 }, 'medium', false)).toEqual(['legal', 'public-statement']);
    expect(kinds({ recipients: 'public', approxPeople: 5 }, 'medium', false)).toEqual(['public-statement']);
    expect(kinds({ approxPeople: 5 }, 'low', true)).toEqual(['kcc-script']);
  });

  it("takes the organisation's thresholds instead of the defaults", () => {
    const own = { claimsPeople: 500, publicAttentionPeople: 200 };
    expect(kinds({ approxPeople: 300 }, 'medium', false, own)).toEqual(['public-statement']);
    expect(kinds({ approxPeople: 500 }, 'medium', false, own)).toEqual(['legal', 'public-statement']);
    expect(kinds({ approxPeople: 300 }, 'medium', false)).toEqual(['legal']);
  });

  it('asks HR only when an employee caused it, and business continuity when availability is lost', () => {
    expect(kinds({ cause: 'abuse-of-authorisation' }, 'low', false)).toEqual(['hr']);
    expect(kinds({ cause: 'attack', intentional: true }, 'low', false)).toEqual(['insurance']);
    expect(kinds({ cause: 'wrong-recipient', intentional: false }, 'low', false)).toEqual([]);
    expect(kinds({ backup: { available: false } }, 'low', false)).toEqual(['business-continuity']);
    expect(kinds({ impact: { availability: 'significant' } }, 'low', false)).toEqual(['business-continuity']);
  });

  it('gives each task its role and the reason it was created', () => {
    const [legal] = interestTasksFor({ processorInvolved: true }, 'low', false);
    expect(legal).toMatchObject({
      role: 'legal',
      reason: 'the breach happened at a processor: check the processing agreement and recourse',
    });
  });
});

describe('aftercare advice by the kind of data', () => {
  it('always warns of phishing, and adds the identity-fraud point for a BSN, passwords for credentials, the bank for financial data', () => {
    expect(adviceFor(['ordinary']).map((a) => a.en)).toEqual([
      'Be alert to phishing: messages that refer to this incident or ask for your details.',
    ]);
    const nl = adviceFor(['national-id', 'credentials', 'financial']).map((a) => a.nl);
    expect(nl).toHaveLength(4);
    expect(nl[1]).toContain('Centraal Meldpunt Identiteitsfraude');
    expect(nl[2]).toContain('Wijzig uw wachtwoord');
    expect(nl[3]).toContain('bank');
  });
});
