import { describe, expect, it } from 'vitest';
import type { CaseView } from '../../../domain/case';
import type { ChangeMark } from '../../../register/store';
import {
  CaseViewCache,
  MAX_AGE_MS,
  PAGE_BUDGET_MS,
  SETTLE_MS,
  UNANSWERED_RETRY_MS,
} from '../../../client/http/case-cache';

const T0 = Date.parse('2026-12-04T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** A workflow stand-in: answers each breach's current view and counts the queries it got. */
class Breaches {
  readonly asked: string[] = [];
  readonly state = new Map<string, string>();
  inFlight = 0;
  maxInFlight = 0;
  failing = new Set<string>();
  /** Breaches with no worker to answer: their query fails only at its deadline. */
  hanging = new Set<string>();
  /** Lets the clock run to a deadline (set by setup). */
  waitUntil: (deadline: number) => void = () => {};

  async query(id: string, deadline: number): Promise<CaseView> {
    this.asked.push(id);
    if (this.hanging.has(id)) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      this.waitUntil(deadline);
      throw new Error(`4 DEADLINE_EXCEEDED: ${id} did not answer`);
    }
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((resolve) => setTimeout(resolve, 1));
    this.inFlight -= 1;
    if (this.failing.has(id)) throw new Error(`query of ${id} timed out`);
    return { breachId: id, phase: this.state.get(id) ?? 'triage' } as CaseView;
  }
}

function setup(ids: string[], lastEntryAt = T0 - SETTLE_MS - 1) {
  let now = T0;
  const breaches = new Breaches();
  const marks = new Map<string, ChangeMark>(ids.map((id) => [id, { count: 3, last: iso(lastEntryAt) }]));
  const cache = new CaseViewCache({ now: () => now, inFlight: 4 });
  breaches.waitUntil = (deadline) => (now = Math.max(now, deadline));
  const read = async () => {
    const results = await cache.views(ids, marks, (id, deadline) => breaches.query(id, deadline));
    return results.map((r) => (r.status === 'fulfilled' ? r.value.phase : `failed: ${String(r.reason)}`));
  };
  return { breaches, marks, cache, read, later: (ms: number) => (now += ms), now: () => now };
}

describe('the case views behind the dashboard and my tasks', () => {
  it('asks each breach once, then only those whose register mark changed, and shows their new state', async () => {
    const ids = ['breach-a', 'breach-b', 'breach-c'];
    const { breaches, marks, read, later, now } = setup(ids);
    expect(await read()).toEqual(['triage', 'triage', 'triage']);
    expect(breaches.asked.sort()).toEqual(ids);
    // Asked at every read until SETTLE_MS after the service first saw these marks, then served from the cache.
    later(SETTLE_MS);
    await read();
    breaches.asked.length = 0;
    later(1_000);
    expect(await read()).toEqual(['triage', 'triage', 'triage']);
    expect(breaches.asked).toEqual([]);

    // breach-b moves on: the playbook writes its timeline entry, the mark changes.
    breaches.state.set('breach-b', 'containment');
    marks.set('breach-b', { count: 4, last: iso(now()) });
    expect(await read()).toEqual(['triage', 'containment', 'triage']);
    expect(breaches.asked).toEqual(['breach-b']);
  });

  it('asks a breach again at every read while its latest change is recent, so a report still on its way is seen', async () => {
    const { breaches, marks, read, later, now } = setup(['breach-a']);
    await read();
    // A child playbook wrote its entry; the breach workflow has not had the report yet when the view is asked.
    marks.set('breach-a', { count: 4, last: iso(now()) });
    expect(await read()).toEqual(['triage']);
    breaches.state.set('breach-a', 'containment');
    later(2_000);
    // Same mark, but not settled: asked again, and now the report is in.
    expect(await read()).toEqual(['containment']);
    breaches.asked.length = 0;
    later(SETTLE_MS);
    expect(await read()).toEqual(['containment']);
    // Asked once more after it settled (the view asked 2 s after the change was still too young) …
    expect(breaches.asked).toEqual(['breach-a']);
    breaches.asked.length = 0;
    later(1_000);
    // … and from then on served from the cache.
    expect(await read()).toEqual(['containment']);
    expect(breaches.asked).toEqual([]);
  });

  it('asks a quiet breach again after the maximum age, and always one without a mark', async () => {
    const { breaches, marks, read, later } = setup(['breach-a', 'breach-new']);
    marks.delete('breach-new');
    await read();
    later(SETTLE_MS);
    await read();
    breaches.asked.length = 0;
    later(1_000);
    await read();
    expect(breaches.asked).toEqual(['breach-new']);
    breaches.asked.length = 0;
    later(MAX_AGE_MS);
    await read();
    expect(breaches.asked.sort()).toEqual(['breach-a', 'breach-new']);
  });

  it('reports a failed query as failed, forgets what it had, and keeps at most its limit of queries in flight', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `breach-${i}`);
    const { breaches, read, later } = setup(ids);
    await read();
    expect(breaches.maxInFlight).toBe(4);
    breaches.failing.add('breach-3');
    breaches.state.set('breach-3', 'containment');
    // A mark change makes it asked; its query fails: failed, not the old view.
    later(MAX_AGE_MS + 1);
    const results = await read();
    expect(results[3]).toMatch(/^failed: .*breach-3 timed out/);
    expect(results.filter((r) => r === 'triage')).toHaveLength(19);
    breaches.failing.clear();
    breaches.asked.length = 0;
    later(1_000);
    expect((await read())[3]).toBe('containment');
    expect(breaches.asked).toEqual(['breach-3']);
  });

  it('gives a page one budget: nothing is asked after it, and a breach that did not answer waits for a change or the retry time', async () => {
    // Twenty running breaches, eight of them on a task queue no worker polls any more (4 queries in flight).
    const ids = Array.from({ length: 20 }, (_, i) => `breach-${i}`);
    const { breaches, marks, read, later, now } = setup(ids);
    for (const id of ids.slice(0, 8)) breaches.hanging.add(id);
    const failed = (results: string[]) => results.flatMap((r, i) => (r.startsWith('failed') ? [ids[i]] : []));

    // The first four hang until the page's deadline; nothing is sent after it, and the page answers.
    const start = now();
    let results = await read();
    expect(now() - start).toBe(PAGE_BUDGET_MS);
    expect(breaches.asked).toEqual(ids.slice(0, 4));
    expect(results.slice(0, 4).every((r) => /did not answer/.test(r))).toBe(true);
    expect(results.slice(4).every((r) => /not asked, the page's 5000 ms ran out/.test(r))).toBe(true);

    // The next page does not wait for them again: it gets on to the others.
    breaches.asked.length = 0;
    later(1_000);
    results = await read();
    expect(breaches.asked).toEqual(ids.slice(4, 8));
    breaches.asked.length = 0;
    later(1_000);
    results = await read();
    expect(breaches.asked).toEqual(ids.slice(8));
    expect(failed(results)).toEqual(ids.slice(0, 8));
    expect(results.slice(8).every((r) => r === 'triage')).toBe(true);

    // A worker moves breach-2 on (a new mark): asked at once. The others wait for the retry time, then are asked.
    breaches.hanging.clear();
    breaches.asked.length = 0;
    breaches.state.set('breach-2', 'containment');
    marks.set('breach-2', { count: 4, last: iso(now()) });
    later(1_000);
    results = await read();
    // (The answering ones are asked too, until their marks have settled.)
    const once = (asked: string[]) => asked.filter((id) => ids.slice(0, 8).includes(id));
    expect(once(breaches.asked)).toEqual(['breach-2']);
    expect(results[2]).toBe('containment');
    breaches.asked.length = 0;
    later(UNANSWERED_RETRY_MS);
    results = await read();
    // (breach-2 may be asked again too: its new mark is still settling.)
    expect(once(breaches.asked)).toEqual(
      expect.arrayContaining(['breach-0', 'breach-1', 'breach-3', 'breach-4', 'breach-5', 'breach-6', 'breach-7']),
    );
    expect(failed(results)).toEqual([]);
  });

  it('waits twice as long each time a breach again does not answer, up to the maximum age', async () => {
    const { breaches, read, later } = setup(['breach-a']);
    breaches.hanging.add('breach-a');
    const askedAfter = async (ms: number) => {
      breaches.asked.length = 0;
      later(ms);
      await read();
      return breaches.asked.length;
    };
    await read();
    // Not answered once: asked again after 30 s; twice: after 60 s; then 120 s, … never more than the maximum age.
    expect(await askedAfter(UNANSWERED_RETRY_MS - 1)).toBe(0);
    expect(await askedAfter(1)).toBe(1);
    expect(await askedAfter(2 * UNANSWERED_RETRY_MS - 1)).toBe(0);
    expect(await askedAfter(1)).toBe(1);
    for (let i = 0; i < 10; i++) await askedAfter(MAX_AGE_MS);
    expect(await askedAfter(MAX_AGE_MS - 1)).toBe(0);
    expect(await askedAfter(1)).toBe(1);
    // Answering again: from then on an ordinary cached view.
    breaches.hanging.clear();
    expect(await askedAfter(MAX_AGE_MS)).toBe(1);
  });
});
