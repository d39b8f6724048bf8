/**
 * How a client says who authenticated an act (domain/act-proof.ts). The HTTP service signs, with a key only it
 * holds, for the person it has authenticated; the CLI marks its acts as an operator's, with the OS user and host,
 * because whoever runs it holds the payload keys and can type any --as.
 */
import { createPrivateKey, randomBytes, sign } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { dirname } from 'node:path';
import { ConfigError } from '../../config/load';
import {
  actKeyId,
  actPublicKey,
  keyBytes,
  signActProofWith,
  type ActAuthority,
  type ActExpectation,
} from '../../domain/act-proof';

/** The HTTP service's act-signing key: an Ed25519 secret key (32 bytes) as 64 hex digits. Never given to the worker. */
export const ACT_SIGNING_KEY_ENV = 'LEKDICHT_ACT_SIGNING_KEY';
/** The worker's ring of the matching public keys (64 hex digits each, comma-separated), for rotation. */
export const ACT_PUBLIC_KEYS_ENV = 'LEKDICHT_ACT_PUBLIC_KEYS';
/** npm start's development signing key, beside the other development secrets (data/dev-secrets/). */
export const DEV_ACT_KEY_FILE_NAME = 'lekdicht_act_signing_key';

/** Puts the authority on an act: a proof, or an operator marker. Every act-sending client function takes one. */
export type ActAuthenticator = (act: ActExpectation) => ActAuthority;

/** PKCS #8 DER of an Ed25519 private key, before its 32-byte seed (RFC 8410): how Node's crypto takes a raw seed. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * The HTTP service: a proof over breach, workflow, message, task, actor, time and the answer's digest. Signed with
 * Node's native Ed25519 (the same signature as domain/act-proof.ts's, which workflows verify): the pure-JS one took
 * ~2 ms of the service's CPU per act, and the key's id is worked out once, not at every act (issue 16).
 */
export function actSigner(secretKey: Uint8Array, now: () => Date = () => new Date()): ActAuthenticator {
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, secretKey]),
    format: 'der',
    type: 'pkcs8',
  });
  const key = {
    keyId: actKeyId(actPublicKey(secretKey)),
    sign: (message: Uint8Array) => new Uint8Array(sign(null, message, privateKey)),
  };
  return (act) => ({ proof: signActProofWith(key, act, now()) });
}

/** The CLI: an operator act, recorded as "<actor> via CLI, OS user <user> on <host>". */
export function cliOperator(): ActAuthenticator {
  let osUser: string;
  try {
    osUser = userInfo().username;
  } catch {
    osUser = process.env.USER ?? process.env.USERNAME ?? `uid ${process.getuid?.() ?? 'unknown'}`;
  }
  const via = {
    kind: 'cli' as const,
    osUser: osUser.slice(0, 64) || 'unknown',
    host: hostname().slice(0, 255) || 'unknown',
  };
  return () => ({ via });
}

/** A signing key from its hex text; throws naming where it came from. */
export function parseSigningKey(text: string, source: string): Uint8Array {
  const key = keyBytes(text);
  if (!key)
    throw new ConfigError(
      `${source}: is not an Ed25519 secret key (32 bytes as 64 hex digits); generate one with: node -e "console.log(require('crypto').randomBytes(32).toString('hex'))"`,
    );
  return key;
}

/** The public key (hex) and its id, as the worker's ring (acts.publicKeys / LEKDICHT_ACT_PUBLIC_KEYS) needs it. */
export function publicKeyOf(secretKey: Uint8Array): { hex: string; id: string } {
  const pub = actPublicKey(secretKey);
  return { hex: Buffer.from(pub).toString('hex'), id: actKeyId(pub) };
}

/** npm start: the development signing key, generated once (owner-only) and reused. */
export function devSigningKey(file: string): Uint8Array {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  }
  return parseSigningKey(readFileSync(file, 'utf8'), file);
}
