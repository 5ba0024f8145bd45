// The checks of a presented OpenID Connect token once its issuer is accepted, for claim-match
// and static identities alike: time (exp required, nbf/iat with a small skew, a maximum
// lifetime) before any key is fetched, then the signature with jose against the issuer's keys
// (allow-listed asymmetric algs only), refetching them once for an unknown kid.

import { errors, jwtVerify, type JWTPayload } from 'jose';
import { LatchkeyError } from '../../errors/index.js';
import type { JwtFacts, TrustTrace } from '../../trust/index.js';
import type { StsErrorCode } from '../errors.js';
import { ALLOWED_ALGS, type ParsedIdentityJwt } from './parse-identity-jwt.js';
import type { IssuerKeySet } from './remote-issuer-keys.js';

export interface JwtTimePolicy {
  /** Clock skew tolerated on exp, nbf and iat, in seconds. */
  skewSeconds: number;
  /** Longest accepted lifetime: exp - iat (and exp - now), in seconds. */
  maxLifetimeSeconds: number;
}

function refuse(code: StsErrorCode, message: string): LatchkeyError<StsErrorCode> {
  return new LatchkeyError<StsErrorCode>(code, message);
}

/** Throws ID_TOKEN_NO_EXPIRY, ID_TOKEN_EXPIRED, ID_TOKEN_NOT_YET_VALID or ID_TOKEN_TOO_LONG_LIVED. */
export function checkTokenTimes(p: JWTPayload, now: Date, policy: JwtTimePolicy, trace: TrustTrace): void {
  const t = Math.floor(now.getTime() / 1000);
  const skew = policy.skewSeconds;
  const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  if (!trace.step('token.exp', num(p.exp), 'a number')) throw refuse('ID_TOKEN_NO_EXPIRY', 'the token has no exp claim: tokens without an expiry are refused');
  const exp = p.exp as number;
  if (!trace.step('token.exp.future', exp > t - skew, 'in the future', new Date(exp * 1000).toISOString())) {
    throw refuse('ID_TOKEN_EXPIRED', 'the token has expired (exp): get a fresh one');
  }
  for (const name of ['nbf', 'iat'] as const) {
    const v = p[name];
    if (v === undefined) continue;
    if (!num(v)) throw refuse('ID_TOKEN_MALFORMED', `the token's ${name} is not a number`);
    if (!trace.step(`token.${name}`, (v as number) <= t + skew, 'not in the future', new Date((v as number) * 1000).toISOString())) {
      throw refuse('ID_TOKEN_NOT_YET_VALID', `the token is not valid yet (${name} is in the future)`);
    }
  }
  const from = num(p.iat) ? Math.min(p.iat as number, t) : t;
  const lifetime = exp - from;
  if (!trace.step('token.lifetime', lifetime <= policy.maxLifetimeSeconds, `at most ${policy.maxLifetimeSeconds} s`, `${lifetime} s`)) {
    throw refuse('ID_TOKEN_TOO_LONG_LIVED', `the token lives longer than ${policy.maxLifetimeSeconds} s (exp - iat); ask your platform for a shorter-lived token`);
  }
}

/**
 * Verifies the signature of `token` with `keys()` (`keys(true)` for a fresh copy after an
 * unknown kid) and returns the verified facts. Throws ID_TOKEN_KEY_NOT_FOUND,
 * ID_TOKEN_BAD_SIGNATURE or ID_TOKEN_ALG_NOT_ALLOWED.
 */
export async function verifySignature(
  token: string,
  parsed: ParsedIdentityJwt,
  keys: (refresh: boolean) => Promise<IssuerKeySet>,
  now: Date,
  policy: JwtTimePolicy,
  trace: TrustTrace,
): Promise<JwtFacts> {
  let set = await keys(false);
  let payload: JWTPayload;
  for (let attempt = 0; ; attempt++) {
    try {
      ({ payload } = await jwtVerify(token, set.getKey, {
        algorithms: [...ALLOWED_ALGS], issuer: parsed.issuer, currentDate: now, clockTolerance: policy.skewSeconds,
      }));
      break;
    } catch (err) {
      if (err instanceof errors.JWKSNoMatchingKey && attempt === 0) {
        const fresh = await keys(true);
        if (fresh !== set) {
          set = fresh;
          continue;
        }
      }
      trace.step('token.signature', false);
      throw signatureRefusal(err);
    }
  }
  trace.step('token.signature', true, undefined, parsed.header.alg);
  const aud = payload.aud;
  return {
    kind: 'jwt',
    issuer: payload.iss as string,
    subject: payload.sub as string,
    audience: typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [],
    claims: payload,
  };
}

/** The refusal for a jose error; anything else (a bug) is returned as it is, for a 500. */
function signatureRefusal(err: unknown): unknown {
  if (err instanceof LatchkeyError) return err;
  if (err instanceof errors.JWKSNoMatchingKey) {
    return refuse('ID_TOKEN_KEY_NOT_FOUND', "no key of the issuer's JWKS matches the token's kid and alg");
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return refuse('ID_TOKEN_BAD_SIGNATURE', "the token's signature does not verify with the issuer's key");
  if (err instanceof errors.JOSEAlgNotAllowed) return refuse('ID_TOKEN_ALG_NOT_ALLOWED', "the token's alg is not allowed");
  if (err instanceof errors.JWTExpired) return refuse('ID_TOKEN_EXPIRED', 'the token has expired (exp): get a fresh one');
  if (err instanceof errors.JWTClaimValidationFailed) {
    return refuse(err.claim === 'nbf' || err.claim === 'iat' ? 'ID_TOKEN_NOT_YET_VALID' : 'ID_TOKEN_MALFORMED', `the token's ${err.claim} claim is not valid`);
  }
  if (err instanceof errors.JOSEError) return refuse('ID_TOKEN_BAD_SIGNATURE', `the token does not verify (${err.code})`);
  return err;
}
