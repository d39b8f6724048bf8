import type { Client } from '@temporalio/client';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../domain/config';
import type { Person } from '../../domain/roles';
import type { Responder } from './responder';

/**
 * What page routes get to work with. Pages must go through `responder` for every breach they read or change:
 * it applies the same involvement and role checks as the JSON API. Every POST is CSRF-checked by the app
 * already (send `_csrf` from `csrfToken(reply)` as a form field).
 */
export interface PageServices {
  config: Config;
  client: Client;
  responder: Responder;
  /** The logged-in person, or undefined (then redirect to loginUrl). */
  person(request: FastifyRequest): Person | undefined;
  loginUrl(request: FastifyRequest): string;
  csrfToken(reply: FastifyReply): string;
}

/** A set of page routes, registered after the API under the same session, CSRF and error handling. */
export type PagePlugin = (app: FastifyInstance, services: PageServices) => Promise<void>;

/**
 * The place to register the web pages (client/web/): add a plugin here, e.g.
 *   export const pagePlugins: PagePlugin[] = [webPages];
 * buildApp uses this list unless its `pages` option says otherwise. While no plugin serves `GET /`, the app
 * serves a small placeholder there.
 */
export const pagePlugins: PagePlugin[] = [];
