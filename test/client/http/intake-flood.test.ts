import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { breachIdFor } from '../../../client/shared/breach-id';
import { IntakeStore } from '../../../client/http/intake-store';
import { answers, signal } from '../../support/answers';
import { Harness, eventually } from '../../support/harness';
import { HttpFixture } from '../../support/http';
import { FG } from '../../support/people';

const HOUR = 3_600_000;
const DUPLICATES = 10_000;
const IN_FLIGHT = 8;
/** Far under Temporal's limits (50,000 events and 50 MB by default; the attack reached 52 MB). */
const MAX_EVENTS = 500;
const MAX_HISTORY_BYTES = 1_000_000;

/**
 * Issue 11, item 1: one event reported over and over through the signed intake (a replaying attacker who re-signs,
 * or a SIEM in a retry loop). Before the fix every report added a ~34 KB signal and a note activity to the breach,
 * until Temporal terminated it for its history size.
 */
describe('a flood of duplicate reports of one event', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h?.close());

  const historyOf = async (breachId: string) => {
    const handle = h.client.workflow.getHandle(breachId);
    const history = await handle.fetchHistory();
    return {
      events: history.events?.length ?? 0,
      bytes: temporal.api.history.v1.History.encode(history).finish().length,
      signals: (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes).length,
    };
  };

  it(`${DUPLICATES.toLocaleString('en')} duplicates: the breach stays alive and small, and its one duplicate line states the count`, async () => {
    const http = await HttpFixture.start(h, {
      passwords: false,
      config: (c) => ({
        ...c,
        intake: {
          ...c.intake,
          rateLimit: { perSource: { max: 1_000_000, window: HOUR }, perEvent: { max: 1_000_000, window: HOUR } },
          duplicateSignalEvery: 2_000,
        },
      }),
    });
    const store = await IntakeStore.open(http.config.intake.path);
    try {
      // Large reports, as in the attack: the details field near its limit.
      const base = signal({ details: 'Logregel van de DLP-sensor. '.repeat(700) });
      const first = await http.intake(base);
      expect(first.statusCode, first.body).toBe(202);
      const { breachId } = first.json<{ breachId: string }>();
      await h.openTask(breachId, 'triage');

      // Each duplicate is a new signed request (the body differs), so the replay cache lets it through.
      const statuses = new Map<number, number>();
      let next = 0;
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          for (let i = next++; i < DUPLICATES; i = next++) {
            const res = await http.intake({ ...base, details: `${base.details as string} (poging ${i + 2})` });
            statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          }
        }),
      );
      expect(Object.fromEntries(statuses)).toEqual({ 202: DUPLICATES });
      expect(await store.duplicates(breachId)).toMatchObject({ source: 'dlp', count: DUPLICATES });

      // The breach hears the totals (the last ones by the trailing signal), the register the count (one row).
      const view = await eventually(async () => {
        const v = await h.view(breachId);
        return v.duplicates?.[0]?.count === DUPLICATES ? v : undefined;
      }, 'the breach to count every duplicate');
      expect(view.reports).toHaveLength(1);
      const lines = view.timeline.filter((e) => e.kind === 'duplicate-report');
      expect(lines).toHaveLength(1);
      expect(lines[0]!.text).toMatch(new RegExp(`^${DUPLICATES} duplicate reports: ${DUPLICATES} from dlp \\(first `));
      const registered = await eventually(
        async () => {
          const rows = (await h.register.events(breachId)).filter((e) => e.kind === 'duplicate-report');
          return rows.length === 1 && rows[0]!.text.startsWith(`${DUPLICATES} duplicate reports`) ? rows : undefined;
        },
        "the register line to say the store's count",
        90_000,
      );
      expect(registered).toHaveLength(1);
      expect(Number(/^(\d+)/.exec(registered[0]!.text)?.[1])).toBe((await store.duplicates(breachId))!.count);

      // Alive, small, consistent.
      const description = await h.client.workflow.getHandle(breachId).describe();
      expect(description.status.name).toBe('RUNNING');
      const history = await historyOf(breachId);
      expect(history.events).toBeLessThan(MAX_EVENTS);
      expect(history.bytes).toBeLessThan(MAX_HISTORY_BYTES);
      console.log(
        `${DUPLICATES} duplicates: history ${history.events} events, ${history.bytes} bytes, ${history.signals} signals`,
      );
      const rows = (await h.register.breaches()).filter((b) => b.breach_id === breachId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ phase: 'triage', closed_at: null });
      expect(view.tasks.filter((t) => t.status === 'open').map((t) => t.id)).toEqual(['triage']);

      // The triage task is still completable, and a report after closing is refused, not added.
      await h.complete(breachId, 'triage', FG, answers.triageNotABreach());
      expect(await h.result(breachId)).toMatchObject({ outcome: 'security-incident' });
      const late = await http.intake({ ...base, details: 'late' });
      expect(late.statusCode).toBe(409);
      expect(late.json()).toMatchObject({ breachId, alreadyClosed: true });
      expect(await h.register.breach(breachId)).toMatchObject({ phase: 'closed', outcome: 'security-incident' });
    } finally {
      await store.close();
      await http.close();
    }
  }, 600_000);

  it('the per-event limit answers 429 with Retry-After; what it refused never reaches the breach', async () => {
    const http = await HttpFixture.start(h, {
      passwords: false,
      config: (c) => ({
        ...c,
        intake: {
          ...c.intake,
          rateLimit: { perSource: { max: 1_000_000, window: HOUR }, perEvent: { max: 25, window: HOUR } },
          duplicateSignalEvery: 2_000,
        },
      }),
    });
    const store = await IntakeStore.open(http.config.intake.path);
    try {
      const base = signal();
      const statuses: number[] = [];
      let retryAfter: string | undefined;
      for (let i = 0; i < 100; i++) {
        const res = await http.intake({ ...base, details: `poging ${i + 1}` });
        statuses.push(res.statusCode);
        if (res.statusCode === 429) {
          retryAfter = res.headers['retry-after'];
          expect(res.json()).toMatchObject({ error: 'rate-limited', message: expect.stringMatching(/of this event/) });
        }
      }
      expect(statuses).toEqual([...Array<number>(25).fill(202), ...Array<number>(75).fill(429)]);
      expect(Number(retryAfter)).toBeGreaterThan(0);
      expect(Number(retryAfter)).toBeLessThanOrEqual(3_600);
      expect(
        http.logs.filter((l) => l.event === 'intake-refused' && l.reason === 'rate-limited' && l.limit === 'event'),
      ).toHaveLength(75);

      const breachId = breachIdFor('dlp', base.eventId as string);
      expect(await store.duplicates(breachId)).toMatchObject({ count: 24 });
      const view = await eventually(async () => {
        const v = await h.view(breachId);
        return v.duplicates?.[0]?.count === 24 ? v : undefined;
      }, 'the 24 accepted duplicates counted');
      expect(view.reports).toHaveLength(1);
      const history = await historyOf(breachId);
      expect(history.events).toBeLessThan(MAX_EVENTS);
      expect(history.signals).toBeLessThan(20);
      expect((await h.client.workflow.getHandle(breachId).describe()).status.name).toBe('RUNNING');
    } finally {
      await store.close();
      await http.close();
    }
  }, 120_000);
});
