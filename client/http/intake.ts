import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../domain/config';
import { breachSignalSchema } from '../../domain/signal';
import { breachIdFor } from '../breach-id';
import { reportBreach } from '../breaches';
import { HttpError } from './errors';
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
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as signed; set only on intake routes. */
    rawBody?: Buffer;
    /** The body was not JSON; reported after the signature check, so unsigned callers learn nothing. */
    rawBodyInvalid?: boolean;
  }
}

export const intakeAcceptedSchema = z.object({
  breachId: z.string().describe('breach-… : the same id for every report of the same source and eventId'),
  duplicate: z.boolean().describe('the breach already existed: this report joined it'),
});
const intakeClosedSchema = intakeAcceptedSchema.extend({ alreadyClosed: z.literal(true), message: z.string() });
const errorSchema = z.object({ error: z.string(), message: z.string(), issues: z.array(z.object({ field: z.string(), message: z.string() })).optional() });

/**
 * POST /api/intake/:source — automated triggers (SIEM, DLP, forms) report a signal. Signed per source, so the
 * route needs neither cookies nor CSRF tokens; body limit, signature and schema are checked in that order before
 * anything reaches Temporal.
 */
export async function intakeRoutes(app: FastifyInstance, deps: IntakeDeps): Promise<void> {
  const { intake } = deps.config;
  // Parsers are scoped to this plugin: only here is the raw body kept, because only here is it signed.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: intake.maxBodyBytes }, (request: FastifyRequest, body: Buffer, done) => {
    request.rawBody = body;
    try {
      done(null, JSON.parse(body.toString('utf8')));
    } catch {
      request.rawBodyInvalid = true;
      done(null, undefined);
    }
  });

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
        response: { 202: intakeAcceptedSchema, 400: errorSchema, 401: errorSchema, 409: intakeClosedSchema, 413: errorSchema },
      },
      preValidation: async (request) => {
        const { source } = request.params;
        const secret = Object.hasOwn(deps.secrets, source) ? deps.secrets[source] : undefined;
        const problem =
          secret === undefined
            ? 'unknown-source'
            : checkIntakeSignature({
                secret,
                timestamp: header(request, TIMESTAMP_HEADER),
                signature: header(request, SIGNATURE_HEADER),
                rawBody: request.rawBody ?? Buffer.alloc(0),
                nowMs: deps.now(),
                maxSkewMs: intake.maxClockSkew,
              });
        if (problem) {
          // The source name is not personal data, and an unknown one is worth seeing in the log.
          deps.log({ event: 'intake-refused', reason: problem, source: source.slice(0, 64) });
          throw new HttpError(401, 'unauthenticated', problem === 'stale' ? 'the timestamp is too old or in the future: sign the request again' : 'missing or invalid signature');
        }
        if (request.rawBodyInvalid) throw new HttpError(400, 'invalid-input', 'invalid signal: (input): not valid JSON', [{ field: '(input)', message: 'not valid JSON' }]);
      },
    },
    async (request, reply) => {
      const { source } = request.params;
      const signal = request.body;
      if (signal.source !== source) {
        throw new HttpError(400, 'invalid-input', `invalid signal: source: must be "${source}", the source this request is signed for`, [
          { field: 'source', message: `must be "${source}", the source this request is signed for` },
        ]);
      }
      const breachId = breachIdFor(signal.source, signal.eventId);
      // Only for the answer: the workflow itself decides (atomically) whether the report opens or joins the breach.
      const existed = await deps.client.workflow.getHandle(breachId)
        .describe()
        .then(
          () => true,
          (err: unknown) => {
            if (err instanceof WorkflowNotFoundError) return false;
            throw err;
          },
        );
      const result = await reportBreach(deps.client, signal, deps.taskQueue);
      deps.log({ event: 'intake', source, breachId, duplicate: existed, ...(result.alreadyClosed ? { alreadyClosed: true } : {}) });
      if (result.alreadyClosed) {
        return reply.status(409).send({ breachId, duplicate: true, alreadyClosed: true, message: 'the breach for this event is already closed; the report was not added' });
      }
      return reply.status(202).send({ breachId, duplicate: existed });
    },
  );
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
