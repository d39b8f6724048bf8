import { describe, expect, it } from 'vitest';
import { describeIssues } from '../../domain/errors';
import {
  amendFacts,
  DATA_CATEGORIES,
  factsAmendmentSchema,
  factsSchema,
  type BreachFacts,
  type DataCategory,
} from '../../domain/facts';
import { assessSeverity, bandFor, type CircumstanceFactor } from '../../domain/severity';

/** Every constructed fact set goes through the schema, so a test cannot rely on facts the CLI would refuse. */
const facts = (input: BreachFacts): BreachFacts => factsSchema.parse(input);
const score = (input: BreachFacts) => assessSeverity(facts(input)).score;
const part = (input: BreachFacts, factor: CircumstanceFactor) =>
  assessSeverity(facts(input)).cb.parts.find((p) => p.factor === factor)!;
const issues = (input: unknown) => {
  const result = factsSchema.safeParse(input);
  return result.success ? '' : describeIssues(result.error);
};
/** No loss, no intent: only DPC × EI is left. */
const quiet: BreachFacts = {
  impact: { confidentiality: 'none', integrity: 'none', availability: 'none' },
  intentional: false,
  cause: 'technical-failure',
};

describe('the facts (first picture and later amendments)', () => {
  it('accepts an empty picture: everything is optional while the breach is investigated', () => {
    expect(factsSchema.parse({})).toEqual({});
  });

  it.each([
    [{ dataCategories: ['bsn'] }, /dataCategories\.0: must be one of: ordinary, special, criminal, national-id/],
    [{ dataCategories: [] }, /dataCategories: is empty: name at least one category/],
    [{ approxPeople: -1 }, /approxPeople: must be 0 or more/],
    [{ approxRecords: 2.5 }, /approxRecords: must be a whole number/],
    [{ approxPeople: 'veel' }, /approxPeople: must be a number: about how many people/],
    [{ cause: 'hack' }, /cause: must be one of: wrong-recipient, loss-or-theft/],
    [{ stillLeaking: 'yes' }, /stillLeaking: must be true or false/],
    [{ impact: { confidentiality: 'high' } }, /impact\.confidentiality: must be one of: none, limited, significant/],
    [{ identifiability: 'high' }, /identifiability: must be one of: negligible, limited, significant, maximum/],
    [{ context: { adjustment: 1 } }, /context\.reason: is required when the adjustment is not 0/],
    [{ context: { adjustment: 2, reason: 'x' } }, /context\.adjustment: must be -1, 0 or 1/],
    [
      { protection: { encrypted: false, keySafe: true } },
      /protection\.keySafe: only applies when the data was encrypted or hashed/,
    ],
    [{ severity: 'high' }, /severity: is not a known field/],
    [{ physicalMedia: { lost: true, colour: 'red' } }, /physicalMedia\.colour: is not a known field/],
  ])('names the field and the problem: %j', (input, message) => {
    expect(issues(input)).toMatch(message);
  });

  it('accepts a context adjustment of 0 without a reason', () => {
    expect(issues({ context: { adjustment: 0 } })).toBe('');
  });

  it('amends top-level keys, replaces nested objects whole, and lists only the keys whose value changed', () => {
    const current = facts({
      approxPeople: 10,
      dataCategories: ['ordinary'],
      protection: { encrypted: true, keySafe: true },
      stillLeaking: true,
    });
    const { facts: amended, changed } = amendFacts(current, {
      approxPeople: 12_000,
      dataCategories: ['ordinary'],
      protection: { encrypted: true },
      exfiltration: 'confirmed',
    });
    expect(amended).toEqual({
      approxPeople: 12_000,
      dataCategories: ['ordinary'],
      protection: { encrypted: true },
      stillLeaking: true,
      exfiltration: 'confirmed',
    });
    expect(changed).toEqual(['approxPeople', 'protection', 'exfiltration']);
    expect(current.approxPeople).toBe(10); // the input is not mutated
  });

  it('reports no change when the amendment repeats what is known, in any key order', () => {
    const current = facts({ impact: { confidentiality: 'limited', integrity: 'none' } });
    expect(amendFacts(current, { impact: { integrity: 'none', confidentiality: 'limited' } }).changed).toEqual([]);
  });

  it('validates amendments like facts, and refuses an empty one', () => {
    expect(factsAmendmentSchema.safeParse({ approxPeople: 5 }).success).toBe(true);
    const empty = factsAmendmentSchema.safeParse({});
    expect(empty.success).toBe(false);
    expect(describeIssues(empty.error!)).toMatch(/name at least one fact to change/);
    expect(describeIssues(factsAmendmentSchema.safeParse({ approxPeople: -3 }).error!)).toMatch(
      /approxPeople: must be 0 or more/,
    );
  });
});

describe('ENISA 2013: SE = DPC × EI + CB', () => {
  it('multiplies DPC by EI and adds CB: financial (3) × significant (0.75) + limited confidentiality (0.25) + malicious intent (0.5) = 3', () => {
    const s = assessSeverity(
      facts({
        dataCategories: ['financial'],
        identifiability: 'significant',
        impact: { confidentiality: 'limited', integrity: 'none', availability: 'none' },
        cause: 'attack',
        intentional: true,
      }),
    );
    expect([s.dpc.value, s.ei.value, s.cb.value, s.score, s.band]).toEqual([3, 0.75, 0.75, 3, 'high']);
  });

  it('adds quarters exactly, without floating-point drift: behavioural (2) × limited (0.5) + 0.25 + 0.25 + 0.25 = 1.75', () => {
    const s = score({
      dataCategories: ['location'],
      identifiability: 'limited',
      impact: { confidentiality: 'limited', integrity: 'limited', availability: 'limited' },
      intentional: false,
    });
    expect(s).toBe(1.75);
  });

  it('reaches at most 6: sensitive (4) × maximum (1) + 3 × 0.5 losses + 0.5 malicious intent', () => {
    expect(
      score({
        dataCategories: ['special'],
        identifiability: 'maximum',
        impact: { confidentiality: 'significant', integrity: 'significant', availability: 'significant' },
        cause: 'attack',
        intentional: true,
      }),
    ).toBe(6);
  });
});

describe('bands: low SE < 2; medium 2 ≤ SE < 3; high 3 ≤ SE < 4; very high SE ≥ 4', () => {
  it.each([
    [0, 'low'],
    [1.99, 'low'],
    [2, 'medium'],
    [2.99, 'medium'],
    [3, 'high'],
    [3.99, 'high'],
    [4, 'very-high'],
    [6, 'very-high'],
  ] as const)('SE %s is %s', (se, band) => {
    expect(bandFor(se)).toBe(band);
  });

  it.each([
    [
      '1.75 is low: simple (1) × maximum (1) + significant confidentiality (0.5) + limited integrity (0.25)',
      {
        dataCategories: ['ordinary'],
        identifiability: 'maximum',
        impact: { confidentiality: 'significant', integrity: 'limited', availability: 'none' },
      },
      1.75,
      'low',
    ],
    [
      '2 is medium: behavioural (2) × maximum (1)',
      { ...quiet, dataCategories: ['location'], identifiability: 'maximum' },
      2,
      'medium',
    ],
    [
      '2.75 is medium: financial (3) × significant (0.75) + 0.5',
      {
        dataCategories: ['financial'],
        identifiability: 'significant',
        impact: { confidentiality: 'significant', integrity: 'none', availability: 'none' },
      },
      2.75,
      'medium',
    ],
    [
      '3 is high: financial (3) × maximum (1)',
      { ...quiet, dataCategories: ['financial'], identifiability: 'maximum' },
      3,
      'high',
    ],
    [
      '3.75 is high: sensitive (4) × significant (0.75) + 0.5 + 0.25',
      {
        dataCategories: ['special'],
        identifiability: 'significant',
        impact: { confidentiality: 'significant', integrity: 'limited', availability: 'none' },
      },
      3.75,
      'high',
    ],
    [
      '4 is very high: sensitive (4) × maximum (1)',
      { ...quiet, dataCategories: ['special'], identifiability: 'maximum' },
      4,
      'very-high',
    ],
  ] as [string, BreachFacts, number, string][])('SE %s', (_name, input, se, band) => {
    const s = assessSeverity(facts(input));
    expect(s.score).toBe(se);
    expect(s.band).toBe(band);
  });
});

describe('DPC: simple 1, behavioural 2, financial 3, sensitive 4; with several categories the highest', () => {
  it.each([
    ['ordinary', 1],
    ['location', 2],
    ['communications-content', 2],
    ['financial', 3],
    ['credentials', 3],
    ['special', 4],
    ['criminal', 4],
    ['national-id', 4],
    ['children', 4],
  ] as [DataCategory, number][])('%s counts as %i', (category, dpc) => {
    expect(assessSeverity(facts({ dataCategories: [category] })).dpc.value).toBe(dpc);
  });

  it('has a level for every category the schema knows', () => {
    for (const category of DATA_CATEGORIES)
      expect(assessSeverity(facts({ dataCategories: [category] })).dpc.value).toBeGreaterThanOrEqual(1);
  });

  it('takes the highest of several categories, in any order: ordinary (1) + location (2) + financial (3) = 3', () => {
    for (const categories of [
      ['ordinary', 'location', 'financial'],
      ['financial', 'location', 'ordinary'],
      ['location', 'financial', 'ordinary'],
    ] as DataCategory[][]) {
      const dpc = assessSeverity(facts({ dataCategories: categories })).dpc;
      expect(dpc.value).toBe(3);
      expect(dpc.reason).toMatch(
        /financial data, counts as financial \(3\); with several kinds of data the highest counts/,
      );
    }
    expect(assessSeverity(facts({ dataCategories: ['ordinary', 'national-id'] })).dpc.value).toBe(4);
  });

  it('counts unknown categories as simple (1) and says so', () => {
    const dpc = assessSeverity(facts({})).dpc;
    expect(dpc.value).toBe(1);
    expect(dpc.reason).toMatch(/No data categories are recorded yet/);
  });

  it.each([
    ['ordinary', 1, 2],
    ['location', 1, 3],
    ['financial', -1, 2],
    ['special', -1, 3],
  ] as [DataCategory, -1 | 1, number][])(
    'moves %s one step with the context (%i) and gives the reason',
    (category, adjustment, dpc) => {
      const s = assessSeverity(
        facts({
          dataCategories: [category],
          context: { adjustment, reason: 'the people affected are in a witness protection programme' },
        }),
      );
      expect(s.dpc.value).toBe(dpc);
      expect(s.dpc.reason).toMatch(
        /because of the context: the people affected are in a witness protection programme\.$/,
      );
    },
  );

  it('clamps the context adjustment to 1..4: sensitive (4) + 1 stays 4, simple (1) − 1 stays 1', () => {
    const up = assessSeverity(
      facts({ dataCategories: ['special'], context: { adjustment: 1, reason: 'patients of an addiction clinic' } }),
    ).dpc;
    expect(up.value).toBe(4);
    expect(up.reason).toMatch(
      /the context would move it up one step \(patients of an addiction clinic\), but the scale ends at 4/,
    );
    const down = assessSeverity(
      facts({ dataCategories: ['ordinary'], context: { adjustment: -1, reason: 'the data is public already' } }),
    ).dpc;
    expect(down.value).toBe(1);
    expect(down.reason).toMatch(/would move it down one step .* but the scale ends at 1/);
  });

  it('ignores a context adjustment of 0', () => {
    expect(assessSeverity(facts({ dataCategories: ['financial'], context: { adjustment: 0 } })).dpc.value).toBe(3);
  });
});

describe('EI: negligible 0.25, limited 0.5, significant 0.75, maximum 1', () => {
  it.each([
    ['negligible', 0.25],
    ['limited', 0.5],
    ['significant', 0.75],
    ['maximum', 1],
  ] as const)('%s multiplies by %s', (identifiability, ei) => {
    const s = assessSeverity(facts({ ...quiet, dataCategories: ['special'], identifiability }));
    expect(s.ei.value).toBe(ei);
    expect(s.score).toBe(4 * ei);
    expect(s.ei.reason).toMatch(/as recorded/);
  });

  it.each([
    [['national-id'], 1, /a national identification number points to exactly one person/],
    [['ordinary'], 1, /nearly always carry a name/],
    [['location'], 0.75, /location data without other data/],
    [['location', 'ordinary'], 1, /nearly always carry a name/],
    [undefined, 1, /nearly always carry a name/],
  ] as [DataCategory[] | undefined, number, RegExp][])(
    'derives a default when not recorded (%j → %s) and says so',
    (categories, ei, why) => {
      const s = assessSeverity(facts(categories ? { dataCategories: categories } : {}));
      expect(s.ei.value).toBe(ei);
      expect(s.ei.reason).toMatch(/^Identifiability is not recorded, so it is taken as/);
      expect(s.ei.reason).toMatch(why);
    },
  );

  it('uses a recorded identifiability over the default, even for a BSN', () => {
    expect(assessSeverity(facts({ dataCategories: ['national-id'], identifiability: 'limited' })).ei.value).toBe(0.5);
  });
});

describe('CB: loss of confidentiality, integrity, availability each 0 / +0.25 / +0.5; malicious intent +0.5', () => {
  for (const factor of ['confidentiality', 'integrity', 'availability'] as const) {
    it.each([
      ['none', 0],
      ['limited', 0.25],
      ['significant', 0.5],
    ] as const)(`${factor} %s adds %s`, (level, value) => {
      const p = part({ impact: { [factor]: level } }, factor);
      expect(p.value).toBe(value);
      expect(p.reason).toMatch(
        new RegExp(`${level === 'none' ? 'No' : level === 'limited' ? 'Limited' : 'Significant'} loss of ${factor}`),
      );
    });
  }

  it('adds the parts: 0.25 + 0.5 + 0.25 + 0.5 = 1.5', () => {
    const s = assessSeverity(
      facts({
        impact: { confidentiality: 'limited', integrity: 'significant', availability: 'limited' },
        cause: 'abuse-of-authorisation',
        intentional: true,
      }),
    );
    expect(s.cb.value).toBe(1.5);
    expect(s.cb.parts.map((p) => p.factor)).toEqual([
      'confidentiality',
      'integrity',
      'availability',
      'malicious-intent',
    ]);
  });

  it.each([
    ['attack', true, 0.5],
    ['abuse-of-authorisation', true, 0.5],
    ['loss-or-theft', true, 0.5],
    ['attack', undefined, 0.5],
    ['attack', false, 0],
    ['loss-or-theft', false, 0],
    ['loss-or-theft', undefined, 0],
    ['abuse-of-authorisation', undefined, 0],
    ['wrong-recipient', true, 0],
    ['technical-failure', true, 0],
    ['other', true, 0],
  ] as const)('malicious intent: cause %s, intentional %s adds %s', (cause, intentional, value) => {
    expect(part(intentional === undefined ? { cause } : { cause, intentional }, 'malicious-intent').value).toBe(value);
  });

  it('derives confidentiality from who got the data when impact is not recorded, and says so', () => {
    expect(part({ exfiltration: 'confirmed' }, 'confidentiality').value).toBe(0.5);
    expect(part({ recipients: 'public' }, 'confidentiality').value).toBe(0.5);
    expect(part({ recipients: 'unknown' }, 'confidentiality').value).toBe(0.25);
    const trusted = part({ recipients: 'trusted-confidential', exfiltration: 'excluded' }, 'confidentiality');
    expect(trusted.value).toBe(0.25);
    expect(trusted.reason).toMatch(
      /^Loss of confidentiality is not recorded; because a trusted recipient saw the data, it is taken as limited \(\+0\.25\)\.$/,
    );
    // A recorded value wins over what the facts suggest.
    expect(part({ exfiltration: 'confirmed', impact: { confidentiality: 'none' } }, 'confidentiality').value).toBe(0);
  });

  it('derives availability from the backup after an attack, failure or loss', () => {
    expect(part({ cause: 'attack', backup: { available: false } }, 'availability').value).toBe(0.5);
    expect(part({ cause: 'attack', backup: { available: true, restoreHours: 4 } }, 'availability').value).toBe(0);
    expect(part({ cause: 'wrong-recipient', backup: { available: false } }, 'availability').value).toBe(0);
  });

  it('counts an unknown loss as 0 and asks for it', () => {
    const p = part({}, 'integrity');
    expect(p.value).toBe(0);
    expect(p.reason).toMatch(/record impact\.integrity when it is known/);
  });
});

describe('weighed afterwards, outside the score: number of people affected; whether the data was unintelligible', () => {
  const base: BreachFacts = {
    dataCategories: ['financial'],
    identifiability: 'maximum',
    impact: { confidentiality: 'significant', integrity: 'none', availability: 'none' },
  };

  it('does not change the score', () => {
    const plain = score(base);
    expect(score({ ...base, approxPeople: 1_000_000, protection: { encrypted: true, keySafe: true } })).toBe(plain);
    expect(score({ ...base, approxPeople: 1, protection: { encrypted: false } })).toBe(plain);
  });

  it.each([
    [12_000, /^About 12,000 people are affected: a large number weighs towards notifying\.$/],
    [1_000, /About 1,000 people .* a large number/],
    [999, /About 999 people .* a considerable number/],
    [100, /About 100 people .* a considerable number/],
    [99, /About 99 people .* a small number/],
    [1, /^One person is affected/],
    [0, /without people affected there is no personal data breach/],
    [undefined, /number of people affected is not known yet.*art\. 33\(3\)\(a\)/],
  ] as const)('remarks on %s people', (people, remark) => {
    expect(
      assessSeverity(facts(people === undefined ? base : { ...base, approxPeople: people })).weighedAfter[0],
    ).toMatch(remark);
  });

  it.each([
    [
      { encrypted: true, keySafe: true },
      /^The data was encrypted with the key safe: unintelligible to whoever has it \(art\. 34\(3\)\(a\)\)\.$/,
    ],
    [{ encrypted: false, hashed: true, keySafe: true }, /hashed with the key safe: unintelligible/],
    [{ encrypted: true, keySafe: false }, /the key was compromised too: it is not unintelligible/],
    [{ encrypted: true }, /whether the key is safe is not recorded: do not count on art\. 34\(3\)\(a\)/],
    [{ encrypted: false }, /neither encrypted nor hashed: whoever has it can read it/],
    [undefined, /Whether the data was encrypted is not recorded/],
  ] as const)('remarks on protection %j', (protection, remark) => {
    expect(assessSeverity(facts(protection ? { ...base, protection } : base)).weighedAfter[1]).toMatch(remark);
  });
});
