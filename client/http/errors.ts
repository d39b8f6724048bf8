import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { InvalidInputError, type DomainErrorCode, type ErrorParams } from '../../domain/errors';
import type { HttpLog } from './log';
import { BreachStartingError } from '../shared/starting';

/** One error body for every refusal: a code to branch on and a message for people that names the field. */
export interface ErrorBody {
  error: string;
  message: string;
  issues?: { field: string; message: string }[];
  /** Unexpected errors only: the id under which the service logged it. */
  requestId?: string;
}

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly issues?: ErrorBody['issues'],
    /** The domain's code of the refusal, for pages that put it in the reader's words; not part of the body. */
    readonly refusal?: { code: DomainErrorCode; params: ErrorParams },
  ) {
    super(message);
  }
}

/**
 * The same words for every breach a person may not see, whether it exists or not: changing the id in a URL
 * must not tell them which ids are real.
 */
export const breachNotFound = () => new HttpError(404, 'not-found', 'no such breach');

/** Fastify's zod validation issues, worded like domain/errors.ts describeIssues: "field: problem". */
function validationIssues(error: FastifyError): { field: string; message: string }[] {
  return (error.validation ?? []).flatMap((issue) => {
    const path = issue.instancePath.split('/').filter(Boolean).join('.');
    const keys = (issue.params as { keys?: unknown }).keys;
    if (issue.keyword === 'unrecognized_keys' && Array.isArray(keys)) {
      return keys.map((key) => ({
        field: [path, String(key)].filter(Boolean).join('.'),
        message: 'is not a known field',
      }));
    }
    return [{ field: path || '(input)', message: issue.message ?? 'is invalid' }];
  });
}

const ABOUT_WHO_ACTS: readonly DomainErrorCode[] = ['actor-unknown', 'actor-lacks-role', 'actor-not-on-team'];

/**
 * Validator refusals that are about who acts, not what they sent: those are 403, the rest 400. A coded refusal
 * says so by its code; a refusal without one (the schema's field list) names the field `actor`.
 */
export function fromInvalidInput(err: InvalidInputError): HttpError {
  const refusal = err.code ? { code: err.code, params: err.params } : undefined;
  const aboutWhoActs = err.code ? ABOUT_WHO_ACTS.includes(err.code) : /^actor: /.test(err.message);
  return aboutWhoActs
    ? new HttpError(403, 'forbidden', err.message, undefined, refusal)
    : new HttpError(400, 'invalid-input', err.message, undefined, refusal);
}

/**
 * Fastify's own refusals, in our words: its messages name internals (error codes, parser errors such as "Maximum
 * call stack size exceeded" for deeply nested JSON) or quote the input (a content type), so none is passed on.
 */
function fastifyRefusal(err: FastifyError): HttpError {
  const status = err.statusCode ?? 400;
  if (status === 413) return new HttpError(413, 'too-large', 'the request body is too large');
  if (status === 415)
    return new HttpError(
      415,
      'unsupported-media-type',
      'this endpoint does not accept that content type; send application/json',
    );
  if (status === 429) return new HttpError(429, 'rate-limited', 'too many requests; wait a minute and try again');
  if (err.code === 'FST_CSRF_INVALID_TOKEN' || err.code === 'FST_CSRF_MISSING_SECRET') {
    return new HttpError(
      403,
      'csrf',
      'the CSRF token is missing or does not belong to this session: reload the page (or GET /api/session) and try again',
    );
  }
  if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
    return new HttpError(400, 'invalid-input', 'the request body is empty; send a JSON document');
  if (err.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH')
    return new HttpError(400, 'bad-request', 'the Content-Length header does not match the body');
  // The JSON parser's errors (syntax, nesting too deep, __proto__ keys) carry status 400 and no useful code.
  if (status === 400)
    return new HttpError(400, 'invalid-json', 'the request body is not a JSON document this service can read');
  return new HttpError(status, 'bad-request', 'the request could not be handled as sent');
}

export function errorHandler(log: HttpLog) {
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    let http: HttpError;
    if (err instanceof HttpError) http = err;
    else if (err instanceof InvalidInputError) http = fromInvalidInput(err);
    else if (err instanceof BreachStartingError) {
      // Not the server's fault and soon over: 503 with a hint when to ask again, in the reader's language.
      const lang = (request.query as { lang?: unknown } | undefined)?.lang === 'en' ? 'en' : 'nl';
      void reply.header('retry-after', '2');
      http = new HttpError(503, 'starting', err.text(lang));
    } else if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = validationIssues(err);
      const where = err.validationContext === 'body' ? '' : `${err.validationContext ?? 'request'} `;
      http = new HttpError(
        400,
        'invalid-input',
        `invalid ${where}input: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
        issues,
      );
    } else if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
      http = fastifyRefusal(err);
    } else {
      // Messages of unexpected errors may quote input or name internals: the reply gets a request id, the log
      // the same id and the kind of error only.
      log({
        event: 'error',
        requestId: request.id,
        method: request.method,
        route: request.routeOptions.url ?? 'unknown',
        error: err.name,
      });
      const body: ErrorBody = {
        error: 'internal',
        message: `something went wrong on the server; the request may be retried (request id ${request.id})`,
        requestId: request.id,
      };
      return reply.status(500).header('x-request-id', request.id).type('application/json; charset=utf-8').send(body);
    }
    const body: ErrorBody = {
      error: http.code,
      message: http.message,
      ...(http.issues ? { issues: http.issues } : {}),
    };
    return reply.status(http.statusCode).type('application/json; charset=utf-8').send(body);
  };
}
