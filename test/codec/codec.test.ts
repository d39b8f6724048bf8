import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WorkflowFailedError } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { AesGcmCodec, CodecError, ENCRYPTED_ENCODING, KEY_ID_KEY, isEncrypted } from '../../codec/aes-gcm-codec';
import { dataConverterFromEnv, failureConverterPath } from '../../codec/data-converter';
import {
  CODEC_KEY_FILE_ENV,
  CODEC_KEYS_ENV,
  CodecKeyError,
  generateKeyEntry,
  loadKeyRing,
  parseKeyRing,
} from '../../codec/keys';
import { createLekdichtWorker, WORKFLOW_FAILURE_ERROR_TYPES } from '../../worker/create-worker';
import { Harness, testDataConverter } from '../support/harness';
import { HttpFixture, type Agent } from '../support/http';
import { answers, signal } from '../support/answers';
import { CISO, COMMS, directory, FG, FG_DEPUTY, ICT } from '../support/people';

const SECRET_TEXT = 'Jansen, BSN 123456782';
const ring = (...ids: string[]) => parseKeyRing(ids.map((id) => generateKeyEntry(id)).join(','), 'test');
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('latin1');
const json = (value: unknown) => defaultPayloadConverter.toPayload(value);

/** Every payload anywhere in a raw history (inputs, results, signal and update arguments, failures, memo). */
function payloadsIn(value: unknown, found: Payload[] = []): Payload[] {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return found;
  const record = value as Record<string, unknown>;
  if (record.metadata && typeof record.metadata === 'object' && 'data' in record && !('fields' in record)) {
    // Search attributes are payloads too, but indexed values the server must read: they are never encoded.
    found.push(record);
    return found;
  }
  for (const [key, child] of Object.entries(record)) {
    if (key === 'searchAttributes') continue;
    // A `patched()` marker's details (the patch id, e.g. "task-before-ticket") are written by the SDK's core
    // itself, never through the data converter: code names, not data (docs/security.md lists them).
    if (key === 'markerRecordedEventAttributes' && (child as { markerName?: string })?.markerName === 'core_patch')
      continue;
    payloadsIn(child, found);
  }
  return found;
}

describe('the AES-256-GCM payload codec', () => {
  it('encrypts the whole payload, metadata included, under the newest key id and decrypts it back', async () => {
    const codec = new AesGcmCodec(ring('k1', 'k2'));
    const plain = json({ reporter: SECRET_TEXT });
    const [encrypted] = await codec.encode([plain]);
    expect(text(encrypted!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(encrypted!.metadata![KEY_ID_KEY])).toBe('k2');
    // Neither the content nor its original encoding is visible to the server.
    expect(text(encrypted!.data)).not.toContain('Jansen');
    expect(text(encrypted!.data)).not.toContain('json/plain');
    const [decoded] = await codec.decode([encrypted!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual({ reporter: SECRET_TEXT });
    expect(text(decoded!.metadata!.encoding)).toBe('json/plain');
    // A fresh IV per payload: the same value never encrypts to the same bytes.
    const [again] = await codec.encode([plain]);
    expect(Buffer.from(again!.data!).equals(Buffer.from(encrypted!.data!))).toBe(false);
  });

  it('rotates keys: old key ids keep decrypting, new payloads carry the new key id', async () => {
    const [k1] = ring('k1');
    const [k2] = ring('k2');
    const before = new AesGcmCodec([k1!]);
    const after = new AesGcmCodec([k1!, k2!]);
    const [old] = await before.encode([json('written before the rotation')]);
    expect(defaultPayloadConverter.fromPayload((await after.decode([old!]))[0]!)).toBe('written before the rotation');
    const [fresh] = await after.encode([json('written after')]);
    expect(text(fresh!.metadata![KEY_ID_KEY])).toBe('k2');
    expect(after.currentKeyId).toBe('k2');
    // The old ring cannot read what the new key wrote; the error names the key id and nothing else.
    await expect(before.decode([fresh!])).rejects.toThrow(
      new CodecError(
        'payload encrypted with codec key id "k2", which is not in the key ring (add it to LEKDICHT_CODEC_KEYS or the key file)',
      ),
    );
  });

  it('detects tampering with the ciphertext, the tag and the key id (GCM authentication)', async () => {
    const keys = ring('a', 'b');
    const writer = new AesGcmCodec(keys);
    const [encrypted] = await writer.encode([json({ summary: SECRET_TEXT })]);
    const flipped = (at: number): Payload => {
      const data = Buffer.from(encrypted!.data!);
      data[at] = data[at]! ^ 1;
      return { ...encrypted!, data };
    };
    await expect(writer.decode([flipped(20)])).rejects.toThrow(/key id "b"\) failed authentication/);
    await expect(writer.decode([flipped(encrypted!.data!.length - 1)])).rejects.toThrow(/failed authentication/);
    // Relabelled with the other key's id: the id is authenticated data, so this fails too.
    const relabelled = { ...encrypted!, metadata: { ...encrypted!.metadata, [KEY_ID_KEY]: Buffer.from('a') } };
    await expect(writer.decode([relabelled])).rejects.toThrow(/key id "a"\) failed authentication/);
    await expect(writer.decode([{ ...encrypted!, data: new Uint8Array(5) }])).rejects.toThrow(/too short/);
    const message = await writer.decode([flipped(20)]).catch((err: Error) => err.message);
    expect(message).not.toContain('Jansen');
  });

  it('passes payloads that are not encrypted through decode unchanged (recorded histories, search attributes)', async () => {
    const codec = new AesGcmCodec(ring('k1'));
    const plain = [
      json({ a: 1 }),
      defaultPayloadConverter.toPayload(null),
      { metadata: { encoding: Buffer.from('binary/plain') }, data: Buffer.from([1, 2]) },
    ];
    const decoded = await codec.decode(plain);
    expect(decoded).toHaveLength(3);
    decoded.forEach((p, i) => expect(p).toBe(plain[i]));
    expect(plain.some(isEncrypted)).toBe(false);
  });

  it('encodes failure messages and stack traces (encodeCommonAttributes) in worker and clients alike', async () => {
    const { dataConverter } = dataConverterFromEnv({ [CODEC_KEYS_ENV]: generateKeyEntry('k1') });
    expect(dataConverter.failureConverterPath).toBe(failureConverterPath);
    const { failureConverter } = (await import(failureConverterPath)) as { failureConverter: { options: unknown } };
    expect(failureConverter.options).toEqual({ encodeCommonAttributes: true });
  });
});

describe('a nondeterminism error fails the breach instead of retrying its workflow task silently', () => {
  let h: Harness;
  afterAll(() => h?.close());

  it('fails the execution, visibly, when a deploy changes what an open breach already did', async () => {
    expect(WORKFLOW_FAILURE_ERROR_TYPES).toEqual({ '*': ['NondeterminismError'] });
    h = await Harness.start();
    const report = signal();
    const breachId = await h.report(report);
    await h.openTask(breachId, 'triage');
    await h.stopWorker();
    // "The next release": the same bundle, but the first activity renamed without patched(), which is what an
    // unguarded change to a playbook looks like on replay.
    const code = readFileSync(inject('workflowBundlePath'), 'utf8');
    expect(code.split('.activities.loadSettings()').length).toBe(2);
    const changed = await createLekdichtWorker({
      connection: { address: inject('temporalAddress') },
      namespace: h.client.options.namespace,
      config: h.config,
      taskQueue: h.taskQueue,
      workflowBundle: { code: code.replace('.activities.loadSettings()', '.activities.loadSettingsRenamed()') },
      dataConverter: testDataConverter(),
    });
    expect(changed.worker.options.workflowFailureErrorTypes).toEqual(WORKFLOW_FAILURE_ERROR_TYPES);
    const running = changed.run();
    try {
      // A second report of the same event is a signal: the new worker must replay the history to handle it.
      await h.report(report);
      const failure = await h.client.workflow
        .getHandle(breachId)
        .result()
        .then(
          () => undefined,
          (err: unknown) => err,
        );
      expect(failure).toBeInstanceOf(WorkflowFailedError);
      expect(String((failure as WorkflowFailedError).cause?.message)).toMatch(/[Nn]ondeterminism/);
      expect((await h.client.workflow.getHandle(breachId).describe()).status.name).toBe('FAILED');
    } finally {
      changed.worker.shutdown();
      await running;
    }
  }, 60_000);
});

describe('codec keys', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lekdicht-keys-'));
  });

  it('refuses keys of the wrong length or without an id, naming the key but never showing it', () => {
    const short = Buffer.alloc(16, 7).toString('base64');
    expect(() => parseKeyRing(`k1:${short}`, CODEC_KEYS_ENV)).toThrow(
      new CodecKeyError('LEKDICHT_CODEC_KEYS: key "k1" is not 32 bytes (AES-256) as base64 or 64 hex digits'),
    );
    let message = '';
    try {
      parseKeyRing(`k1:${short}`, CODEC_KEYS_ENV);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).not.toContain(short);
    expect(() => parseKeyRing(Buffer.alloc(32).toString('base64'), CODEC_KEYS_ENV)).toThrow(
      /entry 1 has no valid key id/,
    );
    expect(() => parseKeyRing('k1:not base64!', CODEC_KEYS_ENV)).toThrow(/key "k1" is not 32 bytes/);
    expect(() => parseKeyRing(`${generateKeyEntry('k1')},${generateKeyEntry('k1')}`, CODEC_KEYS_ENV)).toThrow(
      /key id "k1" appears twice/,
    );
    expect(() => parseKeyRing('  # nothing\n', CODEC_KEYS_ENV)).toThrow(/holds no codec keys/);
    // Hex is accepted too, and comments and newlines separate entries; the last entry is the newest.
    const keys = parseKeyRing(`# ring\nold:${'ab'.repeat(32)}\n${generateKeyEntry('new')} # since 2026-11\n`, 'file');
    expect(keys.map((k) => [k.id, k.key.length])).toEqual([
      ['old', 32],
      ['new', 32],
    ]);
  });

  it('refuses to start without keys, naming where they come from', () => {
    expect(() => loadKeyRing({})).toThrow(/LEKDICHT_CODEC_KEYS: is not set, nor LEKDICHT_CODEC_KEY_FILE/);
    // The development key file is only read where npm start made one; the CLI never creates one.
    expect(() => loadKeyRing({}, { devKeyFile: join(dir, 'absent') })).toThrow(CodecKeyError);
  });

  it('reads a key file only outside the repository (or in its git-ignored data/) and only when owner-only', () => {
    const repo = join(dir, 'repo');
    mkdirSync(join(repo, 'config'), { recursive: true });
    mkdirSync(join(repo, 'data'), { recursive: true });
    const entry = generateKeyEntry('k1');
    const inRepo = join(repo, 'config', 'codec.keys');
    writeFileSync(inRepo, entry, { mode: 0o600 });
    expect(() => loadKeyRing({ [CODEC_KEY_FILE_ENV]: inRepo }, { repoRoot: repo })).toThrow(
      /lies inside the repository; codec keys must never be stored there/,
    );
    const inData = join(repo, 'data', 'codec.keys');
    writeFileSync(inData, entry, { mode: 0o600 });
    expect(loadKeyRing({ [CODEC_KEY_FILE_ENV]: inData }, { repoRoot: repo }).keys.map((k) => k.id)).toEqual(['k1']);
    const outside = join(dir, 'codec.keys');
    writeFileSync(outside, entry, { mode: 0o644 });
    chmodSync(outside, 0o644);
    expect(() => loadKeyRing({ [CODEC_KEY_FILE_ENV]: outside }, { repoRoot: repo })).toThrow(
      /readable by others \(mode 644\); make it readable by its owner only/,
    );
    chmodSync(outside, 0o600);
    expect(loadKeyRing({ [CODEC_KEY_FILE_ENV]: outside }, { repoRoot: repo }).source).toBe(
      `LEKDICHT_CODEC_KEY_FILE (${outside})`,
    );
    // The environment's own keys win over any file.
    expect(
      loadKeyRing({ [CODEC_KEYS_ENV]: generateKeyEntry('env'), [CODEC_KEY_FILE_ENV]: outside }).keys.map((k) => k.id),
    ).toEqual(['env']);
    // This repository's own working tree is refused by default, wherever in it the file is.
    const real = new URL('../../codec/keys.ts', import.meta.url).pathname;
    expect(() => loadKeyRing({ [CODEC_KEY_FILE_ENV]: real })).toThrow(/lies inside the repository/);
  });

  it('generates the development key once, owner-only, and reuses it (npm start)', () => {
    const file = join(dir, 'dev-secrets', 'lekdicht_codec_keys');
    const first = loadKeyRing({}, { devKeyFile: file, createDevKey: true });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = loadKeyRing({}, { devKeyFile: file, createDevKey: true });
    expect(again.keys[0]!.key.equals(first.keys[0]!.key)).toBe(true);
    expect(readFileSync(file, 'utf8')).toMatch(/^# .*\ndev-\d{4}-\d{2}-\d{2}:[A-Za-z0-9+/]{43}=\n$/);
  });
});

describe('the codec endpoint for the Temporal UI (/codec/decode)', () => {
  const UI = 'http://127.0.0.1:8233';
  let h: Harness;
  let http: HttpFixture;
  /** The one operator of http.codecOperators here: the FG, as a person named for it, not for the role. */
  let fg: Agent;
  let breachId: string;

  beforeAll(async () => {
    h = await Harness.start();
    http = await HttpFixture.start(h, { config: (c) => ({ ...c, http: { ...c.http, codecOperators: [FG] } }) });
    fg = await http.as(FG);
    breachId = await h.report(signal({ reporter: { name: 'Jan Jansen', email: 'jan.jansen@test.example' } }));
    await h.complete(breachId, 'triage', FG, answers.triageBreach());
  });
  afterAll(async () => {
    await http?.close();
    await h?.close();
  });

  const codecRequest = (agent: Agent | undefined, action: string, body: unknown, origin: string | undefined = UI) =>
    http.app.inject({
      method: 'POST',
      url: `/codec/${action}`,
      headers: {
        'content-type': 'application/json',
        'x-namespace': h.client.options.namespace,
        ...(origin ? { origin } : {}),
        ...(agent ? { cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
      },
      payload: JSON.stringify(body),
    });

  const wire = (p: Payload) => ({
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
    ),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  });

  it('decodes what the worker and client wrote for a logged-in operator from the UI origin, without a CSRF token, and records it', async () => {
    const before = (await http.authStore.decodes()).length;
    const payloads = payloadsIn(await h.client.workflow.getHandle(breachId).fetchHistory());
    // The server holds ciphertext only: the signal, the update, activity inputs and results, the query-free state.
    expect(payloads.length).toBeGreaterThan(5);
    expect(payloads.filter((p) => !isEncrypted(p))).toEqual([]);
    const res = await codecRequest(fg, 'decode', { payloads: payloads.map(wire) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(UI);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    const decoded = res.json<{ payloads: { metadata: Record<string, string>; data: string }[] }>().payloads;
    expect(Buffer.from(decoded[0]!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
    const plain = decoded.map((p) => Buffer.from(p.data, 'base64').toString());
    expect(plain.join('\n')).toContain('jan.jansen@test.example');
    expect(plain.join('\n')).toContain('A spreadsheet with client records');
    // Who decoded is in the service's log as a pseudonym, not the payloads or the address.
    expect(http.logs).toContainEqual(
      expect.objectContaining({ event: 'codec', action: 'decode', payloads: decoded.length }),
    );
    expect(http.logText()).not.toContain('jansen');
    expect(http.logText()).not.toContain(FG);
    // ...and in the service's own database by address: who, when, how many payloads.
    const records = (await http.authStore.decodes()).slice(before);
    expect(records).toEqual([{ at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), email: FG, payloads: decoded.length }]);
  });

  it("offers no encoding: nobody can mint ciphertext the worker takes for lekdicht's own (404, also for the operator)", async () => {
    const res = await codecRequest(fg, 'encode', {
      payloads: [wire(json({ taskId: 'triage', actor: FG, note: SECRET_TEXT }))],
    });
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain('binary/encrypted');
    const preflight = await http.app.inject({
      method: 'OPTIONS',
      url: '/codec/encode',
      headers: { origin: UI, 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('keeps CISO and ICT, who are not involved in a breach (404 on its page), from reading it through the codec', async () => {
    // The attack of issue 11: both hold roles that could decode before, and neither is involved in a breach still
    // in triage (only the FG is): its page is a 404 for them, its signal (names, an address, a BSN) must stay shut.
    const untriaged = await h.report(
      signal({
        summary: 'Export met BSN 123456782 gemaild',
        reporter: { name: 'Piet Geheim', email: 'piet.geheim@test.example' },
      }),
    );
    const handle = h.client.workflow.getHandle(untriaged);
    let payloads: ReturnType<typeof wire>[] = [];
    await expect
      .poll(async () => (payloads = payloadsIn(await handle.fetchHistory()).map(wire)).length)
      .toBeGreaterThan(0);
    // Positive control: the operator does read it through the same request.
    const control = await codecRequest(fg, 'decode', { payloads });
    expect(control.statusCode).toBe(200);
    expect(
      control
        .json<{ payloads: { data: string }[] }>()
        .payloads.map((p) => Buffer.from(p.data, 'base64').toString())
        .join('\n'),
    ).toContain('piet.geheim@test.example');
    for (const email of [CISO, ICT]) {
      const agent = await http.as(email);
      expect((await agent.get(`/api/breaches/${untriaged}`)).statusCode).toBe(404);
      const before = (await http.authStore.decodes()).length;
      const res = await codecRequest(agent, 'decode', { payloads });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ error: 'forbidden', message: expect.stringContaining('http.codecOperators') });
      expect(res.body).not.toContain('piet.geheim');
      expect(res.body).not.toContain('123456782');
      // A refusal decodes nothing, so there is nothing to record.
      expect((await http.authStore.decodes()).length).toBe(before);
      const minted = await codecRequest(agent, 'encode', { payloads: [wire(json({ actor: FG }))] });
      expect(minted.statusCode).toBe(404);
    }
  });

  it('answers 401 without a session, with CORS headers so the UI can tell', async () => {
    const res = await codecRequest(undefined, 'decode', { payloads: [] });
    expect(res.statusCode).toBe(401);
    expect(res.headers['access-control-allow-origin']).toBe(UI);
    expect(res.json()).toMatchObject({ error: 'unauthenticated' });
  });

  it('refuses another origin with 403 before looking at the session, and gives it no CORS headers', async () => {
    for (const origin of ['https://evil.example', 'null', 'http://127.0.0.1:8080']) {
      const res = await codecRequest(fg, 'decode', { payloads: [] }, origin);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ error: 'forbidden-origin' });
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
    const preflight = await http.app.inject({
      method: 'OPTIONS',
      url: '/codec/decode',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers the preflight for the UI origin only, allowing credentials and the protocol headers', async () => {
    const res = await http.app.inject({
      method: 'OPTIONS',
      url: '/codec/decode',
      headers: {
        origin: UI,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-namespace',
      },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers).toMatchObject({
      'access-control-allow-origin': UI,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'POST, OPTIONS',
      vary: 'Origin',
    });
    expect(String(res.headers['access-control-allow-headers'])).toContain('x-namespace');
  });

  it('needs a person of http.codecOperators: the communications officer and the deputy FG may not decode', async () => {
    for (const email of [COMMS, FG_DEPUTY]) {
      const agent = await http.as(email);
      const res = await codecRequest(agent, 'decode', { payloads: [] });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ error: 'forbidden' });
    }
  });

  it('names nobody by default, and refuses the old http.codecRoles naming its replacement', async () => {
    const { configSchema } = await import('../../domain/config');
    const base = { organisation: { name: 'X' }, smtp: { from: 'x <x@x.example>' }, directory };
    expect(configSchema.parse(base).http.codecOperators).toEqual([]);
    const old = configSchema.safeParse({ ...base, http: { codecRoles: ['fg', 'ciso', 'ict'] } });
    expect(old.success).toBe(false);
    expect(JSON.stringify(old.error?.issues)).toContain('http.codecOperators');
    const stranger = configSchema.safeParse({ ...base, http: { codecOperators: ['nobody@test.example'] } });
    expect(stranger.error?.issues[0]).toMatchObject({
      path: ['http', 'codecOperators', 0],
      message: 'nobody@test.example is not in the directory',
    });
  });

  it('refuses a foreign namespace, bad bodies and payloads it cannot decrypt with a message naming no content', async () => {
    const foreign = await http.app.inject({
      method: 'POST',
      url: '/codec/decode',
      headers: {
        'content-type': 'application/json',
        'x-namespace': 'other',
        origin: UI,
        cookie: [...fg.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
      payload: '{"payloads":[]}',
    });
    expect(foreign.statusCode).toBe(400);
    expect((await codecRequest(fg, 'decode', { payloads: [{ data: 'not base64 !' }] })).statusCode).toBe(400);
    const [alien] = await new AesGcmCodec(ring('someone-elses-key')).encode([json(SECRET_TEXT)]);
    const res = await codecRequest(fg, 'decode', { payloads: [wire(alien!)] });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: 'codec-failed',
      message: expect.stringContaining('"someone-elses-key"'),
    });
  });
});
