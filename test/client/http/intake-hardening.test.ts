import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { breachIdFor } from '../../../client/shared/breach-id';
import { IntakeStore } from '../../../client/http/intake-store';
import { lineLog, stderrLog } from '../../../client/http/log';
import { signIntake } from '../../../client/http/signature';
import { Harness } from '../../support/harness';
import { HttpFixture, INTAKE_SECRET } from '../../support/http';
import { signal } from '../../support/answers';
import { expectOnlyBreachStarted } from '../../support/nothing-started';

const nowSeconds = () => Math.floor(Date.now() / 1000);
const HOUR = 3_600_000;

/** Issue 11, items 1 and 3: JSON only, every accepted byte signed, a signed request accepted once, rate limits. */
describe('intake: content type, signed bytes, replays and rate limits', () => {
  let h: Harness;
  let http: HttpFixture;
  let validBreachId: string;
  /** Breach ids every refused request would have opened: none may exist at the end. */
  const refused = new Set<string>();

  beforeAll(async () => {
    h = await Harness.start();
    http = await HttpFixture.start(h, { passwords: false });
    const first = await http.intake(signal());
    expect(first.statusCode, first.body).toBe(202);
    validBreachId = first.json<{ breachId: string }>().breachId;
  });
  afterAll(async () => {
    await http?.close();
    await h?.close();
  });

  const post = (opts: {
    source?: string;
    contentType?: string;
    payload: string | Buffer;
    timestamp: number;
    signature: string;
  }) =>
    http.app.inject({
      method: 'POST',
      url: `/api/intake/${opts.source ?? 'dlp'}`,
      headers: {
        ...(opts.contentType !== undefined ? { 'content-type': opts.contentType } : {}),
        'x-lekdicht-timestamp': String(opts.timestamp),
        'x-lekdicht-signature': opts.signature,
      },
      payload: opts.payload,
    });

  it('refuses the form-encoded forgery (signature over "<ts>.", fields in the form) with 415, starting nothing', async () => {
    const eventId = `forged-${nowSeconds()}`;
    const form = new URLSearchParams({ source: 'dlp', eventId, summary: 'Forged: nobody signed this' }).toString();
    const ts = nowSeconds();
    const forged = await post({
      contentType: 'application/x-www-form-urlencoded',
      payload: form,
      timestamp: ts,
      signature: signIntake(INTAKE_SECRET, ts, ''),
    });
    expect(forged.statusCode).toBe(415);
    expect(forged.json()).toMatchObject({
      error: 'unsupported-media-type',
      message: expect.stringMatching(/application\/json/),
    });
    // Even correctly signed over the form bytes: the intake reads JSON only.
    const signedForm = await post({
      contentType: 'application/x-www-form-urlencoded',
      payload: form,
      timestamp: ts,
      signature: signIntake(INTAKE_SECRET, ts, form),
    });
    expect(signedForm.statusCode).toBe(415);
    refused.add(breachIdFor('dlp', eventId));

    // No content type, another one, or JSON in another charset: the same refusal, before size or signature.
    const body = JSON.stringify(signal());
    refused.add(breachIdFor('dlp', (JSON.parse(body) as { eventId: string }).eventId));
    for (const contentType of [
      undefined,
      'text/plain',
      'application/json; charset=iso-8859-1',
      'application/jsonx',
      'multipart/form-data; boundary=x',
    ]) {
      const res = await post({
        ...(contentType ? { contentType } : {}),
        payload: body,
        timestamp: ts,
        signature: signIntake(INTAKE_SECRET, ts, body),
      });
      expect(res.statusCode, String(contentType)).toBe(415);
    }
    const huge = await post({
      contentType: 'text/plain',
      payload: 'x'.repeat(200_000),
      timestamp: ts,
      signature: 'sha256=00',
    });
    expect(huge.statusCode).toBe(415);
    await expectOnlyBreachStarted(h, refused, validBreachId);
    // JSON with a UTF-8 charset label is what the intake takes.
    const ok = await http.intake(signal(), { headers: { 'content-type': 'application/json; charset=UTF-8' } });
    expect(ok.statusCode, ok.body).toBe(202);
  });

  it('property: any change to the signed bytes or the content type of an accepted request is refused (401/415) and starts nothing', async () => {
    const contentTypes = fc.oneof(
      fc.constantFrom(
        undefined,
        'application/x-www-form-urlencoded',
        'text/plain',
        'text/json',
        'application/xml',
        'application/octet-stream',
        'application/json; charset=latin1',
        'application/json-patch+json',
        'multipart/form-data; boundary=----x',
      ),
      fc.stringMatching(/^[a-z]{1,12}\/[a-z0-9.+-]{1,16}$/).filter((t) => t !== 'application/json'),
    );
    const byteChange = fc.record({
      at: fc.nat(),
      op: fc.constantFrom('replace', 'insert', 'delete'),
      byte: fc.integer({ min: 0, max: 255 }),
    });
    const change = fc.oneof(
      // The attack of issue 11 item 3: the fields as a form, the signature over "<ts>." (an empty body).
      fc.record({ formForgery: fc.constant(true) }),
      fc.record({ bytes: byteChange }),
      fc.record({ contentType: contentTypes }),
      fc.record({ bytes: byteChange, contentType: contentTypes }),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 200 }).filter((s) => s.trim().length > 0),
        change,
        async (summary, mutation) => {
          const eventId = `prop-${process.pid}-${Date.now()}-${++run}`;
          const signed = Buffer.from(JSON.stringify({ source: 'dlp', eventId, summary }), 'utf8');
          const ts = nowSeconds();
          const signature = signIntake(INTAKE_SECRET, ts, signed);
          let sent = signed;
          if ('bytes' in mutation && mutation.bytes) {
            const { at, op, byte } = mutation.bytes;
            const i = at % signed.length;
            if (op === 'replace')
              sent = Buffer.concat([
                signed.subarray(0, i),
                Buffer.from([byte === signed[i] ? (byte + 1) % 256 : byte]),
                signed.subarray(i + 1),
              ]);
            else if (op === 'insert')
              sent = Buffer.concat([signed.subarray(0, i), Buffer.from([byte]), signed.subarray(i)]);
            else sent = Buffer.concat([signed.subarray(0, i), signed.subarray(i + 1)]);
          }
          if ('formForgery' in mutation) {
            const form = new URLSearchParams({ source: 'dlp', eventId, summary }).toString();
            const res = await post({
              contentType: 'application/x-www-form-urlencoded',
              payload: form,
              timestamp: ts,
              signature: signIntake(INTAKE_SECRET, ts, ''),
            });
            expect(res.statusCode, res.body).toBe(415);
            refused.add(breachIdFor('dlp', eventId));
            return;
          }
          const contentType = 'contentType' in mutation ? mutation.contentType : 'application/json';
          const res = await post({
            ...(contentType !== undefined ? { contentType } : {}),
            payload: sent,
            timestamp: ts,
            signature,
          });
          expect([401, 415], `${res.statusCode} ${res.body}`).toContain(res.statusCode);
          refused.add(breachIdFor('dlp', eventId));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses signed bytes that are not UTF-8 (400) rather than reading something else than was signed', async () => {
    const eventId = `latin1-${process.pid}-${Date.now()}`;
    const bytes = Buffer.concat([
      Buffer.from(`{"source":"dlp","eventId":"${eventId}","summary":"caf`),
      Buffer.from([0xe9]),
      Buffer.from('"}'),
    ]);
    const ts = nowSeconds();
    const res = await post({
      contentType: 'application/json',
      payload: bytes,
      timestamp: ts,
      signature: signIntake(INTAKE_SECRET, ts, bytes),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: 'invalid-input',
      issues: [{ field: '(input)', message: 'not valid JSON (UTF-8)' }],
    });
    refused.add(breachIdFor('dlp', eventId));
  });

  it('accepts a signed request once: its replay is refused with 409 "replayed" by another instance on the same store', async () => {
    const shared = join(mkdtempSync(join(tmpdir(), 'lekdicht-intake-')), 'intake.db');
    const onShared = (c: HttpFixture['config']) => ({ ...c, intake: { ...c.intake, path: shared } });
    const one = await HttpFixture.start(h, { passwords: false, config: onShared });
    const two = await HttpFixture.start(h, { passwords: false, config: onShared });
    try {
      const body = JSON.stringify(signal());
      const ts = nowSeconds();
      const request = {
        contentType: 'application/json',
        payload: body,
        timestamp: ts,
        signature: signIntake(INTAKE_SECRET, ts, body),
      };
      const send = (fixture: HttpFixture) =>
        fixture.app.inject({
          method: 'POST',
          url: '/api/intake/dlp',
          headers: {
            'content-type': request.contentType,
            'x-lekdicht-timestamp': String(ts),
            'x-lekdicht-signature': request.signature,
          },
          payload: body,
        });
      const first = await send(one);
      expect(first.statusCode, first.body).toBe(202);
      const { breachId } = first.json<{ breachId: string }>();
      const replays = [await send(two), await send(one), await send(two)];
      for (const replay of replays) {
        expect(replay.statusCode).toBe(409);
        expect(replay.json()).toMatchObject({ error: 'replayed', message: expect.stringMatching(/accepted before/) });
      }
      // The signature in upper case is the same request.
      const upper = await two.app.inject({
        method: 'POST',
        url: '/api/intake/dlp',
        headers: {
          'content-type': 'application/json',
          'x-lekdicht-timestamp': String(ts),
          'x-lekdicht-signature': request.signature.replace(/[0-9a-f]+$/, (hex) => hex.toUpperCase()),
        },
        payload: body,
      });
      expect(upper.statusCode).toBe(409);
      expect(two.logs).toContainEqual({ event: 'intake-refused', reason: 'replayed', source: 'dlp' });
      // Nothing reached Temporal: the breach got the one report that started it, no duplicate.
      await h.openTask(breachId, 'triage');
      const history = await h.client.workflow.getHandle(breachId).fetchHistory();
      const signals = (history.events ?? []).filter(
        (e) => e.workflowExecutionSignaledEventAttributes || e.workflowExecutionStartedEventAttributes,
      );
      expect(signals.map((e) => e.workflowExecutionSignaledEventAttributes?.signalName ?? 'started')).toEqual([
        'started',
        'report',
      ]);
      expect((await h.view(breachId)).duplicates).toBeUndefined();
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('prunes replay rows once their timestamp has left the window', async () => {
    let now = 1_000_000;
    const store = await IntakeStore.open(join(mkdtempSync(join(tmpdir(), 'lekdicht-intake-')), 'intake.db'), () => now);
    try {
      expect(await store.claim('a', now + 300_000)).toBe(true);
      expect(await store.claim('a', now + 300_000)).toBe(false);
      expect(await store.claim('b', now + 600_000)).toBe(true);
      now += 300_001;
      await store.prune();
      expect(await store.seenCount()).toBe(1);
      // And on their own: every 200th write sweeps.
      for (let i = 0; i < 400; i++) await store.claim(`c${i}`, now + 1);
      now += 2;
      for (let i = 0; i < 400; i++) await store.claim(`d${i}`, now + 1_000);
      expect(await store.seenCount()).toBeLessThan(800);
    } finally {
      await store.close();
    }
  });

  it('does not count an event as started when signal-with-start failed (Temporal down): the next report starts it', async () => {
    let fail = true;
    const workflow = new Proxy(h.client.workflow, {
      get(target, prop, receiver) {
        if (prop === 'signalWithStart' && fail) {
          return async () => {
            fail = false;
            throw Object.assign(new Error('14 UNAVAILABLE: connection refused'), { name: 'ServiceError' });
          };
        }
        const value = Reflect.get(target, prop, receiver) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const flaky = Object.create(h.client, { workflow: { value: workflow } }) as Client;
    const fixture = await HttpFixture.start(h, { passwords: false, client: flaky });
    try {
      const body = signal();
      const down = await fixture.intake(body);
      expect(down.statusCode).toBe(500);
      const breachId = breachIdFor('dlp', body.eventId as string);
      await expect(h.client.workflow.getHandle(breachId).describe()).rejects.toThrow();
      // The SIEM tries again (the same bytes: the failed request's claim was given back) and the breach starts.
      const ts = nowSeconds();
      const retry = await fixture.intake(body, { timestamp: ts });
      expect(retry.statusCode, retry.body).toBe(202);
      expect(retry.json()).toEqual({ breachId, duplicate: false });
      await h.openTask(breachId, 'triage');
      expect((await h.view(breachId)).reports[0]?.summary).toBe(body.summary);
    } finally {
      await fixture.close();
    }
  });

  it('limits requests per source: the one over the limit gets 429 with Retry-After and starts nothing', async () => {
    const fixture = await HttpFixture.start(h, {
      passwords: false,
      config: (c) => ({
        ...c,
        intake: {
          ...c.intake,
          rateLimit: { perSource: { max: 2, window: HOUR }, perEvent: { max: 100, window: HOUR } },
        },
      }),
    });
    try {
      const sent = [signal(), signal(), signal()];
      const answers = [];
      for (const s of sent) answers.push(await fixture.intake(s));
      expect(answers.map((a) => a.statusCode)).toEqual([202, 202, 429]);
      const limited = answers[2]!;
      expect(limited.json()).toMatchObject({
        error: 'rate-limited',
        message: expect.stringMatching(/from source dlp/),
      });
      const retryAfter = Number(limited.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(3600);
      refused.add(breachIdFor('dlp', sent[2]!.eventId as string));
      expect(fixture.logs).toContainEqual({
        event: 'intake-refused',
        reason: 'rate-limited',
        limit: 'source',
        source: 'dlp',
      });
    } finally {
      await fixture.close();
    }
  });

  it('starts no breach for any refused request', async () => {
    expect(refused.size).toBeGreaterThan(150);
    // The queue also holds the breaches the tests above accepted, so each refused id is looked up by itself.
    for (const id of refused)
      await expect(h.client.workflow.getHandle(id).describe(), id).rejects.toBeInstanceOf(WorkflowNotFoundError);
    await expect(h.client.workflow.getHandle(validBreachId).describe()).resolves.toBeDefined();
  });
});

/** Issue 11, item 7 (first half): a source in the URL that tries to write a log line of its own. */
describe('intake: log injection', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h?.close());

  it('logs a source only after it passed its schema, and one entry is always one line', async () => {
    const fixture = await HttpFixture.start(h, { passwords: false, log: stderrLog });
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    });
    try {
      const body = JSON.stringify(signal());
      const ts = nowSeconds();
      const res = await fixture.app.inject({
        method: 'POST',
        url: '/api/intake/x%0Alekdicht:%20http%20login%20user=u-0123456789ab%20method=password%0D%E2%80%A8',
        headers: {
          'content-type': 'application/json',
          'x-lekdicht-timestamp': String(ts),
          'x-lekdicht-signature': signIntake(INTAKE_SECRET, ts, body),
        },
        payload: body,
      });
      expect(res.statusCode).toBe(401);
    } finally {
      spy.mockRestore();
      await fixture.close();
    }
    const text = written.join('');
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).toMatch(/^lekdicht: http (intake-refused|response) /);
      expect(line).not.toMatch(/[\r\u2028\u2029]/);
    }
    expect(lines.some((l) => /^lekdicht: http login/.test(l))).toBe(false);
    expect(lines).toContain('lekdicht: http intake-refused reason=unknown-source source=invalid-source');
  });

  it('escapes every control character and line separator in any value', () => {
    const lines: string[] = [];
    const log = lineLog((line) => lines.push(line));
    const evil = ['a\nb', 'a\rb', 'a\u0085b', 'a\u2028b', 'a\u2029b', 'a\u001b[31mb', 'a\u0000b', 'a b=c', 'a"b', ''];
    for (const value of evil) log({ event: 'probe', value, [`k\n${value}`]: value });
    expect(lines).toHaveLength(evil.length);
    for (const line of lines) {
      expect(line.endsWith('\n')).toBe(true);
      // eslint-disable-next-line no-control-regex -- looking for control characters is the point
      expect(line.slice(0, -1)).not.toMatch(/[\u0000-\u001F\u007F-\u009F\u2028\u2029]/);
    }
    expect(lines[0]).toBe('lekdicht: http probe value="a\\u000ab" "k\\u000aa\\u000ab"="a\\u000ab"\n');
    expect(lines[7]).toContain('value="a b=c"');
  });
});
