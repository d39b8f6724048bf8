import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const OIDC_CHECKS_COOKIE = 'lekdicht_oidc';
/** A login at the provider takes minutes at most; an older round trip starts again. */
const MAX_AGE_S = 10 * 60;

/** What the callback must check (state, nonce, PKCE verifier) and where the person wanted to go. */
export interface OidcChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
  next: string;
}

/**
 * Carries the OIDC round trip's checks in a cookie of their own, signed with the session secret, instead of in a
 * stored session: a visit to /auth/oidc/start is anonymous, and anonymous visits must leave no row in the session
 * store (a flood of them would fill it). The cookie is httpOnly, sent only to /auth/oidc, used once, and expires.
 * The PKCE verifier in it is no secret from the browser that started the login: it proves the code comes back to
 * that same browser.
 */
export class OidcChecksCookie {
  constructor(
    private readonly secret: string,
    private readonly secure: boolean,
  ) {}

  private sign(payload: string): Buffer {
    return createHmac('sha256', this.secret).update(`oidc-checks:${payload}`).digest();
  }

  set(reply: FastifyReply, checks: OidcChecks, now = Date.now()): void {
    const payload = Buffer.from(JSON.stringify({ ...checks, exp: now + MAX_AGE_S * 1_000 })).toString('base64url');
    const value = `${payload}.${this.sign(payload).toString('base64url')}`;
    reply.setCookie(OIDC_CHECKS_COOKIE, value, {
      path: '/auth/oidc',
      httpOnly: true,
      sameSite: 'lax',
      secure: this.secure,
      maxAge: MAX_AGE_S,
    });
  }

  /** The checks the cookie holds, if its signature is right and it has not expired; the cookie is cleared either way. */
  take(request: FastifyRequest, reply: FastifyReply, now = Date.now()): OidcChecks | undefined {
    const value = request.cookies[OIDC_CHECKS_COOKIE];
    reply.clearCookie(OIDC_CHECKS_COOKIE, { path: '/auth/oidc' });
    if (value === undefined || value.length > 4_096) return undefined;
    const [payload, signature, ...rest] = value.split('.');
    if (!payload || !signature || rest.length > 0) return undefined;
    const expected = this.sign(payload);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    const c = parsed as Partial<OidcChecks & { exp: number }>;
    const strings = [c.state, c.nonce, c.codeVerifier, c.next].every((v) => typeof v === 'string');
    if (!strings || typeof c.exp !== 'number' || c.exp < now) return undefined;
    return { state: c.state!, nonce: c.nonce!, codeVerifier: c.codeVerifier!, next: c.next! };
  }
}
