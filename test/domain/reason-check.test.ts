import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { suggestNotification } from '../../domain/decision';
import {
  BREACH_TYPES,
  CAUSES,
  DATA_CATEGORIES,
  IDENTIFIABILITY,
  LOSS_LEVELS,
  OUTAGE_CONSEQUENCES,
  RECIPIENTS,
  RECOVERY,
  SUBJECT_KINDS,
  factsSchema,
  type BreachFacts,
} from '../../domain/facts';
import { reasonConflicts } from '../../domain/reason-check';
import { renderReason } from '../../domain/reasons';
import { assessSeverity } from '../../domain/severity';

/** Every combination of the facts that decide the suggestion: its reasons never contradict each other or it. */
const facts: fc.Arbitrary<BreachFacts> = fc.record(
  {
    dataCategories: fc.uniqueArray(fc.constantFrom(...DATA_CATEGORIES), { minLength: 1, maxLength: 4 }),
    approxPeople: fc.oneof(fc.constantFrom(0, 1, 99, 100, 1_000, 100_000, 100_001), fc.nat({ max: 2_000_000 })),
    cause: fc.constantFrom(...CAUSES),
    intentional: fc.boolean(),
    stillLeaking: fc.boolean(),
    breachType: fc.constantFrom(...BREACH_TYPES),
    protection: fc.record(
      {
        encrypted: fc.boolean(),
        hashed: fc.boolean(),
        keySafe: fc.boolean(),
        strength: fc.constantFrom('state-of-the-art', 'weak', 'unknown'),
        covers: fc.uniqueArray(fc.constantFrom(...DATA_CATEGORIES), { minLength: 1, maxLength: 3 }),
      },
      { requiredKeys: ['encrypted'] },
    ),
    exfiltration: fc.constantFrom('excluded', 'suspected', 'confirmed'),
    recipients: fc.constantFrom(...RECIPIENTS),
    recipientCount: fc.constantFrom(1, 2, 15, 60_000),
    recovery: fc.constantFrom(...RECOVERY),
    subjects: fc.record(
      {
        kinds: fc.uniqueArray(fc.constantFrom(...SUBJECT_KINDS), { minLength: 1, maxLength: 2 }),
        vulnerable: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
    backup: fc.record(
      {
        available: fc.boolean(),
        kind: fc.constantFrom('complete', 'partial', 'paper'),
        restoreHours: fc.constantFrom(1, 24, 25, 120),
      },
      { requiredKeys: ['available'] },
    ),
    outage: fc.record(
      {
        hours: fc.constantFrom(1, 24, 48),
        consequences: fc.uniqueArray(fc.constantFrom(...OUTAGE_CONSEQUENCES), { minLength: 1, maxLength: 2 }),
      },
      { requiredKeys: [] },
    ),
    context: fc.constantFrom(
      { adjustment: -1, reason: 'less sensitive here' },
      { adjustment: 0 },
      { adjustment: 1, reason: 'more sensitive here' },
    ),
    crossBorder: fc.boolean(),
    processorInvolved: fc.boolean(),
    contactDetailsKnown: fc.boolean(),
    impact: fc.record(
      {
        confidentiality: fc.constantFrom(...LOSS_LEVELS),
        integrity: fc.constantFrom(...LOSS_LEVELS),
        availability: fc.constantFrom(...LOSS_LEVELS),
      },
      { requiredKeys: [] },
    ),
    identifiability: fc.constantFrom(...IDENTIFIABILITY),
  },
  { requiredKeys: [] },
);

describe('the suggestion never contradicts itself', () => {
  it('over every combination of facts', () => {
    fc.assert(
      fc.property(facts, (generated) => {
        // Combinations the schema refuses (a backup kind without a backup, …) never reach the suggestion.
        const parsed = factsSchema.safeParse(generated);
        fc.pre(parsed.success);
        const f = parsed.data;
        const severity = assessSeverity(f);
        const suggestion = suggestNotification(f, severity);
        expect(reasonConflicts(suggestion), JSON.stringify(f)).toEqual([]);
        // Every sentence renders whole in both languages: no hole where a fact was missing.
        for (const lang of ['nl', 'en'] as const)
          for (const sentence of suggestion.why!.map((r) => renderReason(r, lang)))
            expect(sentence, JSON.stringify(f)).not.toMatch(/undefined|NaN|\(\)| {2}| ,|\[object/);
      }),
      { numRuns: 5_000 },
    );
  });

  it('the known pair: encrypted with the key safe is not both "unlikely to result in a risk" and "would be high"', () => {
    const f: BreachFacts = {
      dataCategories: ['special', 'national-id'],
      identifiability: 'maximum',
      impact: { confidentiality: 'significant', integrity: 'none', availability: 'none' },
      exfiltration: 'confirmed',
      protection: { encrypted: true, keySafe: true },
    };
    const suggestion = suggestNotification(f, assessSeverity(f));
    expect(suggestion.notifyAuthority).toBe(false);
    expect(reasonConflicts(suggestion)).toEqual([]);
    // The checker itself sees the pair when it is there.
    expect(
      reasonConflicts({
        ...suggestion,
        why: [
          { code: 'a33-unlikely-unintelligible', params: { how: 'encrypted', low: false, score: 4 } },
          {
            code: 'a34-3a-unintelligible',
            params: { high: [{ kind: 'band', band: 'very-high', score: 4 }], how: 'encrypted' },
          },
        ],
      }),
    ).toContain('a risk that is unlikely next to a risk that is (or would be) high');
  });
});

describe('the example facts (examples/facts, what `lekdicht assess` shows)', () => {
  const dir = join(__dirname, '..', '..', 'examples', 'facts');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

  it('are there to check', () => expect(files.length).toBeGreaterThan(2));

  for (const file of files) {
    it(`${file}: reasons that agree with each other and with the answers`, () => {
      const f = factsSchema.parse(JSON.parse(readFileSync(join(dir, file), 'utf8')));
      expect(reasonConflicts(suggestNotification(f, assessSeverity(f)))).toEqual([]);
    });
  }
});
