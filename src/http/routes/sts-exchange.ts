// /sts/exchange: an outside workload's credential in, a Latchkey token out.
// Parameters come from the query string or a form body (not both for one name).

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LatchkeyError } from '../../errors/index.js';
import type { ExchangeService, StsErrorCode } from '../../sts/index.js';
import { bearerToken } from '../enforce-route-auth.js';

const ALLOWED = new Set(['identity', 'aud', 'cap']);

/** Collects identity/aud/cap from query and form body. Parses untrusted input. */
function exchangeParams(req: FastifyRequest): { identity: string | undefined; aud: string[]; cap: string[] } {
  const query = new URLSearchParams(req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '');
  const body = typeof req.body === 'string' ? new URLSearchParams(req.body) : new URLSearchParams();
  const out = { identity: [] as string[], aud: [] as string[], cap: [] as string[] };
  for (const src of [query, body]) {
    for (const [k, v] of src) {
      if (!ALLOWED.has(k)) throw new LatchkeyError<StsErrorCode>('EXCHANGE_BAD_REQUEST', `unknown parameter ${JSON.stringify(k.slice(0, 40))}: use identity, aud and cap`);
      out[k as 'identity' | 'aud' | 'cap'].push(v);
    }
  }
  if (out.identity.length > 1) throw new LatchkeyError<StsErrorCode>('EXCHANGE_BAD_REQUEST', 'give identity once');
  if (out.identity.length === 0) throw new LatchkeyError<StsErrorCode>('EXCHANGE_BAD_REQUEST', 'the identity parameter is required: the UIDP of the identity to assume');
  if (out.cap.length > 50 || out.aud.length > 50) throw new LatchkeyError<StsErrorCode>('EXCHANGE_BAD_REQUEST', 'too many parameters');
  return { identity: out.identity[0], aud: out.aud, cap: out.cap };
}

export function stsRoutes(app: FastifyInstance, exchange: ExchangeService): void {
  const handler = async (req: FastifyRequest) => {
    const token = bearerToken(req);
    if (!token) {
      throw new LatchkeyError<StsErrorCode>('EXCHANGE_NO_CREDENTIAL', 'send the credential to exchange as Authorization: Bearer <token>');
    }
    const p = exchangeParams(req);
    return exchange.exchange({ token, identity: p.identity, aud: p.aud, cap: p.cap, remoteAddr: req.ip ?? null });
  };
  const schema = { tags: ['sts'], summary: 'Exchange an AWS identity token for a Latchkey token' };
  app.post('/sts/exchange', { config: { auth: { public: true } }, schema }, handler);
  app.get('/sts/exchange', { config: { auth: { public: true } }, schema }, handler);
}
