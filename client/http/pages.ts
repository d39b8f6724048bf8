import type { Client } from '@temporalio/client';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../domain/config';
import type { BreachRegister } from '../../register/store';
import type { Person } from '../../domain/roles';
import type { HttpLog } from './log';
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
  /** The service's log: pages log unexpected errors by kind only, as the API does. */
  log: HttpLog;
  /** Where a breach reported on the web starts (the worker's task queue). */
  taskQueue: string;
  /** Where the recipient upload stores the people affected; absent when this service may not write the register. */
  recipients?: Pick<BreachRegister, 'addRecipients' | 'recipientCounts'>;
}

/** A set of page routes, registered after the API under the same session, CSRF and error handling. */
export type PagePlugin = (app: FastifyInstance, services: PageServices) => Promise<void>;
