// Parses attacker-controlled bytes: a presented OpenID Connect token, before any key is
// looked at. Strict and capped: one compact JWS of base64url segments, a JSON object header
// with an allow-listed asymmetric alg, a JSON object payload whose iss/sub are strings and aud
// a string or a list of strings. Nothing here is trusted until the signature verifies.

import { decodeJwt, decodeProtectedHeader, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import { LatchkeyError } from '../../errors/index.js';
import type { StsErrorCode } from '../errors.js';

/** Largest token accepted, in characters (GitHub's and Kubernetes' are 1-3 KiB; HTTP headers stop at 16 KiB). */
export const MAX_ID_TOKEN_LENGTH = 12_288;

/** Asymmetric algorithms only: never `none`, never HMAC (a public key is not a secret). */
export const ALLOWED_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA'] as const;

export interface ParsedIdentityJwt {
  header: ProtectedHeaderParameters;
  payload: JWTPayload;
  issuer: string;
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;

function refuse(code: StsErrorCode, message: string): LatchkeyError<StsErrorCode> {
  return new LatchkeyError<StsErrorCode>(code, message);
}

/** Splits and decodes `token`; throws ID_TOKEN_TOO_LARGE, ID_TOKEN_MALFORMED or ID_TOKEN_ALG_NOT_ALLOWED. */
export function parseIdentityJwt(token: string): ParsedIdentityJwt {
  if (token.length > MAX_ID_TOKEN_LENGTH) throw refuse('ID_TOKEN_TOO_LARGE', `the token is over ${MAX_ID_TOKEN_LENGTH} characters`);
  const parts = token.split('.');
  // An empty signature is let through to be refused by its alg (none), not as malformed.
  if (parts.length !== 3 || !SEGMENT.test(parts[0] as string) || !SEGMENT.test(parts[1] as string) || !/^[A-Za-z0-9_-]*$/.test(parts[2] as string)) {
    throw refuse('ID_TOKEN_MALFORMED', 'the token is not a JWT: three base64url parts joined by dots, with no spaces or line feeds');
  }
  let header: ProtectedHeaderParameters;
  let payload: JWTPayload;
  try {
    header = decodeProtectedHeader(token);
    payload = decodeJwt(token);
  } catch {
    throw refuse('ID_TOKEN_MALFORMED', "the token's header or claims are not a JSON object");
  }
  if (typeof header.alg !== 'string' || !(ALLOWED_ALGS as readonly string[]).includes(header.alg)) {
    throw refuse('ID_TOKEN_ALG_NOT_ALLOWED', `the token's alg is not one of ${ALLOWED_ALGS.join(', ')}`);
  }
  if (header.crit !== undefined) throw refuse('ID_TOKEN_MALFORMED', "the token's header has crit parameters, which are not supported");
  if (typeof payload.iss !== 'string' || payload.iss.length === 0 || payload.iss.length > 1024) {
    throw refuse('ID_TOKEN_MALFORMED', 'the token has no iss claim (a string)');
  }
  if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw refuse('ID_TOKEN_MALFORMED', 'the token has no sub claim (a string)');
  const aud = payload.aud;
  if (!(typeof aud === 'string' || (Array.isArray(aud) && aud.length <= 64 && aud.every((a) => typeof a === 'string')))) {
    throw refuse('ID_TOKEN_MALFORMED', 'the token has no aud claim (a string or a list of strings)');
  }
  return { header, payload, issuer: payload.iss };
}
