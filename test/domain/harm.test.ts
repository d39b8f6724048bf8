import { describe, expect, it } from 'vitest';
import { DATA_CATEGORIES, type BreachFacts, type DataCategory } from '../../domain/facts';
import { CATEGORY_HARMS, HARM_NL, HARMS, likelyHarms, type Harm } from '../../domain/harm';

/** The kinds of harm the AP's form asks about, derived from the facts by the documented rules in domain/harm.ts. */

const harmsOf = (facts: BreachFacts) => likelyHarms(facts).map((f) => f.harm);
const rulesOf = (facts: BreachFacts) => likelyHarms(facts).flatMap((f) => f.rules);
const leaked = (category: DataCategory): BreachFacts => ({
  dataCategories: [category],
  impact: { confidentiality: 'significant', integrity: 'none', availability: 'none' },
  recipients: 'unknown',
});

describe('the kind of harm: data that someone else may have (loss of confidentiality)', () => {
  it.each([
    ['ordinary', ['spam-phishing']],
    ['special', ['stigmatisation', 'reputation']],
    ['criminal', ['stigmatisation', 'reputation']],
    ['national-id', ['identity-fraud']],
    ['identity-document', ['identity-fraud']],
    ['financial', ['financial-loss']],
    ['credentials', ['identity-fraud', 'financial-loss']],
    ['location', ['loss-of-control']],
    ['behavioural', ['loss-of-control']],
    ['traffic', ['loss-of-control']],
    ['communications-content', ['reputation', 'loss-of-control']],
    ['children', []],
  ] as [DataCategory, Harm[]][])('%s gives %j', (category, harms) => {
    expect(harmsOf(leaked(category))).toEqual(harms);
    expect(rulesOf(leaked(category))).toEqual(harms.map(() => `category:${category}`));
  });

  it('maps every kind of data, the three of facts v2 included', () => {
    expect(Object.keys(CATEGORY_HARMS).sort()).toEqual([...DATA_CATEGORIES].sort());
    expect(Object.keys(HARM_NL)).toEqual([...HARMS]);
  });

  it('names no confidentiality harm when nothing was lost of confidentiality', () => {
    expect(harmsOf({ ...leaked('national-id'), impact: { confidentiality: 'none' } })).toEqual([]);
  });

  it('names none when nobody outside got the data and nobody is suspected of taking it', () => {
    expect(harmsOf({ ...leaked('national-id'), impact: undefined, recipients: 'none' })).toEqual([]);
    expect(
      harmsOf({ ...leaked('national-id'), impact: undefined, recipients: 'none', exfiltration: 'excluded' }),
    ).toEqual([]);
    // Ransomware that only encrypted, but exfiltration suspected: the data may be out there after all.
    expect(
      harmsOf({ ...leaked('national-id'), impact: undefined, recipients: 'none', exfiltration: 'suspected' }),
    ).toEqual(['identity-fraud']);
  });

  it('counts unknown confidentiality as possible: the form asks what the breach can lead to', () => {
    expect(harmsOf({ dataCategories: ['national-id'] })).toEqual(['identity-fraud']);
  });

  it('leaves out the kinds of data that were unintelligible, and only those a partial protection covers', () => {
    const facts: BreachFacts = { ...leaked('credentials'), dataCategories: ['ordinary', 'credentials'] };
    const safe = { hashed: true, keySafe: true } as const;
    expect(harmsOf({ ...facts, protection: { encrypted: true, keySafe: true } })).toEqual([]);
    expect(harmsOf({ ...facts, protection: { encrypted: false, ...safe, covers: ['credentials'] } })).toEqual([
      'spam-phishing',
    ]);
    // A weak hash or a key that went with the data protects nothing.
    expect(
      harmsOf({ ...facts, protection: { encrypted: false, ...safe, strength: 'weak', covers: ['credentials'] } }),
    ).toEqual(['identity-fraud', 'spam-phishing', 'financial-loss']);
    expect(harmsOf({ ...facts, protection: { encrypted: true, keySafe: false } })).toEqual([
      'identity-fraud',
      'spam-phishing',
      'financial-loss',
    ]);
  });
});

describe('the kind of harm: the breach type, integrity and availability', () => {
  it('credential stuffing: identity fraud, whatever the data (people’s accounts were logged into)', () => {
    expect(likelyHarms({ breachType: 'credential-stuffing' })).toEqual([
      { harm: 'identity-fraud', rules: ['breach-type:credential-stuffing'] },
    ]);
    expect(likelyHarms({ breachType: 'phishing' })).toEqual([]);
  });

  it('altered care data harms health: the health sector, or patients among the people', () => {
    const altered: BreachFacts = { impact: { confidentiality: 'none', integrity: 'limited', availability: 'none' } };
    expect(likelyHarms({ ...altered, subjects: { sector: 'health' } })).toEqual([
      { harm: 'health', rules: ['integrity:care'] },
    ]);
    expect(likelyHarms({ ...altered, subjects: { kinds: ['patients'] } })).toEqual([
      { harm: 'health', rules: ['integrity:care'] },
    ]);
    expect(likelyHarms({ ...altered, subjects: { sector: 'retail', kinds: ['customers'] } })).toEqual([]);
    expect(
      likelyHarms({
        impact: { confidentiality: 'none', integrity: 'none', availability: 'none' },
        subjects: { sector: 'health' },
      }),
    ).toEqual([]);
  });

  it('altered financial data costs money', () => {
    expect(
      likelyHarms({
        dataCategories: ['financial'],
        impact: { confidentiality: 'none', integrity: 'significant', availability: 'none' },
      }),
    ).toEqual([{ harm: 'financial-loss', rules: ['integrity:financial'] }]);
  });

  it.each([
    ['care-delayed', 'health'],
    ['payments-delayed', 'financial-loss'],
    ['service-down', 'service-disruption'],
    ['deliveries-delayed', 'service-disruption'],
    ['other', undefined],
    ['none', undefined],
  ] as const)('an outage with %s gives %s', (consequence, harm) => {
    expect(likelyHarms({ outage: { consequences: [consequence] } })).toEqual(
      harm === undefined ? [] : [{ harm, rules: [`outage:${consequence}`] }],
    );
  });

  it('lists each harm once, in the form’s order, with every rule that gave it', () => {
    expect(
      likelyHarms({
        ...leaked('credentials'),
        breachType: 'credential-stuffing',
        outage: { consequences: ['payments-delayed'] },
      }),
    ).toEqual([
      { harm: 'identity-fraud', rules: ['category:credentials', 'breach-type:credential-stuffing'] },
      { harm: 'financial-loss', rules: ['category:credentials', 'outage:payments-delayed'] },
    ]);
  });
});
