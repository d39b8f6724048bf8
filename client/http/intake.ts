import { createHash } from 'node:crypto';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../domain/config';
import { breachSignalSchema } from '../../domain/signal';
import { duplicateReportsSignal } from '../../workflows/messages';
import { breachIdFor } from '../shared/breach-id';
import { reportBreach } from '../shared/breaches';
import { HttpError } from './errors';
import type { DuplicateTotals, IntakeStore } from './intake-store';
import type { HttpLog } from './log';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, checkIntakeSignature } from './signature';

export interface IntakeDeps {
  client: Client;
  config: Config;
  taskQueue: string;
  /** Per source, its signing secret (from the environment). */
  secrets: Record<string, string>;
  log: HttpLog;
  now: () => number;
  /** Replay cache, rate limits and duplicate counts, shared by every instance (client/http/intake-store.ts). */
  store: IntakeStore;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as signed; set only on intake routes. */
    rawBody?: Buffer;
    /** The body was not JSON; reported after the signature check, so unsigned callers learn nothing. */
    rawBodyInvalid?: boolean;
    /** The replay-cache row this request claimed; given back unless the request was acted on. */
    intakeClaim?: string;
  }
}

/** The only body the intake takes: JSON, optionally labelled UTF-8, so the bytes signed are the bytes read. */
const JSON_CONTENT_TYPE = /^application\/json[ \t]*(?:;[ \t]*charset[ \t]*=[ \t]*(?:utf-8|"utf-8")[ \t]*)?$/i;
const sourceSchema = breachSignalSchema.shape.source;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

export const intakeAcceptedSchema = z.object({
  breachId: z.string().describe('breach-… : the same id for every report of the same source and eventId'),
  duplicate: z.boolean().describe('the breach already existed: this report joined it'),
});
const intakeClosedSchema = intakeAcceptedSchema.extend({ alreadyClosed: z.literal(true), message: z.string() });
const errorSchema = z.object({
  error: z.string(),
  message: z.string(),
  issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
const conflictSchema = z.union([
  intakeClosedSchema,
  errorSchema.describe('`replayed`: this signed request was accepted before'),
]);

/**
 * POST /api/intake/:source — automated triggers (SIEM, DLP, forms) report a signal. Signed per source, so the
 * route needs neither cookies nor CSRF tokens. Content type (415), body limit (413), signature (401), replay (409),
 * schema (400) and rate limits (429) are checked in that order before anything reaches Temporal; a duplicate
 * report is then counted in the intake store and reaches the breach only as small, throttled totals.
 */
export async function intakeRoutes(app: FastifyInstance, deps: IntakeDeps): Promise<void> {
  const { intake } = deps.config;
  // Parsers are scoped to this plugin: only here is the raw body kept, because only here is it signed. Every other
  // parser (the app-wide form parser above all) goes: a body the signature does not cover must never be read.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: intake.maxBodyBytes },
    (request: FastifyRequest, body: Buffer, done) => {
      request.rawBody = body;
      try {
        // Strict: bytes that are not UTF-8 are refused, not replaced, so the signal is exactly what was signed.
        done(null, JSON.parse(UTF8.decode(body)));
      } catch {
        request.rawBodyInvalid = true;
        done(null, undefined);
      }
    },
  );

  // Before the body is read, the size checked or the signature looked at: anything but JSON is refused outright.
  app.addHook('onRequest', async (request) => {
    const type = request.headers['content-type'];
    if (typeof type !== 'string' || !JSON_CONTENT_TYPE.test(type.trim())) {
      throw new HttpError(
        415,
        'unsupported-media-type',
        'send the signal as Content-Type: application/json (UTF-8); the signature covers exactly that body',
      );
    }
  });
  // A claim stands only for a request that was acted on: after a refusal or a failure the sender may try again.
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.intakeClaim !== undefined && reply.statusCode !== 202 && reply.statusCode !== 409)
      await deps.store.release(request.intakeClaim);
    return payload;
  });
  const flush = duplicateFlusher(app, deps);

  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/intake/:source',
    {
      bodyLimit: intake.maxBodyBytes,
      config: { csrf: false },
      schema: {
        summary: 'Report a signal (signaal) from an automated source',
        description:
          'Signed with the source\'s secret: `X-Lekdicht-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">` and `X-Lekdicht-Timestamp: <unix seconds>` (at most intake.maxClockSkew, default 5 minutes, off). The same source and eventId always give the same breach.',
        tags: ['intake'],
        params: z.object({ source: breachSignalSchema.shape.source }),
        headers: z.looseObject({
          [TIMESTAMP_HEADER]: z.string().optional().describe('unix time in seconds when the request was signed'),
          [SIGNATURE_HEADER]: z.string().optional().describe('sha256=<hex>'),
        }),
        body: breachSignalSchema,
        response: {
          202: intakeAcceptedSchema,
          400: errorSchema,
          401: errorSchema,
          409: conflictSchema,
          413: errorSchema,
          415: errorSchema,
          429: errorSchema,
        },
      },
      preValidation: async (request) => {
        // Params are validated after this hook: until the source passed its schema, the log gets a fixed word.
        const { source } = request.params;
        const validSource = sourceSchema.safeParse(source).success;
        const logSource = validSource ? source : 'invalid-source';
        const secret = validSource && Object.hasOwn(deps.secrets, source) ? deps.secrets[source] : undefined;
        const timestamp = header(request, TIMESTAMP_HEADER);
        const signature = header(request, SIGNATURE_HEADER);
        // The parser sets rawBody for every body it read; without one there is nothing the signature could cover.
        if (request.rawBody === undefined)
          throw new HttpError(
            415,
            'unsupported-media-type',
            'send the signal as Content-Type: application/json (UTF-8) with a body',
          );
        const problem =
          secret === undefined
            ? 'unknown-source'
            : checkIntakeSignature({
                secret,
                timestamp,
                signature,
                rawBody: request.rawBody,
                nowMs: deps.now(),
                maxSkewMs: intake.maxClockSkew,
              });
        if (problem) {
          // The source name is not personal data, and an unknown one is worth seeing in the log.
          deps.log({ event: 'intake-refused', reason: problem, source: logSource });
          throw new HttpError(
            401,
            'unauthenticated',
            problem === 'stale'
              ? 'the timestamp is too old or in the future: sign the request again'
              : 'missing or invalid signature',
          );
        }
        // Signed and fresh: accepted once. The signature fixes timestamp and body, so source + timestamp + signature
        // names the request; its row can go when the timestamp leaves the window (the clock check refuses it then).
        const requestHash = createHash('sha256')
          .update(`${source}\n${timestamp!}\n${signature!.trim().toLowerCase()}`)
          .digest('hex');
        if (!(await deps.store.claim(requestHash, Number(timestamp) * 1000 + intake.maxClockSkew))) {
          deps.log({ event: 'intake-refused', reason: 'replayed', source });
          throw new HttpError(
            409,
            'replayed',
            'this signed request was accepted before; sign a new request (new timestamp) to report again',
          );
        }
        request.intakeClaim = requestHash;
        if (request.rawBodyInvalid)
          throw new HttpError(400, 'invalid-input', 'invalid signal: (input): not valid JSON (UTF-8)', [
            { field: '(input)', message: 'not valid JSON (UTF-8)' },
          ]);
      },
    },
    async (request, reply) => {
      const { source } = request.params;
      const signal = request.body;
      if (signal.source !== source) {
        throw new HttpError(
          400,
          'invalid-input',
          `invalid signal: source: must be "${source}", the source this request is signed for`,
          [{ field: 'source', message: `must be "${source}", the source this request is signed for` }],
        );
      }
      const breachId = breachIdFor(signal.source, signal.eventId);
      const admission = await deps.store.admit(source, breachId, intake.rateLimit);
      if (!admission.ok) {
        const seconds = Math.max(1, Math.ceil(admission.retryAfterMs / 1000));
        deps.log({ event: 'intake-refused', reason: 'rate-limited', limit: admission.limit, source });
        reply.header('retry-after', String(seconds));
        throw new HttpError(
          429,
          'rate-limited',
          `too many reports ${admission.limit === 'source' ? `from source ${source}` : 'of this event'}: try again in ${seconds} s`,
        );
      }
      const closed = () => {
        deps.log({ event: 'intake', source, breachId, duplicate: true, alreadyClosed: true });
        return reply.status(409).send({
          breachId,
          duplicate: true,
          alreadyClosed: true,
          message: 'the breach for this event is already closed; the report was not added',
        });
      };
      const known = await deps.store.event(breachId);
      if (known?.closed) return closed();

      if (!known?.started) {
        // Not started as far as the store knows (also when an earlier start failed): the whole report goes to
        // Temporal, and only once signal-with-start succeeded does the event count as started.
        const existed = await isRunning(deps.client, breachId).then((running) => running !== undefined);
        const result = await reportBreach(deps.client, signal, deps.taskQueue);
        if (result.alreadyClosed) {
          await deps.store.markClosed(breachId, source);
          return closed();
        }
        await deps.store.markStarted(breachId, source);
        deps.log({ event: 'intake', source, breachId, duplicate: existed });
        return reply.status(202).send({ breachId, duplicate: existed });
      }

      // A duplicate: counted here, never its body; the breach hears the totals at most once per interval.
      if ((await isRunning(deps.client, breachId)) !== true) {
        await deps.store.markClosed(breachId, source);
        return closed();
      }
      const counted = await deps.store.countDuplicate(breachId, intake.duplicateSignalEvery);
      if (counted.signal) await flush.send(breachId, counted.totals);
      else if (counted.pending) flush.later(breachId, counted.nextSignalAt);
      deps.log({ event: 'intake', source, breachId, duplicate: true });
      return reply.status(202).send({ breachId, duplicate: true });
    },
  );
}

/** true: running; false: closed (completed, terminated, timed out, …); undefined: no such workflow. */
async function isRunning(client: Client, breachId: string): Promise<boolean | undefined> {
  try {
    const description = await client.workflow.getHandle(breachId).describe();
    return description.status.name === 'RUNNING';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/**
 * Tells breaches their duplicate totals. `send` signals now; `later` makes sure totals counted inside a throttle
 * interval still reach the breach when it ends, even if no further report comes (one timer per event and
 * instance; the store lets one instance send per interval). A signal that fails is given back to the store, so
 * the next report or timer sends the totals again: counts are totals, never increments, so nothing is lost.
 */
function duplicateFlusher(app: FastifyInstance, deps: IntakeDeps) {
  const every = deps.config.intake.duplicateSignalEvery;
  const timers = new Map<string, NodeJS.Timeout>();
  app.addHook('onClose', async () => {
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
  });
  const send = async (breachId: string, totals: DuplicateTotals): Promise<void> => {
    try {
      await deps.client.workflow.getHandle(breachId).signal(duplicateReportsSignal, totals);
    } catch (err) {
      await deps.store.unclaimSignal(breachId, totals.count);
      later(breachId, deps.now() + every);
      if (!(err instanceof WorkflowNotFoundError))
        deps.log({ event: 'intake-duplicates-unsent', breachId, error: (err as Error).name });
    }
  };
  const later = (breachId: string, at: number): void => {
    if (timers.has(breachId)) return;
    const timer = setTimeout(
      () => {
        timers.delete(breachId);
        deps.store.claimPendingSignal(breachId, every).then(
          (claimed) => {
            if (claimed.signal) void send(breachId, claimed.totals);
            else if (claimed.pending) later(breachId, claimed.nextSignalAt);
          },
          () => {}, // the store is closed (the app is stopping)
        );
      },
      Math.max(at - deps.now(), 0) + 50,
    );
    timer.unref();
    timers.set(breachId, timer);
  };
  return { send, later };
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
