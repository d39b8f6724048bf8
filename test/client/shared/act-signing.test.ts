import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actSigner } from '../../../client/shared/act-signing';
import { actPublicKey, signActProof, verifyActProof, type ActExpectation } from '../../../domain/act-proof';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

const act = fc.record({
  breachId: fc.stringMatching(/^breach-[0-9a-f]{20}$/),
  workflowId: fc.stringMatching(/^breach-[0-9a-f]{20}(\.[a-z-]{1,20})?$/),
  message: fc.constantFrom('completeTask', 'amendFacts', 'classifyIncident', 'correctAwareness', 'recordNotification'),
  taskId: fc.option(fc.stringMatching(/^[a-z][a-z0-9-]{0,30}$/), { nil: undefined }),
  actor: fc.emailAddress(),
  body: fc.jsonValue(),
}) as fc.Arbitrary<ActExpectation>;

describe("the HTTP service's act signer (Node's native Ed25519)", () => {
  it('makes the very proof the pure-JS signer makes, which the workflows verify', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), act, (seed, expectation) => {
        const at = new Date('2026-12-05T10:00:00Z');
        const native = actSigner(seed, () => at)(expectation).proof;
        expect(native).toEqual(signActProof(seed, expectation, at));
        const verdict = verifyActProof(
          native,
          expectation,
          { publicKeys: [hex(actPublicKey(seed))], maxAgeMs: 60_000 },
          at.getTime(),
        );
        expect(verdict).toEqual({ ok: true });
      }),
      { numRuns: 50 },
    );
  });

  it('signs with its own key: a proof of another key does not verify against this one', () => {
    const mine = randomBytes(32);
    const theirs = randomBytes(32);
    const expectation: ActExpectation = {
      breachId: 'b',
      workflowId: 'b',
      message: 'completeTask',
      taskId: 'triage',
      actor: 'fg@example.nl',
      body: { a: 1 },
    };
    const at = new Date();
    const proof = actSigner(theirs, () => at)(expectation).proof;
    const verdict = verifyActProof(
      proof,
      expectation,
      { publicKeys: [hex(actPublicKey(mine))], maxAgeMs: 60_000 },
      at.getTime(),
    );
    expect(verdict.ok).toBe(false);
  });
});
