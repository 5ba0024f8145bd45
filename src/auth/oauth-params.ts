// Reading OAuth parameters from a query string or a form body, the way RFC 6749 §3.1 asks:
// unknown parameters ignored, a known one given twice refused. Parses untrusted input.

import type { FastifyRequest } from 'fastify';
import { LatchkeyError } from '../errors/index.js';
import type { AuthErrorCode } from './errors.js';

const MAX_VALUE = 2048;

export type Params<N extends string> = { [K in N]?: string };

/** The named parameters, each at most once and at most 2 KiB. */
export function readParams<N extends string>(source: URLSearchParams, names: readonly N[]): Params<N> {
  const out: Params<N> = {};
  for (const name of names) {
    const all = source.getAll(name);
    if (all.length > 1) throw invalidRequest(`give ${name} once`);
    const v = all[0];
    if (v === undefined) continue;
    if (v.length > MAX_VALUE) throw invalidRequest(`${name} is too long`);
    out[name] = v;
  }
  return out;
}

/** The query string of a request. */
export function queryOf(req: FastifyRequest): URLSearchParams {
  const i = req.url.indexOf('?');
  return new URLSearchParams(i < 0 ? '' : req.url.slice(i + 1));
}

/** The form body of a request (application/x-www-form-urlencoded, kept as a string by the app). */
export function formOf(req: FastifyRequest): URLSearchParams {
  if (typeof req.body !== 'string') {
    throw invalidRequest('send the parameters as an application/x-www-form-urlencoded body');
  }
  return new URLSearchParams(req.body);
}

/** A required parameter, or a refusal naming it. */
export function required<N extends string>(p: Params<N>, name: N, code: AuthErrorCode = 'AUTH_INVALID_REQUEST'): string {
  const v = p[name];
  if (v === undefined || v === '') throw new LatchkeyError<AuthErrorCode>(code, `the ${name} parameter is required`);
  return v;
}

export function invalidRequest(message: string): LatchkeyError<AuthErrorCode> {
  return new LatchkeyError<AuthErrorCode>('AUTH_INVALID_REQUEST', message);
}
