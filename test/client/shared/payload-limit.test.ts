import { testSigner } from '../../support/acts';
/**
 * Payloads that would exceed Temporal's payload limit are refused before they reach the server, with a message
 * that names the field (issue 5, item 5). Real Temporal dev server of the test run; the refusals are also checked
 * against a client that cannot reach any server at all, so "before the server" is what is tested.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  amendBreachFacts,
  assertPayloadSize,
  completeTask,
  correctAwareness,
  MAX_PAYLOAD_BYTES,
  reportBreach,
} from '../../../client/shared/breaches';
import { breachIdFor } from '../../../client/shared/breach-id';
import { InvalidInputError } from '../../../domain/errors';
import { Harness } from '../../support/harness';
import { cliEnv, runLekdicht } from '../../support/cli';
import { answers } from '../../support/answers';
import { FG } from '../../support/people';

const MB = 1_048_576;
const big = (bytes: number, c = 'x') => c.repeat(Math.ceil(bytes / Buffer.byteLength(c)));

async function refusal(promise: Promise<unknown>): Promise<InvalidInputError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidInputError);
    return err as InvalidInputError;
  }
  throw new Error('expected a refusal, but it was accepted');
}

describe('the payload limit', () => {
  it('sits safely under the Temporal server’s default 2 MB blob limit', () => {
    expect(MAX_PAYLOAD_BYTES).toBeGreaterThanOrEqual(1 * MB);
    expect(MAX_PAYLOAD_BYTES).toBeLessThanOrEqual(1.6 * MB);
  });

  it('names the field that makes a payload too large, counting UTF-8 bytes, and lets smaller ones pass', () => {
    expect(() => assertPayloadSize({ reasoning: big(MAX_PAYLOAD_BYTES - 1_000) }, 'answer')).not.toThrow();
    // 600,000 euro signs are 1.8 MB in UTF-8 although only 600,000 characters.
    expect(() => assertPayloadSize({ isPersonalDataBreach: true, reasoning: big(1.8 * MB, '€') }, 'answer')).toThrow(
      /^answer\.reasoning: is too large to send \(1\.8 MB of 1\.8 MB in all; at most 1\.5 MB goes to the workflow server\)/,
    );
    // Control characters take six bytes each in JSON.
    expect(() => assertPayloadSize({ summary: big(300_000, '\u0001') }, 'amendment')).toThrow(
      /^amendment\.summary: is too large/,
    );
    // An array of many small parts is named as a whole; nested fields by their path.
    expect(() =>
      assertPayloadSize({ systems: Array.from({ length: 100_000 }, () => 'a-system-name-of-20c') }, 'amendment'),
    ).toThrow(/^amendment\.systems: is too large/);
    expect(() =>
      assertPayloadSize({ improvementActions: [{ description: 'x' }, { description: big(2 * MB) }] }, 'answer'),
    ).toThrow(/^answer\.improvementActions\.1\.description: is too large/);
    // Many medium fields, none holding most of the bytes: the payload as a whole.
    expect(() =>
      assertPayloadSize(Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`f${i}`, big(0.5 * MB)])), 'answer'),
    ).toThrow(/^answer: is too large to send \(2\.0 MB; at most 1\.5 MB/);
    expect(() => assertPayloadSize({ reason: big(2 * MB) }, '')).toThrow(/^reason: is too large/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => assertPayloadSize(cyclic, 'answer')).toThrow(/^answer: cannot be sent: /);
  });
});

describe('oversized input is refused before it reaches the server; nothing is started or recorded', () => {
  let h: Harness;
  let breachId: string;
  let dir: string;
  /** A client that reaches no server: anything sent through it fails with a connection error, not an InvalidInputError. */
  let nowhere: Client;

  beforeAll(async () => {
    h = await Harness.start();
    dir = mkdtempSync(join(tmpdir(), 'lekdicht-payload-'));
    nowhere = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 1_000 }) });
    breachId = await h.report({
      source: 'payload-test',
      eventId: `PAYLOAD-${randomUUID()}`,
      summary: 'Mailbox export found on a public share',
    });
    await h.openTask(breachId, 'triage');
  });
  afterAll(async () => {
    await nowhere?.connection.close().catch(() => undefined);
    await h?.close();
  });

  it('completeTask: a 2 MB answer is refused naming answer.reasoning, without a server; the task stays open', async () => {
    const answer = { ...answers.triageBreach(), reasoning: big(2 * MB) };
    const offline = await refusal(completeTask(nowhere, breachId, 'triage', FG, answer, testSigner()));
    expect(offline.message).toMatch(
      /^answer\.reasoning: is too large to send \(2\.0 MB of 2\.0 MB in all; at most 1\.5 MB/,
    );
    expect((await refusal(completeTask(h.client, breachId, 'triage', FG, answer, testSigner()))).message).toBe(
      offline.message,
    );
    const view = await h.view(breachId);
    expect(view.tasks.find((t) => t.id === 'triage')).toMatchObject({ status: 'open' });
    expect(view.tasks.find((t) => t.id === 'triage')?.answer).toBeUndefined();
    expect(view.timeline.map((e) => e.kind)).not.toContain('completion-rejected');
  });

  it('just under the limit the payload reaches the workflow, whose validator names the field (the codec and request fit under 2 MB)', async () => {
    const answer = { ...answers.triageBreach(), reasoning: big(MAX_PAYLOAD_BYTES - 10_000) };
    const refused = await refusal(completeTask(h.client, breachId, 'triage', FG, answer, testSigner()));
    // The workflow's own refusal: the payload was sent, stored nowhere, and the task is still open.
    expect(refused.message).toBe('answer.reasoning: is longer than 5000 characters');
    expect((await h.view(breachId)).tasks.find((t) => t.id === 'triage')).toMatchObject({ status: 'open' });
  });

  it('amendBreachFacts and the notification playbook refuse oversized fields by name, without a server', async () => {
    const summary = await refusal(amendBreachFacts(nowhere, breachId, FG, { summary: big(3 * MB) }, testSigner()));
    expect(summary.message).toMatch(/^amendment\.summary: is too large to send \(3\.0 MB/);
    const categories = await refusal(
      amendBreachFacts(
        nowhere,
        breachId,
        FG,
        { dataCategories: Array.from({ length: 200_000 }, () => 'ordinary') },
        testSigner(),
      ),
    );
    expect(categories.message).toMatch(/^amendment\.dataCategories: is too large to send/);
    const reason = await refusal(
      correctAwareness(
        nowhere,
        breachId,
        { actor: FG, awareAt: new Date().toISOString(), reason: big(2 * MB) },
        testSigner(),
      ),
    );
    expect(reason.message).toMatch(/^reason: is too large to send/);
    const actor = await refusal(
      completeTask(nowhere, breachId, 'triage', big(2 * MB), answers.triageBreach(), testSigner()),
    );
    expect(actor.message).toMatch(/^completion\.actor: is too large to send/);
  });

  it('reportBreach: an oversized signal is refused by the schema naming the field, and no breach is started', async () => {
    const signal = {
      source: 'payload-test',
      eventId: `PAYLOAD-${randomUUID()}`,
      summary: 'Huge details',
      details: big(3 * MB),
    };
    const refused = await refusal(reportBreach(nowhere, signal, h.taskQueue));
    expect(refused.message).toBe('invalid signal: details: is longer than 20000 characters');
    await expect(reportBreach(h.client, signal, h.taskQueue)).rejects.toThrow(refused.message);
    await expect(
      h.client.workflow.getHandle(breachIdFor(signal.source, signal.eventId)).describe(),
    ).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });

  it('the CLI refuses a 3 MB answer file with exit code 2 and the field, and the task stays open', async () => {
    const env = cliEnv(h);
    const file = join(dir, 'huge-answer.json');
    writeFileSync(file, JSON.stringify({ ...answers.triageBreach(), reasoning: big(3 * MB, '<script>') }));
    const run = await runLekdicht(
      ['task', 'complete', breachId, 'triage', '--as', 'fg@voorbeeld.nl', '--answer-file', file],
      env,
    );
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^lekdicht: answer\.reasoning: is too large to send \(3\.0 MB of 3\.0 MB in all; at most 1\.5 MB goes to the workflow server\)/,
    );
    expect((await h.view(breachId)).tasks.find((t) => t.id === 'triage')).toMatchObject({ status: 'open' });
  });
});
