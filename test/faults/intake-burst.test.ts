import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { breachIdFor } from '../../client/shared/breach-id';
import { signIntake } from '../../client/http/signature';
import { Harness, eventually } from '../support/harness';
import { HttpFixture, INTAKE_SECRET } from '../support/http';
import { FG, FG_DEPUTY } from '../support/people';

const DISTINCT = 700;
/** 100 events reported three times at the same moment (200 duplicates), 100 reported again later (100). */
const CONCURRENT_TRIPLES = 100;
const LATER_DUPLICATES = 100;
const IN_FLIGHT = 40;

interface Sent {
  eventId: string;
  status: number;
  breachId?: string;
}

describe('a burst of 1,000 signed intake requests, 30 % duplicates (also simultaneous ones)', () => {
  let h: Harness;
  let http: HttpFixture;
  let url: string;
  const run = randomUUID().slice(0, 8);
  const eventIds = Array.from({ length: DISTINCT }, (_, i) => `burst-${run}-${i}`);
  const sent: Sent[] = [];
  let elapsedMs = 0;

  // A sender signs each try anew (its own timestamp): the same bytes and signature again would be a replay (409).
  // The tries of one job share a base second taken once: read per try, a second boundary between two tries once
  // gave two of them the same timestamp, a true replay, and the sender (this test), not lekdicht, was at fault.
  const post = async (eventId: string, attempt: number, baseSecond: number): Promise<Sent> => {
    const body = JSON.stringify({
      source: 'dlp',
      eventId,
      summary: 'DLP: spreadsheet with client records sent to an external address',
    });
    const ts = baseSecond - attempt;
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-lekdicht-timestamp': String(ts),
        'x-lekdicht-signature': signIntake(INTAKE_SECRET, ts, body),
      },
      body,
    });
    const json = (await res.json()) as { breachId?: string };
    return { eventId, status: res.status, ...(json.breachId ? { breachId: json.breachId } : {}) };
  };

  beforeAll(async () => {
    h = await Harness.start();
    // The burst is the point here, not the rate limits (test/client/http/intake-flood.test.ts has those).
    http = await HttpFixture.start(h, {
      passwords: false,
      config: (c) => ({
        ...c,
        intake: {
          ...c.intake,
          rateLimit: { perSource: { max: 100_000, window: 3_600_000 }, perEvent: { max: 100, window: 3_600_000 } },
        },
      }),
    });
    await http.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(http.app.server.address() as AddressInfo).port}/api/intake/dlp`;

    // Jobs: the requests of one job go out at the same moment (a SIEM retrying while its first call is in flight).
    const jobs: string[][] = eventIds.map((id, i) => (i < CONCURRENT_TRIPLES ? [id, id, id] : [id]));
    const later = eventIds.slice(CONCURRENT_TRIPLES, CONCURRENT_TRIPLES + LATER_DUPLICATES).map((id) => [id]);
    // Later duplicates come after their original, mixed into the second half of the burst.
    const queue = [...jobs.slice(0, DISTINCT / 2), ...shuffle([...jobs.slice(DISTINCT / 2), ...later])];
    expect(queue.flat()).toHaveLength(1_000);
    const started = Date.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
          const baseSecond = Math.floor(Date.now() / 1000);
          sent.push(...(await Promise.all(job.map((id, attempt) => post(id, attempt, baseSecond)))));
        }
      }),
    );
    elapsedMs = Date.now() - started;
  }, 300_000);

  afterAll(async () => {
    await http?.close();
    await h?.close();
  });

  it('accepts every request and answers each event with its own breach id', () => {
    expect(sent).toHaveLength(1_000);
    expect(sent.filter((s) => s.status !== 202)).toEqual([]);
    for (const s of sent) expect(s.breachId).toBe(breachIdFor('dlp', s.eventId));
    expect(new Set(sent.map((s) => s.breachId)).size).toBe(DISTINCT);
    console.log(`1,000 intake requests in ${(elapsedMs / 1000).toFixed(1)} s (${IN_FLIGHT} in flight)`);
  });

  it('starts exactly one breach workflow per event on the task queue', async () => {
    // Visibility trails the starts by a moment under this load (it once read 698 right after the last 202).
    const count = await eventually(
      async () => {
        const { count } = await h.client.workflow.count(`TaskQueue = '${h.taskQueue}'`);
        if (count > DISTINCT) throw new Error(`${count} workflows for ${DISTINCT} events`);
        return count === DISTINCT ? count : undefined;
      },
      `${DISTINCT} workflows in visibility`,
      60_000,
    );
    expect(count).toBe(DISTINCT);
    const ids = new Set<string>();
    for await (const wf of h.client.workflow.list({ query: `TaskQueue = '${h.taskQueue}'` })) ids.add(wf.workflowId);
    expect(ids).toEqual(new Set(eventIds.map((id) => breachIdFor('dlp', id))));
  });

  it('records every report on its breach: 700 opened, 300 joined as duplicates (counted), none lost', async () => {
    const expectedDuplicates = new Map(
      eventIds.map((id, i) => [
        breachIdFor('dlp', id),
        i < CONCURRENT_TRIPLES ? 2 : i < CONCURRENT_TRIPLES + LATER_DUPLICATES ? 1 : 0,
      ]),
    );
    const counts = await eventually(
      async () => {
        const opened = new Map<string, number>();
        const duplicates = new Map<string, number>();
        for (const e of await h.register.events()) {
          if (e.kind === 'signal-received') opened.set(e.breach_id, (opened.get(e.breach_id) ?? 0) + 1);
          // One line per breach that counts its duplicates (a tally), e.g. "2 duplicate reports: 2 from dlp (…)".
          if (e.kind === 'duplicate-report')
            duplicates.set(
              e.breach_id,
              (duplicates.get(e.breach_id) ?? 0) + Number(/^(\d+) duplicate report/.exec(e.text)?.[1]),
            );
        }
        const total = [...duplicates.values()].reduce((a, b) => a + b, 0);
        return opened.size === DISTINCT && total === 300 ? { opened, duplicates } : undefined;
      },
      '700 breaches with 300 duplicate reports in the register',
      240_000,
    );
    expect([...counts.opened.values()].every((n) => n === 1)).toBe(true);
    for (const [breachId, n] of expectedDuplicates) expect(counts.duplicates.get(breachId) ?? 0, breachId).toBe(n);
    // The case of a breach reported three times at once: one report, two duplicates, one triage task.
    const view = await h.view(breachIdFor('dlp', eventIds[0]!));
    expect(view.reports.map((r) => r.duplicate)).toEqual([false]);
    expect(view.duplicates?.map((d) => d.count)).toEqual([2]);
    expect(view.tasks.map((t) => t.id)).toEqual(['triage']);
  }, 300_000);

  it('asks the FGs to triage each breach once: 1,400 emails, none twice, none differing under one Message-ID', async () => {
    await eventually(() => h.mailbox.mails.length >= DISTINCT * 2 || undefined, '1,400 triage emails', 240_000);
    const triage = h.mailbox.withPurpose('task-assigned:triage');
    expect(triage).toHaveLength(DISTINCT * 2);
    expect(new Set(triage.map((m) => m.messageId)).size).toBe(DISTINCT * 2);
    expect(triage.filter((m) => m.to.includes(FG))).toHaveLength(DISTINCT);
    expect(triage.filter((m) => m.to.includes(FG_DEPUTY))).toHaveLength(DISTINCT);
    // And still exactly one workflow per event once everything has run.
    expect((await h.client.workflow.count(`TaskQueue = '${h.taskQueue}'`)).count).toBe(DISTINCT);
  }, 300_000);
});

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
