// Mints Latchkey tokens (ES256 JWTs) and verifies presented ones, with algorithm, issuer,
// audience and expiry pinned. Only tokens this issuer signed are ever accepted.

import { randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify, decodeProtectedHeader, type JWTPayload } from 'jose';
import { LatchkeyError } from '../errors/index.js';
import type { Capability } from '../iam/capabilities.js';
import { isCapability } from '../iam/capabilities.js';
import { isUidp } from '../iam/uidp.js';
import type { SigningKeys } from './signing-keys.js';
import type { TokenErrorCode } from './errors.js';

export interface MintRequest {
  sub: string;
  aud: string[];
  ttlSeconds: number;
  /** Restricts the token to these capabilities (a subset of what the bindings give). */
  cap?: Capability[];
  /** Extra public claims, e.g. `email` for humans, `act` for what was exchanged. */
  extra?: Record<string, unknown>;
}

/** The verified caller of an API request. */
export interface Principal {
  sub: string;
  /** When set, the token may use only these capabilities. */
  cap?: Capability[];
  jti: string;
  exp: number;
}

const CLOCK_TOLERANCE_S = 5;

export class TokenIssuer {
  constructor(
    private readonly keys: SigningKeys,
    private readonly issuer: string,
    private readonly clock: () => Date,
  ) {}

  get issuerUrl(): string {
    return this.issuer;
  }

  async mint(req: MintRequest): Promise<{ token: string; expiry: Date; jti: string }> {
    const { sign } = this.keys.current();
    const iat = Math.floor(this.clock().getTime() / 1000);
    const exp = iat + req.ttlSeconds;
    const jti = randomUUID();
    // The registered claims last, so `extra` can never replace them.
    const claims: Record<string, unknown> = {
      ...req.extra,
      ...(req.cap ? { cap: req.cap } : {}),
      iss: this.issuer,
      sub: req.sub,
      aud: req.aud.length === 1 ? req.aud[0]! : req.aud,
      iat,
      exp,
      jti,
    };
    return { token: sign(claims), expiry: new Date(exp * 1000), jti };
  }

  /** Verifies a presented token for `audience`. Parses attacker-controlled bytes. */
  async verify(token: string, audience: string): Promise<Principal> {
    if (token.length > 8192) throw new LatchkeyError<TokenErrorCode>('TOKEN_INVALID', 'the bearer token is too large');
    let kid: string | undefined;
    try {
      const header = decodeProtectedHeader(token);
      kid = header.kid;
      if (header.alg !== 'ES256' || typeof kid !== 'string') throw new Error('bad header');
    } catch {
      throw new LatchkeyError<TokenErrorCode>('TOKEN_INVALID', 'the bearer token is not a Latchkey token');
    }
    const key = this.keys.loadedKey(kid) ?? (await this.keys.publicKey(kid));
    if (!key) throw new LatchkeyError<TokenErrorCode>('TOKEN_INVALID', 'the bearer token was not signed by this issuer');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key, {
        algorithms: ['ES256'],
        issuer: this.issuer,
        audience,
        clockTolerance: CLOCK_TOLERANCE_S,
        currentDate: this.clock(),
        requiredClaims: ['sub', 'exp', 'iat', 'jti', 'aud', 'iss'],
      }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) {
        throw new LatchkeyError<TokenErrorCode>('TOKEN_EXPIRED', 'the bearer token has expired: log in again (`latchkey auth login`)');
      }
      if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'aud') {
        throw new LatchkeyError<TokenErrorCode>('TOKEN_WRONG_AUDIENCE', `the bearer token was not issued for this API (audience ${audience})`);
      }
      throw new LatchkeyError<TokenErrorCode>('TOKEN_INVALID', 'the bearer token is not a valid Latchkey token', { reason: (err as Error).message });
    }
    if (!isUidp(payload.sub) || typeof payload.jti !== 'string' || typeof payload.exp !== 'number') {
      throw new LatchkeyError<TokenErrorCode>('TOKEN_INVALID', 'the bearer token has malformed claims');
    }
    let cap: Capability[] | undefined;
    if (payload.cap !== undefined) {
      if (!Array.isArray(payload.cap) || !payload.cap.every(isCapability)) {
        throw new LatchkeyError<TokenErrorCode>('TOKEN_INVALID', 'the bearer token has a malformed cap claim');
      }
      cap = payload.cap;
    }
    return { sub: payload.sub, cap, jti: payload.jti, exp: payload.exp };
  }
}
