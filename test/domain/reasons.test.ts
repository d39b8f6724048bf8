import { describe, expect, it } from 'vitest';
import { describeSuggestion } from '../../domain/explain';
import { suggestNotification } from '../../domain/decision';
import type { BreachFacts } from '../../domain/facts';
import { formatInstant, formatNumber } from '../../domain/numbers';
import { renderReason } from '../../domain/reasons';
import { assessSeverity } from '../../domain/severity';
import { timelineText } from '../../domain/timeline-text';
import type { CaseView } from '../../domain/case';
import { renderReport } from '../../domain/report';
import { englishSentences, visibleText } from '../support/english';

/** Facts that between them reach every reason the severity and the suggestion give. */
const CASES: BreachFacts[] = [
  {},
  { dataCategories: ['ordinary', 'national-id'], approxPeople: 120, exfiltration: 'confirmed', cause: 'attack' },
  {
    dataCategories: ['special'],
    context: { adjustment: 1, reason: 'patiënten van een verslavingskliniek' },
    identifiability: 'limited',
    impact: { confidentiality: 'significant', integrity: 'limited', availability: 'none' },
    approxPeople: 250_000,
    stillLeaking: true,
    processorInvolved: true,
    crossBorder: true,
    protection: { encrypted: true, keySafe: false },
  },
  {
    dataCategories: ['location'],
    context: { adjustment: -1, reason: 'de gegevens waren al openbaar' },
    recipients: 'trusted-confidential',
    exfiltration: 'excluded',
    approxPeople: 1,
    protection: { encrypted: false, hashed: false },
  },
  {
    dataCategories: ['credentials', 'financial'],
    cause: 'technical-failure',
    intentional: true,
    backup: { available: false },
    approxPeople: 0,
    protection: { encrypted: true, keySafe: true },
    impact: { availability: 'significant' },
  },
  { dataCategories: ['financial'], recipients: 'unknown', approxPeople: 40, contactDetailsKnown: false },
  {
    dataCategories: ['children'],
    cause: 'loss-or-theft',
    backup: { available: true },
    approxPeople: 2_000,
    protection: { hashed: true, encrypted: false },
  },
  { dataCategories: ['ordinary'], recipients: 'public', exfiltration: 'excluded', approxPeople: 5 },
];

describe('the English detector', () => {
  it('finds an English sentence planted in Dutch text, and only that one', () => {
    const page = '<main><h1>Datalek</h1><p>Het lek is gedicht.</p><p>The leak has been stopped.</p></main>';
    expect(englishSentences(visibleText(page))).toEqual(['The leak has been stopped.']);
  });

  it.each([
    'Notify the authority within 72 hours',
    'Task containment-1 opened for role ict',
    'Severity: score 4.75 (very-high) under the GDPR',
    'Contact point set up and advice given to the people affected',
  ])('calls "%s" English', (sentence) => {
    expect(englishSentences(`Datalek\n${sentence}`)).toEqual([sentence]);
  });

  it('reads Dutch as Dutch, also with words Dutch shares with English', () => {
    const dutch =
      'Het datalek is gemeld bij de AP. Of de sleutel veilig was, is niet vastgelegd. In de nazorg had de FG 4 vragen.';
    expect(englishSentences(dutch)).toEqual([]);
  });

  it('skips shell commands and the allowed language switch', () => {
    expect(englishSentences('English\nBekijk de zaak: npx lekdicht show breach-1 --as <uw e-mail>')).toEqual([]);
  });
});

describe('reasons in the reader language', () => {
  it.each(CASES.map((facts, i) => [i, facts] as const))(
    'case %i: Dutch has no English, English as recorded',
    (_, facts) => {
      const severity = assessSeverity(facts);
      const suggestion = suggestNotification(facts, severity);
      const whys = [
        severity.dpc.why!,
        severity.ei.why!,
        ...severity.cb.parts.map((p) => p.why!),
        ...severity.weighedAfterWhy!,
        ...suggestion.why!,
      ];
      for (const why of whys) expect(englishSentences(renderReason(why, 'nl')), why.code).toEqual([]);
      // The English rendering is what the assessment records as text, for the CLI and older readers.
      expect(suggestion.why!.map((w) => renderReason(w, 'en'))).toEqual(suggestion.reasons);
      expect(englishSentences(describeSuggestion({ severity, suggestion }, 'nl'))).toEqual([]);
    },
  );

  it('writes numbers and instants as each language does', () => {
    expect(formatNumber(4.75, 'nl')).toBe('4,75');
    expect(formatNumber(250_000, 'nl')).toBe('250.000');
    expect(formatNumber(4.75, 'en')).toBe('4.75');
    expect(formatNumber(250_000, 'en')).toBe('250,000');
    // 08:30 UTC in winter is 09:30 in Amsterdam; in summer 10:30.
    expect(formatInstant('2026-11-28T08:30:00Z', 'nl')).toBe('28-11-2026 09:30');
    expect(formatInstant('2026-07-01T08:30:00Z', 'nl')).toBe('01-07-2026 10:30');
    const severity = assessSeverity(CASES[2]!);
    expect(describeSuggestion({ severity, suggestion: suggestNotification(CASES[2]!, severity) }, 'nl')).toContain(
      'ongeveer 250.000 mensen',
    );
  });

  it('renders timeline entries from their parameters, and leaves older ones to their recorded text', () => {
    const opened = {
      kind: 'task-opened',
      params: { taskId: 'containment-1', taskKind: 'containment', role: 'ict', due: '2026-11-28T08:30:00Z' },
    };
    expect(timelineText(opened, 'nl')).toBe(
      'Taak geopend voor ICT-beheer: Beperk het incident (stel eerst bewijs veilig), uiterlijk 28-11-2026 09:30',
    );
    expect(timelineText({ kind: 'task-opened' }, 'nl')).toBeUndefined();
    expect(timelineText({ kind: 'not-a-breach' }, 'nl')).toMatch(/^Vastgelegd als beveiligingsincident/);
  });
});

describe('the closing report in Dutch', () => {
  it('has Dutch labels, AVG and Amsterdam times, and keeps English as it was', () => {
    const view = {
      breachId: 'breach-1',
      phase: 'closed',
      outcome: 'breach',
      openedAt: '2026-11-28T08:30:00Z',
      closedAt: '2026-12-01T08:30:00Z',
      reports: [],
      facts: { isPersonalDataBreach: true, awareAt: '2026-11-28T08:00:00Z' },
      tasks: [],
      decisions: [],
      deadlines: [],
      notifications: [],
      timeline: [
        {
          id: 'breach#1',
          at: '2026-11-28T08:30:00Z',
          kind: 'closed',
          text: 'Breach closed',
          params: { outcome: 'breach' },
        },
      ],
    } satisfies CaseView;
    const nl = renderReport(view, 'nl');
    expect(nl).toContain('# Rapport datalek breach-1');
    expect(nl).toContain('## Registerregel (art. 33 lid 5 AVG)');
    expect(nl).toContain('- 28-11-2026 09:30 Datalek gesloten');
    expect(englishSentences(nl.replace(/breach-1/g, ''))).toEqual([]);
    expect(renderReport(view)).toContain('## Register record (GDPR art. 33(5))');
  });
});
