import { createHmac, timingSafeEqual } from 'node:crypto';

/** Headers of a signed intake request (docs/http-api.md has a curl + openssl example). */
export const TIMESTAMP_HEADER = 'x-lekdicht-timestamp';
export const SIGNATURE_HEADER = 'x-lekdicht-signature';

/** HMAC-SHA256 over `${timestamp}.${rawBody}`, as the header value `sha256=<hex>`. */
export function signIntake(secret: string, timestamp: number | string, rawBody: string | Buffer): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
  return `sha256=${mac}`;
}

export type SignatureProblem = 'missing' | 'malformed' | 'stale' | 'mismatch';

/**
 * Checks the signature in constant time and the timestamp against the clock: a request outside the window is
 * refused even when its signature is right, so a captured request cannot be replayed later.
 */
export function checkIntakeSignature(opts: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
  nowMs: number;
  maxSkewMs: number;
}): SignatureProblem | undefined {
  const { timestamp, signature } = opts;
  if (!timestamp || !signature) return 'missing';
  if (!/^\d{1,12}$/.test(timestamp)) return 'malformed';
  const match = /^sha256=([0-9a-f]{64})$/i.exec(signature.trim());
  if (!match) return 'malformed';
  const expected = Buffer.from(signIntake(opts.secret, timestamp, opts.rawBody).slice('sha256='.length), 'hex');
  const given = Buffer.from(match[1]!.toLowerCase(), 'hex');
  // Compare first, judge the clock after: the answer's timing then says nothing about which check failed.
  const equal = given.length === expected.length && timingSafeEqual(given, expected);
  if (!equal) return 'mismatch';
  if (Math.abs(opts.nowMs - Number(timestamp) * 1000) > opts.maxSkewMs) return 'stale';
  return undefined;
}
