import type { FastifyRequest } from 'fastify';
import { findPerson, type Directory, type Person } from '../../domain/roles';
import { HttpError } from './errors';

/** What a session holds: who logged in (an address looked up in the directory on every request). */
export interface SessionUser {
  email: string;
}

declare module 'fastify' {
  interface Session {
    user?: SessionUser;
  }
  interface FastifyContextConfig {
    /**
     * false: the route is not protected by the CSRF check (intake: HMAC-signed, no cookies); 'login': the token
     * of a login form, bound to a cookie rather than a session (client/http/login-csrf.ts).
     */
    csrf?: boolean | 'login';
  }
}

/**
 * The person behind the session, as the directory has them now: someone removed from the config loses access
 * with the next request, whatever their session says.
 */
export function sessionPerson(request: FastifyRequest, directory: Directory): Person | undefined {
  const email = request.session?.user?.email;
  return email === undefined ? undefined : findPerson(directory, email);
}

export function requirePerson(request: FastifyRequest, directory: Directory): Person {
  const person = sessionPerson(request, directory);
  if (!person) throw new HttpError(401, 'unauthenticated', 'log in first: POST /login (or follow a login link)');
  return person;
}

/** A redirect target after login: only a path on this site, never another host ("//evil.example"). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) ? next : '/';
}
