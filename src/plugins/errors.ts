/**
 * One error handler: client mistakes get a 4xx `{error, message, field?}` with a reason; anything
 * else is logged in full and answered with a generic 500 body (no stack, no internals). Unknown
 * routes answer 404 in the same JSON shape.
 */
import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance } from 'fastify';
import { isAppError } from '../errors.ts';

export interface ErrorBody {
  error: string;
  message: string;
  field?: string;
}

/** Fastify's own error codes for things the client did, mapped to our stable codes. */
const FASTIFY_CLIENT_ERRORS: Record<string, { status: number; error: string; message?: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, error: 'payload_too_large', message: 'request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, error: 'unsupported_media_type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, error: 'invalid_request' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, error: 'invalid_json', message: 'body is empty but content-type is application/json' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, error: 'invalid_json' },
};

/**
 * Postgres refuses some values outright: a NUL character or bytes that are not UTF-8 (22021,
 * 22P05), and numbers a column cannot hold (22P02, 22003) — Ajv coerces `Infinity` and `1e400`
 * to numbers that pass `type: integer` and even `maximum`. Such values only ever come from the
 * request (`?workspace=%00`, `/imports/runs/Infinity`), so they are the client's mistake.
 */
const PG_BAD_TEXT = new Set(['22021', '22P05', '22P02', '22003']);

function badTextInQuery(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && PG_BAD_TEXT.has(code)) return true;
  }
  return false;
}

function validationField(err: FastifyError): string | undefined {
  const first = err.validation?.[0];
  if (!first) return undefined;
  const params = first.params as { missingProperty?: string; additionalProperty?: string } | undefined;
  const path = first.instancePath?.replace(/^\//, '').replace(/\//g, '.');
  return params?.missingProperty ?? params?.additionalProperty ?? (path || undefined);
}

export const errorsPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((err: FastifyError, req, reply) => {
      if (isAppError(err)) {
        const body: ErrorBody = { error: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) };
        return reply.code(err.status).send(body);
      }
      if (err.validation) {
        const field = validationField(err);
        const where = err.validationContext ? `${err.validationContext}${field ? `.${field}` : ''}` : field;
        const params = err.validation[0]?.params as { missingProperty?: string; additionalProperty?: string } | undefined;
        const message = params?.missingProperty
          ? `${where} is required`
          : params?.additionalProperty
            ? `${where} is not an accepted field`
            : `${where ?? 'request'} ${err.validation[0]?.message ?? 'is invalid'}`;
        return reply.code(400).send({
          error: 'invalid_request',
          message,
          ...(field ? { field } : {}),
        } satisfies ErrorBody);
      }
      const known = err.code ? FASTIFY_CLIENT_ERRORS[err.code] : undefined;
      if (known) {
        return reply.code(known.status).send({ error: known.error, message: known.message ?? err.message } satisfies ErrorBody);
      }
      if (err instanceof SyntaxError || (err.statusCode === 400 && /JSON/i.test(err.message))) {
        return reply.code(400).send({ error: 'invalid_json', message: 'body is not valid JSON' } satisfies ErrorBody);
      }
      if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
        req.log.info({ err }, 'client error');
        return reply.code(err.statusCode).send({ error: 'invalid_request', message: err.message } satisfies ErrorBody);
      }
      if (badTextInQuery(err)) {
        req.log.info({ err }, 'client error: text the database cannot store');
        return reply.code(400).send({ error: 'invalid_request', message: 'the request holds a NUL character, text that is not UTF-8 or a number out of range' } satisfies ErrorBody);
      }
      req.log.error({ err }, 'unhandled error');
      return reply.code(500).send({ error: 'internal', message: 'internal server error' } satisfies ErrorBody);
    });

    app.setNotFoundHandler((req, reply) => {
      reply.code(404).send({ error: 'not_found', message: `no route ${req.method} ${(req.url.split('?')[0] ?? '').slice(0, 200)}` } satisfies ErrorBody);
    });
  },
  { name: 'errors' },
);
