/**
 * Who may act: a person's act (completing a task, amending facts, the notification playbook's messages) carries
 * either a proof from lekdicht's HTTP service — an Ed25519 assertion, signed with a key only the service holds,
 * that this person authenticated there and sent exactly this message — or an operator marker from lekdicht's CLI,
 * which is recorded as an operator act, never as the person's own. Pure and synchronous, so the workflows'
 * update validators verify it before anything is accepted (docs/security.md, "Who may act").
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import canonicalize from 'canonicalize';
import { z } from 'zod';
import { durationSchema } from './duration';

/** The messages that carry an actor, by their Temporal names (workflows/messages.ts). */
export const ACT_MESSAGES = [
  'completeTask',
  'completeTaskAsync',
  'amendFacts',
  'classifyIncident',
  'correctAwareness',
  'recordNotification',
] as const;
export type ActMessage = (typeof ACT_MESSAGES)[number];

/** A proof older than this in workflow time is refused: a captured proof cannot be replayed later. */
export const DEFAULT_ACT_PROOF_MAX_AGE_MS = 5 * 60_000;
/** Clocks differ a little between the HTTP service and the Temporal server; a proof from further ahead is refused. */
export const ACT_PROOF_FUTURE_SKEW_MS = 60_000;

const PROOF_VERSION = 1;
/** Domain separation: these bytes are never a valid signature over anything else the key might sign. */
const CONTEXT = 'lekdicht act proof v1\n';
const utf8 = new TextEncoder();

export const actProofSchema = z
  .object({
    v: z.literal(PROOF_VERSION, { message: `must be ${PROOF_VERSION}` }),
    keyId: z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 hex digits'),
    breachId: z.string().max(200),
    workflowId: z.string().max(300),
    message: z.enum(ACT_MESSAGES),
    taskId: z.string().max(200).optional(),
    actor: z.string().max(254),
    issuedAt: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 instant' }),
    /** SHA-256 (hex) of the canonical JSON (RFC 8785) of what the act says: the answer, or the message's own fields. */
    bodySha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 hex digits'),
    /** Ed25519 signature over CONTEXT + the canonical JSON of the fields above, as hex. */
    signature: z.string().regex(/^[0-9a-f]{128}$/, 'must be an Ed25519 signature (128 hex digits)'),
  })
  .strict();
export type ActProof = z.output<typeof actProofSchema>;

/** An act sent by an operator with lekdicht's CLI (who holds the payload keys): recorded as such. */
export const operatorViaSchema = z
  .object({
    kind: z.literal('cli', { message: 'must be "cli"' }),
    osUser: z
      .string()
      .trim()
      .min(1, 'is required')
      .max(64, 'is longer than 64 characters')
      .regex(/^[^\p{Cc}\p{Cf}]+$/u, 'must not contain control characters'),
    host: z
      .string()
      .trim()
      .min(1, 'is required')
      .max(255, 'is longer than 255 characters')
      .regex(/^[^\p{Cc}\p{Cf}]+$/u, 'must not contain control characters'),
  })
  .strict();
export type OperatorVia = z.output<typeof operatorViaSchema>;

/** What an act carries besides its own fields: exactly one of the two. */
export interface ActAuthority {
  proof?: ActProof;
  via?: OperatorVia;
}

/** How an act reached the workflow, as recorded: a person signed in to lekdicht, or an operator on its CLI. */
export type ActHow = { kind: 'person' } | { kind: 'operator'; via: OperatorVia };

/** The worker's part (settings): the HTTP service's public keys (a ring, for rotation) and the operator rule. */
export interface ActSettings {
  /** Ed25519 public keys, 32 bytes as hex; any of them verifies. Public: they may be in history. */
  publicKeys: string[];
  /** `allow` (default): CLI acts are accepted and recorded as operator acts; `refuse`: only signed acts. */
  operatorActs: 'allow' | 'refuse';
  maxAgeMs: number;
}

export const actsConfigSchema = z
  .object({
    /** The HTTP service's act-signing public keys (32 bytes as 64 hex digits), oldest first; see docs/security.md. */
    publicKeys: z
      .array(
        z
          .string()
          .trim()
          .regex(
            /^[0-9a-fA-F]{64}$/,
            'must be an Ed25519 public key as 64 hex digits (the HTTP service prints it at start)',
          ),
      )
      .default([]),
    operatorActs: z.enum(['allow', 'refuse']).default('allow'),
    /** A proof older than this (workflow time) is refused: a captured proof is only good right after it was made. */
    proofMaxAge: durationSchema
      .refine((ms) => ms >= 10_000 && ms <= 3_600_000, 'must be between 10s and 1h')
      .prefault('5m'),
  })
  .strict();

/** What a proof must be about: everything the workflow knows independently of the proof. */
export interface ActExpectation {
  breachId: string;
  workflowId: string;
  message: ActMessage;
  taskId?: string;
  actor: string;
  /** The answer (completions) or the message's fields without actor, proof and via. */
  body: unknown;
}

/** The fields a proof signs, without the signature. */
export type ActAssertion = Omit<ActProof, 'signature'>;

/** A 32-byte key as 64 hex digits; undefined when it is not one. */
export function keyBytes(text: string): Uint8Array | undefined {
  const t = text.trim();
  return /^[0-9a-fA-F]{64}$/.test(t) ? hexToBytes(t.toLowerCase()) : undefined;
}

/** A public key's id: the first 8 bytes of its SHA-256, so no id needs configuring or can be mislabelled. */
export function actKeyId(publicKey: Uint8Array): string {
  return bytesToHex(sha256(publicKey)).slice(0, 16);
}

/**
 * RFC 8785 canonical JSON. The RFC refuses strings with a lone surrogate, which hostile input may hold (and which
 * the validators must still refuse by name, not by a crash): for those, the same serialization extended as
 * JSON.stringify writes them (an escape such as \udfff), keys sorted the same way (UTF-16 code units), so it
 * is still one text per value.
 */
function canonicalJson(value: unknown): string {
  try {
    return canonicalize(value) ?? 'null';
  } catch {
    const sorted = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(sorted)
        : v !== null && typeof v === 'object'
          ? Object.fromEntries(
              Object.keys(v)
                .sort()
                .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
            )
          : v;
    return JSON.stringify(sorted(value)) ?? 'null';
  }
}

/** SHA-256 of the canonical JSON of `body` as it travels (JSON: undefined fields are dropped). */
export function bodyDigest(body: unknown): string {
  const json = canonicalJson(body === undefined ? null : (JSON.parse(JSON.stringify(body) ?? 'null') as unknown));
  return bytesToHex(sha256(utf8.encode(json)));
}

function signedBytes(assertion: ActAssertion): Uint8Array {
  const { v, keyId, breachId, workflowId, message, taskId, actor, issuedAt, bodySha256 } = assertion;
  return utf8.encode(
    CONTEXT +
      canonicalJson({ v, keyId, breachId, workflowId, message, taskId: taskId ?? null, actor, issuedAt, bodySha256 }),
  );
}

/** The public key of a 32-byte Ed25519 secret key (seed). */
export function actPublicKey(secretKey: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(secretKey);
}

/** Signs an act: what the HTTP service does for a person it has authenticated (client/shared/act-signing.ts). */
export function signActProof(secretKey: Uint8Array, act: ActExpectation, issuedAt: Date): ActProof {
  return signActProofWith(
    { keyId: actKeyId(actPublicKey(secretKey)), sign: (message) => ed25519.sign(message, secretKey) },
    act,
    issuedAt,
  );
}

/**
 * An Ed25519 signer: the key's id and a function signing bytes with it. Ed25519 signatures are deterministic, so any
 * correct implementation gives the same proof; the HTTP service uses Node's native one (client/shared/act-signing.ts).
 */
export interface ActSigningKey {
  keyId: string;
  sign: (message: Uint8Array) => Uint8Array;
}

/** signActProof with a signer made once (its key id and a native signature, for the HTTP service). */
export function signActProofWith(key: ActSigningKey, act: ActExpectation, issuedAt: Date): ActProof {
  const assertion: ActAssertion = {
    v: PROOF_VERSION,
    keyId: key.keyId,
    breachId: act.breachId,
    workflowId: act.workflowId,
    message: act.message,
    ...(act.taskId !== undefined ? { taskId: act.taskId } : {}),
    actor: act.actor.trim().toLowerCase(),
    issuedAt: issuedAt.toISOString(),
    bodySha256: bodyDigest(act.body),
  };
  return { ...assertion, signature: bytesToHex(key.sign(signedBytes(assertion))) };
}

type Verdict = { ok: true } | { ok: false; message: string };

/**
 * Verifies a proof against what the workflow expects. Refuses one that does not parse, is signed by no key in the
 * ring, does not verify, is about another breach, workflow, message, task, actor or body, or was issued more than
 * `maxAgeMs` before `now` (workflow time) or from too far ahead.
 */
export function verifyActProof(
  proof: unknown,
  expected: ActExpectation,
  settings: Pick<ActSettings, 'publicKeys' | 'maxAgeMs'>,
  now: number,
): Verdict {
  const parsed = actProofSchema.safeParse(proof);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      message: `proof${issue?.path.length ? `.${issue.path.join('.')}` : ''}: ${issue?.message ?? 'is not a proof'}`,
    };
  }
  const p = parsed.data;
  const key = settings.publicKeys
    .map(keyBytes)
    .find((k): k is Uint8Array => k !== undefined && actKeyId(k) === p.keyId);
  if (!key)
    return {
      ok: false,
      message: `proof.keyId: ${p.keyId} is not one of the HTTP service's act-signing keys this worker knows`,
    };
  let valid = false;
  try {
    valid = ed25519.verify(hexToBytes(p.signature), signedBytes(p), key, { zip215: false });
  } catch {
    valid = false;
  }
  if (!valid)
    return {
      ok: false,
      message: "proof.signature: does not verify: the proof was altered or not made by lekdicht's HTTP service",
    };
  const mismatch = (field: string, got: unknown, want: unknown) => ({
    ok: false as const,
    message: `proof.${field}: is for ${JSON.stringify(got)}, not ${JSON.stringify(want)}`,
  });
  if (p.breachId !== expected.breachId) return mismatch('breachId', p.breachId, expected.breachId);
  if (p.workflowId !== expected.workflowId) return mismatch('workflowId', p.workflowId, expected.workflowId);
  if (p.message !== expected.message) return mismatch('message', p.message, expected.message);
  if ((p.taskId ?? null) !== (expected.taskId ?? null))
    return mismatch('taskId', p.taskId ?? null, expected.taskId ?? null);
  const actor = typeof expected.actor === 'string' ? expected.actor.trim().toLowerCase() : '';
  if (p.actor !== actor) return mismatch('actor', p.actor, actor);
  let digest: string;
  try {
    digest = bodyDigest(expected.body);
  } catch {
    return { ok: false, message: 'proof.bodySha256: the message cannot be put in canonical JSON' };
  }
  if (p.bodySha256 !== digest)
    return { ok: false, message: 'proof.bodySha256: the proof was made for another answer or other fields than these' };
  const issued = Date.parse(p.issuedAt);
  if (issued < now - settings.maxAgeMs)
    return {
      ok: false,
      message: `proof.issuedAt: ${p.issuedAt} is more than ${Math.round(settings.maxAgeMs / 60_000)} minutes old: a proof is used once, right after it is made`,
    };
  if (issued > now + ACT_PROOF_FUTURE_SKEW_MS)
    return { ok: false, message: `proof.issuedAt: ${p.issuedAt} lies in the future` };
  return { ok: true };
}

/**
 * The one rule every act-carrying message follows (validators and the completeTaskAsync signal): a proof that
 * verifies makes it the person's own act; otherwise an operator marker, if operator acts are allowed, makes it an
 * operator act; anything else is refused with a message naming the field.
 */
export function checkAct(
  authority: ActAuthority | undefined,
  expected: ActExpectation,
  settings: ActSettings | undefined,
  now: number,
): { ok: true; how: ActHow } | { ok: false; message: string } {
  const acts = settings ?? { publicKeys: [], operatorActs: 'allow', maxAgeMs: DEFAULT_ACT_PROOF_MAX_AGE_MS };
  const proof = authority?.proof;
  const via = authority?.via;
  if (proof !== undefined && via !== undefined)
    return {
      ok: false,
      message: "proof: an act carries either the HTTP service's proof or the CLI's operator marker (via), not both",
    };
  if (proof !== undefined) {
    const verdict = verifyActProof(proof, expected, acts, now);
    return verdict.ok ? { ok: true, how: { kind: 'person' } } : verdict;
  }
  if (via !== undefined) {
    if (acts.operatorActs === 'refuse')
      return {
        ok: false,
        message:
          "via: operator acts from the CLI are refused here (config acts.operatorActs: refuse); act through lekdicht's web pages or API",
      };
    const parsed = operatorViaSchema.safeParse(via);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return {
        ok: false,
        message: `via${issue?.path.length ? `.${issue.path.join('.')}` : ''}: ${issue?.message ?? 'is not an operator marker'}`,
      };
    }
    return { ok: true, how: { kind: 'operator', via: parsed.data } };
  }
  return {
    ok: false,
    message:
      "proof: is required: an act comes signed from lekdicht's HTTP service (a person signed in), or from its CLI as an operator act",
  };
}

/** How an operator act reads in the timeline and the register: never as if the person had signed in. */
export function describeOperator(actor: string, via: OperatorVia): string {
  return `${actor} via CLI, OS user ${via.osUser} on ${via.host}`;
}

/** The message's own fields, which its proof covers: everything except who acts and how. */
export function actBody(args: unknown): unknown {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return args;
  const rest: Record<string, unknown> = { ...(args as Record<string, unknown>) };
  delete rest.actor;
  delete rest.proof;
  delete rest.via;
  return rest;
}
