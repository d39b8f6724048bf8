import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { timelineText } from '../../domain/timeline-text';
import { entryText } from '../../client/web/history-text';
import { englishSentences } from '../support/english';

/**
 * Every timeline entry a playbook writes reads in Dutch on a Dutch page: the kinds are taken from the workflows'
 * source (each `note('kind'` and `tally(…, 'kind'`), so a new kind without its Dutch sentence fails here, not on
 * some FG's page during a breach.
 */

const WORKFLOWS = join(__dirname, '..', '..', 'workflows');

function notedKinds(): string[] {
  const kinds = new Set<string>();
  for (const file of readdirSync(WORKFLOWS).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(join(WORKFLOWS, file), 'utf8');
    for (const m of source.matchAll(/\bnote\(\s*'([a-z-]+)'/g)) kinds.add(m[1]!);
    for (const m of source.matchAll(/\btally\(\s*'[a-z-]+',\s*'([a-z-]+)'/g)) kinds.add(m[1]!);
  }
  return [...kinds].sort();
}

const AT = '2026-12-01T09:30:00Z';
/** Parameters as the workflows give them, for the kinds whose sentence needs them. */
const SAMPLES: Record<string, Record<string, string | number | boolean>> = {
  'signal-received': { source: 'dlp' },
  'duplicate-report': { total: 3, bySource: 'dlp: 2, siem: 1', firstAt: AT, lastAt: AT },
  phase: { phase: 'containment' },
  'breach-confirmed': { awareAt: AT },
  facts: { band: 'high', score: 3.5, amended: true, before: 'medium' },
  impact: { risk: 'high' },
  'task-opened': { taskId: 'impact', taskKind: 'impact', role: 'process-owner', due: AT },
  'task-completed': { taskId: 'impact', taskKind: 'impact' },
  'task-overdue': { taskId: 'impact', taskKind: 'impact', due: AT },
  'task-escalated': { taskId: 'impact', taskKind: 'impact' },
  'task-rescheduled': { taskId: 'impact', taskKind: 'impact', due: AT },
  'task-cancelled': { taskId: 'authority-notification', taskKind: 'authority-notification' },
  'email-sent': { purpose: 'task-assigned:impact', count: 2 },
  'email-failed': { purpose: 'task-assigned:impact', failed: 1, codes: '550' },
  'ticket-failed': { taskId: 'impact', taskKind: 'impact', stage: 'create', reason: 'HTTP 403' },
  'deadline-set': { deadline: 'gdpr-authority', due: AT },
  'deadline-missed': { deadline: 'gdpr-authority', due: AT },
  decision: { notifyAuthority: true, notifyDataSubjects: false, override: false },
  'containment-round': { round: 1, stillLeaking: true },
  contained: { rounds: 2 },
  'containment-not-confirmed': { note: 'Ontvanger nog niet bereikt' },
  'authority-notified': { at: AT, reference: 'AP-1', late: false },
  'notification-recorded': { regime: 'nis2', phase: 'early-warning', at: AT, reference: 'CSIRT-1', late: true },
  'incident-classified': { nis2: true, deadlinesChanged: 2 },
  'awareness-corrected': { from: AT, to: AT, reason: 'Later pas gemeld door de verwerker' },
  'data-subjects-notified': { ownChannel: 'letter', approx: 120, at: AT },
  'recipients-uploaded': { uploaded: 120 },
  'data-subjects-batch': { batch: 1, sent: 10, failed: 0, toPrint: 1, handled: 11, total: 120 },
  'aftercare-follow-up': { round: 1, questions: 4, harm: false, further: false },
  'aftercare-continues': { note: 'Nog vragen' },
  'aftercare-finished': { followUps: 2 },
  evaluated: { actions: 1, current: true },
  'improvements-done': { actions: 1 },
  closed: { outcome: 'breach' },
  'letter-written': { version: 1 },
  'letter-approved': { version: 2, writtenBy: 'comms@test.example', writtenAt: AT },
  'letter-sent-back': { version: 1 },
  'refused-unencrypted': { count: 12 },
};

describe('timeline entries in the reader language', () => {
  const kinds = notedKinds();

  it('finds the kinds the workflows write', () => {
    expect(kinds).toEqual(expect.arrayContaining(['task-opened', 'email-failed', 'completion-rejected']));
    expect(kinds.length).toBeGreaterThan(25);
  });

  // A refused completion is rendered with its refusal's code on the page (client/web/history-text.ts).
  for (const kind of notedKinds().filter((k) => k !== 'completion-rejected')) {
    it(`${kind}: a Dutch sentence without English, and an English one`, () => {
      const nl = timelineText({ kind, params: SAMPLES[kind] ?? {} }, 'nl');
      expect(nl, `no Dutch sentence for ${kind}`).toBeDefined();
      expect(englishSentences(nl!)).toEqual([]);
      expect(timelineText({ kind, params: SAMPLES[kind] ?? {} }, 'en')).toBeDefined();
    });
  }
});

describe('entries whose sentence depends on what happened', () => {
  it('the notification playbook says how the people were informed, in Dutch', () => {
    expect(
      timelineText({ kind: 'data-subjects-notified', params: { informedBy: 'email', recipients: 2, at: AT } }, 'nl'),
    ).toBe('Betrokkenen geïnformeerd per e-mail (2 ontvangers) op 01-12-2026 10:30');
  });

  it('aftercare for people not informed does not say they were advised', () => {
    expect(timelineText({ kind: 'aftercare-started', params: { informed: false } }, 'nl')).toBe(
      'Contactpunt voor vragen ingericht; de FG besloot de betrokkenen niet te informeren',
    );
  });

  it('a refused completion gives its task and the refusal in Dutch', () => {
    const entry = {
      id: 'breach#9',
      at: AT,
      kind: 'completion-rejected',
      text: 'Completion of task impact rejected: task impact is not open (done)',
      params: { taskId: 'impact', taskKind: 'impact', code: 'task-not-open', status: 'done' },
    };
    const text = String(entryText(entry, 'nl'));
    expect(text).toMatch(/^Afronden van taak Bepaal de impact op betrokkenen en organisatie geweigerd: /);
    expect(englishSentences(text)).toEqual([]);
  });
});
