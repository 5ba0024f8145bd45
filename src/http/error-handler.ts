// The one handler that renders every error as {"code","message"}. Domain errors carry their
// code; framework errors get one; anything else is a 500 with a generic body and the detail
// in the log only.

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LatchkeyError } from '../errors/index.js';
import { statusOf, type ErrorCode } from './error-table.js';

/** Retry-After on a 503: what the refusal asked for (STS, the store), within 1 s to 5 min. */
const MIN_RETRY_AFTER_S = 1;
const MAX_RETRY_AFTER_S = 300;

export function retryAfterOf(err: LatchkeyError): number {
  const asked = err.retryAfterSeconds;
  if (asked === undefined || !Number.isFinite(asked)) return MIN_RETRY_AFTER_S;
  return Math.min(MAX_RETRY_AFTER_S, Math.max(MIN_RETRY_AFTER_S, Math.ceil(asked)));
}

function send(reply: FastifyReply, code: ErrorCode, message: string, retryAfter?: number): FastifyReply {
  const status = statusOf(code);
  if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
  return reply.code(status).type('application/json; charset=utf-8').send({ code, message });
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | LatchkeyError, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof LatchkeyError) {
      const status = statusOf(err.code);
      const level = status >= 500 ? 'error' : 'info';
      req.log[level]({ code: err.code, detail: err.detail }, 'request refused');
      // 429: how long the caller is locked out (device code guesses), as the refusal says.
      const hinted = typeof err.detail?.retryAfter === 'number' ? err.detail.retryAfter : undefined;
      const retryAfter = status === 503 ? retryAfterOf(err) : status === 429 ? hinted : undefined;
      return send(reply, err.code as ErrorCode, status >= 500 && err.code === 'INTERNAL' ? 'internal error' : err.message, retryAfter);
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      const where = fe.validationContext ?? 'request';
      const unknown = fe.validation.find((v) => v.keyword === 'additionalProperties')?.params.additionalProperty;
      if (typeof unknown === 'string') {
        return send(reply, 'BAD_REQUEST', `${where} has an unknown ${where === 'querystring' ? 'parameter' : 'field'} "${unknown.slice(0, 64)}"`);
      }
      return send(reply, 'BAD_REQUEST', `${where}${fe.message.startsWith(where) ? fe.message.slice(where.length) : ` ${fe.message}`}`);
    }
    switch (fe.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return send(reply, 'BODY_TOO_LARGE', 'the request body is too large');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return send(reply, 'UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return send(reply, 'BAD_REQUEST', 'the request body is not valid JSON');
      default:
        if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
          return send(reply, 'BAD_REQUEST', 'the request is malformed');
        }
        req.log.error({ err }, 'unhandled error');
        return send(reply, 'INTERNAL', 'internal error');
    }
  });
  app.setNotFoundHandler((req, reply) => send(reply, 'ROUTE_NOT_FOUND', `no route for ${req.method} ${req.url.split('?')[0]}`));
}
