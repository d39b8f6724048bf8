import { inject } from 'vitest';
import { Client, type ConnectionLike } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { dataConverterFromKeys, failureConverterPath } from '../../codec/data-converter';
import { parseKeyRing } from '../../codec/keys';
import {
  actSigner,
  cliOperator,
  parseSigningKey,
  publicKeyOf,
  type ActAuthenticator,
} from '../../client/shared/act-signing';
import type { ActAuthority } from '../../domain/act-proof';

/** The run's act-signing key (global-setup), as the HTTP service in tests holds it. */
export function testActKey(): Uint8Array {
  return parseSigningKey(inject('actSigningKey'), 'the test run act signing key');
}

/** Its public key, for the worker's config (acts.publicKeys). */
export function testActPublicKey(): string {
  return publicKeyOf(testActKey()).hex;
}

/**
 * Signs acts as lekdicht's HTTP service does for a person it has authenticated: for tests that complete tasks
 * through the Temporal client directly, so the record reads as the person's own act.
 */
export function testSigner(): ActAuthenticator {
  return actSigner(testActKey());
}

/** Signs on another clock, e.g. the time-skipping server's (its workflows' time is days ahead of this machine's). */
export function testSignerAt(nowMs: number): ActAuthenticator {
  return actSigner(testActKey(), () => new Date(nowMs));
}

/** An act as the CLI sends it: recorded as an operator act. */
export const operator = cliOperator;

/** A completion signed for the workflow that owns the task, for tests that send the update or signal themselves. */
export function signedCompletion<C extends { taskId: string; actor: string; answer: unknown }>(
  breachId: string,
  workflowId: string,
  completion: C,
  message: 'completeTask' | 'completeTaskAsync' = 'completeTask',
): C & ActAuthority {
  return {
    ...completion,
    ...testSigner()({
      breachId,
      workflowId,
      message,
      taskId: completion.taskId,
      actor: completion.actor,
      body: completion.answer,
    }),
  };
}

/**
 * A client on the same server without lekdicht's codec: what an outsider with network access to Temporal sends.
 * It sends plaintext, but reads the worker's (encrypted) refusals, so a test can tell why each was refused.
 */
export function plaintextClient(connection: ConnectionLike, namespace: string): Client {
  const { codec } = dataConverterFromKeys({ keys: parseKeyRing(inject('codecKeys'), 'test keys'), source: 'test' });
  const sendsPlaintext = { encode: async (p: Payload[]) => p, decode: (p: Payload[]) => codec.decode(p) };
  return new Client({
    connection,
    namespace,
    dataConverter: { payloadCodecs: [sendsPlaintext], failureConverterPath },
  });
}
