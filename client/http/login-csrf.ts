import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Holds the random value the login form's token is bound to; nothing else. */
export const LOGIN_CSRF_COOKIE = 'lekdicht.login';
const NONCE = /^[A-Za-z0-9_-]{43}$/;
const MAX_AGE_S = 60 * 60;

/**
 * CSRF protection for the login forms without a stored session: a visitor who is not logged in gets no session row
 * (a crawler loading /login 200 times must not fill the database), so the token cannot be kept on the server.
 * Instead the signed double-submit pattern: a random value in an httpOnly, SameSite cookie, and a token that is an
 * HMAC of it under the session secret. A forged cross-site form has neither the cookie's value nor the secret, so
 * it cannot carry a matching token; the token means nothing with another cookie.
 */
export class LoginCsrf {
  constructor(
    private readonly secret: string,
    private readonly secure: boolean,
  ) {}

  private sign(nonce: string): string {
    return createHmac('sha256', this.secret).update(`login-form:${nonce}`).digest('base64url');
  }

  /** The token for a login form; sets the cookie when the visitor has none (or a malformed one). */
  token(request: FastifyRequest, reply: FastifyReply): string {
    let nonce = request.cookies[LOGIN_CSRF_COOKIE];
    if (nonce === undefined || !NONCE.test(nonce)) {
      nonce = randomBytes(32).toString('base64url');
      reply.setCookie(LOGIN_CSRF_COOKIE, nonce, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: this.secure,
        maxAge: MAX_AGE_S,
      });
    }
    return this.sign(nonce);
  }

  /** Whether the request's token belongs to its cookie. */
  valid(request: FastifyRequest, token: string | undefined): boolean {
    const nonce = request.cookies[LOGIN_CSRF_COOKIE];
    if (nonce === undefined || !NONCE.test(nonce) || token === undefined) return false;
    const expected = Buffer.from(this.sign(nonce));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
