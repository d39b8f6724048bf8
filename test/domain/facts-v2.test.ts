import { describe, expect, it } from 'vitest';
import { amendFacts, factsAmendmentSchema, factsConflicts, factsSchema } from '../../domain/facts';

/** The first message zod gives for a path, as "path: message". */
function refusal(input: unknown): string[] {
  const result = factsSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('facts v2 say what decides the risk', () => {
  it('holds every fact the EDPB cases turn on', () => {
    const facts = {
      breachType: 'misdirected-email',
      startedAt: '2026-03-01T09:30:00+01:00',
      endedAt: '2026-03-01T09:31:00+01:00',
      dataCategories: ['ordinary', 'national-id', 'special'],
      approxPeople: 60_000,
      peoplePerCategory: { special: 2 },
      subjects: { kinds: ['job-seekers'], sector: 'public-sector' },
      recipients: 'known-untrusted',
      recipientCount: 60_000,
      recovery: 'none',
      protection: {
        encrypted: false,
        hashed: true,
        keySafe: true,
        strength: 'state-of-the-art',
        covers: ['credentials'],
      },
      backup: { available: true, kind: 'paper', restoreHours: 120 },
      outage: { hours: 120, consequences: ['deliveries-delayed'] },
      crossBorder: true,
      leadAuthority: 'CNIL',
    };
    expect(refusal(facts)).toEqual([]);
    expect(factsSchema.parse(facts)).toEqual(facts);
  });

  it('keeps every v1 fact valid with the same meaning: recorded facts need no rewrite', () => {
    const v1 = {
      dataCategories: ['ordinary', 'financial'],
      approxPeople: 12_000,
      cause: 'attack',
      protection: { encrypted: true, keySafe: true },
      backup: { available: true, restoreHours: 48 },
      exfiltration: 'confirmed',
      recipients: 'unknown',
      impact: { confidentiality: 'significant' },
    };
    expect(factsSchema.parse(v1)).toEqual(v1);
  });

  it('names the field and the problem for each bad fact', () => {
    expect(refusal({ breachType: 'hack' })[0]).toMatch(/^breachType: must be one of: misdirected-email, /);
    expect(refusal({ recipients: 'neighbours' })[0]).toMatch(/^recipients: must be one of: none, trusted-confidential/);
    expect(refusal({ startedAt: 'yesterday' })[0]).toMatch(/^startedAt: must be a date and time with its offset/);
    expect(refusal({ startedAt: '2026-03-02T10:00:00Z', endedAt: '2026-03-01T10:00:00Z' })).toEqual([
      'endedAt: is before startedAt: a breach cannot end before it began',
    ]);
    expect(refusal({ dataCategories: ['ordinary'], peoplePerCategory: { special: 2 } })).toEqual([
      'peoplePerCategory.special: names special, which is not among dataCategories',
    ]);
    expect(refusal({ dataCategories: ['special'], approxPeople: 15, peoplePerCategory: { special: 20 } })).toEqual([
      'peoplePerCategory.special: is 20, more than the 15 people affected (approxPeople)',
    ]);
    expect(refusal({ crossBorder: false, leadAuthority: 'CNIL' })).toEqual([
      'leadAuthority: only applies to cross-border processing: crossBorder is false',
    ]);
    expect(refusal({ recipients: 'none', recipientCount: 3 })).toEqual([
      'recipientCount: is more than 0, but recipients says nobody got the data',
    ]);
    expect(refusal({ protection: { encrypted: false, covers: ['credentials'] } })).toEqual([
      'protection.covers: only applies when the data was encrypted or hashed',
    ]);
    expect(refusal({ backup: { available: false, kind: 'complete' } })).toEqual([
      'backup.kind: only applies when a backup is available',
    ]);
    expect(refusal({ outage: { consequences: ['coffee'] } })[0]).toMatch(
      /^outage\.consequences\.0: must be one of: none, care-delayed/,
    );
    expect(refusal({ subjects: { kinds: [] } })).toEqual(['subjects.kinds: is empty: leave it out while unknown']);
  });

  it('checks an amendment against the facts it joins, so a contradiction cannot come in piece by piece', () => {
    const current = factsSchema.parse({ startedAt: '2026-03-02T10:00:00Z', dataCategories: ['ordinary'] });
    const amendment = factsAmendmentSchema.parse({ endedAt: '2026-03-01T10:00:00Z' });
    expect(factsConflicts(amendFacts(current, amendment).facts).map((p) => p.path.join('.'))).toEqual(['endedAt']);
  });
});
