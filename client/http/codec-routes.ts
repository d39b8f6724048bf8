import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { z } from 'zod';
import type { Config } from '../../domain/config';
import type { AuthStore } from '../shared/auth-store';
import { HttpError } from './errors';
import { userRef, type HttpLog } from './log';
import { sessionPerson } from './session';

export interface CodecRouteDeps {
  /** Its data converter's codecs are the endpoint's: the same keys as the service and the worker. */
  client: Client;
  config: Config;
  log: HttpLog;
  logKey: string;
  /** Where every decode is recorded: who, when, how many payloads. */
  authStore: Pick<AuthStore, 'recordDecode'>;
  now?: () => number;
}

/** A history event's payloads can be large (Temporal allows 2 MB each); the UI sends them in one request. */
const CODEC_BODY_LIMIT = 8 * 1024 * 1024;
const ALLOWED_HEADERS = 'content-type, x-namespace, authorization, authorization-extras';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const bodySchema = z.object({
  payloads: z
    .array(z.object({ metadata: z.record(z.string(), base64).optional(), data: base64.optional() }))
    .max(10_000),
});

type WirePayload = z.infer<typeof bodySchema>['payloads'][number];

const fromWire = (p: WirePayload): Payload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))]),
  ),
  data: new Uint8Array(Buffer.from(p.data ?? '', 'base64')),
});

const toWire = (p: Payload) => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).flatMap(([k, v]) => (v ? [[k, Buffer.from(v).toString('base64')]] : [])),
  ),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

/**
 * Temporal's remote codec protocol for the Temporal UI: POST {payloads} to /codec/decode. The UI runs on another
 * origin (its own port) and calls this from the operator's browser, so it is a CORS endpoint that answers only the
 * configured UI origins, with credentials, and then wants the session of a person listed in http.codecOperators.
 *
 * Decoding shows every breach's contents, also to someone the involvement rule keeps out of that breach's page,
 * so it is an operations duty of named people, and each decode is recorded. There is no /codec/encode: a person
 * never needs to make ciphertext (their acts go through lekdicht's pages and API), and an encoder would let them
 * mint payloads the worker accepts as lekdicht's own.
 */
export async function codecRoutes(app: FastifyInstance, deps: CodecRouteDeps): Promise<void> {
  const { config, log } = deps;
  const now = deps.now ?? Date.now;
  const codecs = deps.client.options.loadedDataConverter.payloadCodecs;
  const namespace = deps.client.options.namespace;
  const origins = new Set(config.http.temporalUiOrigins);
  const operators = new Set(config.http.codecOperators.map((email) => email.toLowerCase()));

  /**
   * Browsers send Origin with every cross-origin request and every POST, and a page cannot forge it. A request
   * without Origin therefore comes from no browser page (curl, `temporal --codec-endpoint`), which cannot ride
   * on someone's cookie: it still needs a session cookie of its own.
   */
  const checkOrigin = (request: FastifyRequest, reply: FastifyReply): void => {
    const origin = request.headers.origin;
    if (origin === undefined) return;
    if (!origins.has(origin))
      throw new HttpError(
        403,
        'forbidden-origin',
        'this origin may not use the codec endpoint; only the Temporal UI (http.temporalUiOrigins) may',
      );
    reply
      .header('access-control-allow-origin', origin)
      .header('access-control-allow-credentials', 'true')
      .header('vary', 'Origin');
  };

  // The preflight carries no cookies: it only tells the browser that the UI may send the real request with them.
  app.options('/codec/decode', { schema: { hide: true } }, async (request, reply) => {
    checkOrigin(request, reply);
    return reply
      .header('access-control-allow-methods', 'POST, OPTIONS')
      .header('access-control-allow-headers', ALLOWED_HEADERS)
      .header('access-control-max-age', '600')
      .status(204)
      .send();
  });

  app.post(
    '/codec/decode',
    {
      schema: { hide: true },
      bodyLimit: CODEC_BODY_LIMIT,
      // No CSRF token: the UI cannot obtain one (it is another origin and never loads our pages). The Origin
      // check in onRequest takes its place: a forged cross-site request carries the attacker's Origin and is
      // refused before the body is read, and the session cookie is SameSite=lax besides.
      config: { csrf: false },
      onRequest: async (request, reply) => checkOrigin(request, reply),
    },
    async (request, reply) => {
      const person = sessionPerson(request, config.directory);
      if (!person) throw new HttpError(401, 'unauthenticated', 'log in to lekdicht first, in this browser');
      if (!operators.has(person.email.toLowerCase())) {
        log({
          event: 'refused',
          action: 'codec-decode',
          reason: 'not-an-operator',
          user: userRef(deps.logKey, person.email),
        });
        throw new HttpError(
          403,
          'forbidden',
          'decoding payloads is for the operators named in http.codecOperators; your pages show the breaches you are involved in',
        );
      }
      const requested = request.headers['x-namespace'];
      if (typeof requested === 'string' && requested !== '' && requested !== namespace) {
        throw new HttpError(400, 'unknown-namespace', `this codec endpoint serves namespace ${namespace} only`);
      }
      const parsed = bodySchema.safeParse(request.body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new HttpError(
          400,
          'invalid-input',
          `invalid input: ${issue?.path.join('.') || '(input)'}: ${issue?.message ?? 'is invalid'}`,
        );
      }
      let payloads = parsed.data.payloads.map(fromWire);
      // Recorded before decoding: an attempt counts, also one that fails half-way.
      await deps.authStore.recordDecode(person.email, payloads.length, now());
      log({ event: 'codec', action: 'decode', payloads: payloads.length, user: userRef(deps.logKey, person.email) });
      try {
        // Decoding applies the codecs in reverse order: the SDK's own order.
        for (const codec of [...codecs].reverse()) payloads = await codec.decode(payloads);
      } catch (err) {
        // Codec errors name a key id or the kind of damage, never content.
        throw new HttpError(400, 'codec-failed', (err as Error).message);
      }
      return reply.send({ payloads: payloads.map(toWire) });
    },
  );
}
