import { describe, expect, it } from 'vitest';
import type { CaseView } from '../../domain/case';
import { apDraft } from '../../domain/ap-draft';
import { assessSeverity } from '../../domain/severity';
import { suggestNotification } from '../../domain/decision';
import type { BreachFacts } from '../../domain/facts';
import { englishSentences } from '../support/english';

/** The AP's form is Dutch: the draft's values must be too, and what people were told comes from the decision's data. */

const facts: BreachFacts = {
  dataCategories: ['ordinary', 'national-id'],
  approxPeople: 120,
  cause: 'wrong-recipient',
  impact: { confidentiality: 'significant', integrity: 'none', availability: 'limited' },
};
const severity = assessSeverity(facts);

function view(extra: Partial<CaseView> = {}): CaseView {
  return {
    breachId: 'breach-ap',
    phase: 'notification',
    outcome: 'breach',
    openedAt: '2026-12-01T08:00:00Z',
    reports: [{ source: 'dlp', eventId: 'e', receivedAt: '2026-12-01T08:00:00Z', duplicate: false, summary: 'x' }],
    facts: {
      isPersonalDataBreach: true,
      awareAt: '2026-12-01T09:30:00Z',
      known: facts,
      impact: { dataLeaked: 'x', impactOnPeople: 'x', impactOnOrganisation: 'x', riskToPeople: 'high' },
    },
    assessment: { severity, suggestion: suggestNotification(facts, severity) },
    tasks: [],
    decisions: [],
    deadlines: [],
    notifications: [],
    timeline: [],
    ...extra,
  };
}

const field = (v: CaseView, label: string) =>
  apDraft(v, { organisation: 'Testgemeente' })
    .flatMap((s) => s.fields)
    .find((f) => f.label === label)?.value;

describe('the AP notification draft', () => {
  it('gives times, losses, the risk and the severity in Dutch', () => {
    const v = view();
    expect(field(v, 'Moment van ontdekking (bewust van het datalek)')).toBe('01-12-2026 10:30');
    expect(field(v, 'Gevolgen voor vertrouwelijkheid, integriteit en beschikbaarheid')).toBe(
      'vertrouwelijkheid: aanzienlijk, integriteit: geen, beschikbaarheid: beperkt',
    );
    expect(field(v, 'Ingeschat risico voor betrokkenen')).toBe('hoog risico');
    expect(field(v, 'Ernst (ENISA)')).toMatch(/^\d+(,\d+)? \((laag|gemiddeld|hoog|zeer hoog)\)$/);
    const values = apDraft(v, { organisation: 'Testgemeente' })
      .flatMap((s) => s.fields)
      .map((f) => f.value ?? '');
    expect(englishSentences(values.join('\n'))).toEqual([]);
  });

  it('reads from the decision whether people are told, with the FG justification as the reason', () => {
    const decided = view({
      decisions: [
        {
          kind: 'notification',
          by: 'fg@test.example',
          at: '2026-12-01T12:00:00Z',
          // The English summary says otherwise: the data decides.
          summary: 'Notify the authority; inform the data subjects',
          notifyAuthority: true,
          notifyDataSubjects: false,
          justification: 'De ontvanger is een collega-instelling met geheimhoudingsplicht.',
        },
      ],
    });
    expect(field(decided, 'Zijn de betrokkenen geïnformeerd?')).toBe('nee');
    expect(field(decided, 'Zo nee, waarom niet?')).toBe(
      'De ontvanger is een collega-instelling met geheimhoudingsplicht.',
    );
    const told = view({
      notifications: [
        { to: 'data-subjects', at: '2026-12-02T10:00:00Z', recordedBy: 'x', late: false, channel: 'email' },
      ],
    });
    expect(field(told, 'Zijn de betrokkenen geïnformeerd?')).toBe('ja, op 02-12-2026 11:00 per e-mail');
  });
});
