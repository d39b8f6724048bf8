import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { InvalidInputError } from '../../domain/errors';
import type { HttpLog } from './log';

/** One error body for every refusal: a code to branch on and a message for people that names the field. */
export interface ErrorBody {
  error: string;
  message: string;
  issues?: { field: string; message: string }[];
}

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly issues?: ErrorBody['issues'],
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
      return keys.map((key) => ({ field: [path, String(key)].filter(Boolean).join('.'), message: 'is not a known field' }));
    }
    return [{ field: path || '(input)', message: issue.message ?? 'is invalid' }];
  });
}

/** Validator refusals that are about who acts, not what they sent: those are 403, the rest 400. */
export function fromInvalidInput(err: InvalidInputError): HttpError {
  return /^actor: /.test(err.message) ? new HttpError(403, 'forbidden', err.message) : new HttpError(400, 'invalid-input', err.message);
}

export function errorHandler(log: HttpLog) {
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    let http: HttpError;
    if (err instanceof HttpError) http = err;
    else if (err instanceof InvalidInputError) http = fromInvalidInput(err);
    else if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = validationIssues(err);
      const where = err.validationContext === 'body' ? '' : `${err.validationContext ?? 'request'} `;
      http = new HttpError(400, 'invalid-input', `invalid ${where}input: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, issues);
    } else if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
      // Fastify's own refusals (413 body too large, 415, 429 rate limit, 403 CSRF): their messages hold no input.
      const code = err.statusCode === 413 ? 'too-large' : err.statusCode === 429 ? 'rate-limited' : err.code === 'FST_CSRF_INVALID_TOKEN' || err.code === 'FST_CSRF_MISSING_SECRET' ? 'csrf' : 'bad-request';
      http = new HttpError(err.statusCode, code, err.message);
    } else {
      // Messages of unexpected errors may quote input: only the kind of error goes to the log.
      log({ event: 'error', method: request.method, route: request.routeOptions.url ?? 'unknown', error: err.name, ...(err.code ? { code: err.code } : {}) });
      http = new HttpError(500, 'internal', 'something went wrong on the server; the request may be retried');
    }
    const body: ErrorBody = { error: http.code, message: http.message, ...(http.issues ? { issues: http.issues } : {}) };
    return reply.status(http.statusCode).type('application/json; charset=utf-8').send(body);
  };
}
