// A person's session: a short-lived Latchkey token plus an opaque refresh token. Refresh tokens
// are for people only, stored as SHA-256, replaced on every use; presenting a replaced one again
// means two parties hold it, so the whole family (the login) is revoked.

import { randomUUID } from 'node:crypto';
import { LatchkeyError } from '../errors/index.js';
import type { Identity } from '../iam/index.js';
import type { TokenIssuer } from '../oidc/index.js';
import type { AuthStore, AuthTx } from './auth-store.js';
import type { AuthErrorCode } from './errors.js';
import type { RefreshToken } from './records.js';
import { newSecret, sha256 } from './secrets.js';

/** RFC 6749 §5.1 token response. */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
}

/** A started or refreshed session: the wire response, and what the server knows of it. */
export interface Session {
  response: TokenResponse;
  identity: string;
  expiry: Date;
}

export interface HumanSessionsDeps {
  store: AuthStore;
  issuer: TokenIssuer;
  clock: () => Date;
  apiAudience: string;
  /** Lifetime of the Latchkey token, seconds. */
  tokenTtl: number;
  /** Idle lifetime of one refresh token, seconds. */
  refreshTokenTtl: number;
  /** Absolute lifetime of a login through refreshes, seconds. */
  refreshTokenMaxAge: number;
}

/** Refresh tokens look like `lkrt_` + 43 base64url characters (256 random bits). */
const PREFIX = 'lkrt_';
const SHAPE = /^lkrt_[A-Za-z0-9_-]{43}$/;

const refused = (code: AuthErrorCode, message: string) => new LatchkeyError<AuthErrorCode>(code, message);

export class HumanSessions {
  constructor(private readonly d: HumanSessionsDeps) {}

  /** Starts a login for a person: a token and the first refresh token of a new family. */
  async start(identityId: string, clientId: string): Promise<Session> {
    const now = this.d.clock();
    const familyExpiresAt = new Date(now.getTime() + this.d.refreshTokenMaxAge * 1000).toISOString();
    return this.d.store.transaction(async (tx) => {
      const person = await requirePerson(tx, identityId);
      const refresh = await this.#insertToken(tx, { familyId: randomUUID(), identity: person.id, clientId, familyExpiresAt }, now);
      return this.#respond(person, refresh);
    });
  }

  /** Exchanges a refresh token for a new token and the next refresh token of its family. Parses untrusted input. */
  async refresh(presented: string, clientId: string): Promise<Session> {
    const invalid = refused('AUTH_REFRESH_TOKEN_INVALID', 'the refresh token is not valid (unknown or expired): log in again with `latchkey auth login`');
    if (!SHAPE.test(presented)) throw invalid;
    const hash = sha256(presented);
    const now = this.d.clock();
    const at = now.toISOString();
    const outcome = await this.d.store.transaction(async (tx): Promise<Session | LatchkeyError<AuthErrorCode>> => {
      const cur = await tx.getRefreshToken(hash);
      if (!cur || cur.clientId !== clientId) return invalid;
      if (cur.revokedAt) return refused('AUTH_REFRESH_TOKEN_REVOKED', 'this login was ended (logout, or a refresh token was used twice): log in again with `latchkey auth login`');
      if (cur.usedAt || !(await tx.markRefreshTokenUsed(hash, at))) {
        await tx.revokeRefreshFamily(cur.familyId, at);
        return refused('AUTH_REFRESH_TOKEN_REUSED', 'this refresh token was already used, so it may have been copied: the whole login is now revoked; log in again with `latchkey auth login`');
      }
      if (Date.parse(cur.expiresAt) <= now.getTime() || Date.parse(cur.familyExpiresAt) <= now.getTime()) return invalid;
      const person = await tx.getIdentity(cur.identity);
      if (!person || person.relationship.kind !== 'user') {
        await tx.revokeRefreshFamily(cur.familyId, at);
        return invalid;
      }
      const next = await this.#insertToken(tx, cur, now);
      return this.#respond(person, next);
    });
    // A reuse must revoke the family even though the caller is refused: commit, then throw.
    if (outcome instanceof LatchkeyError) throw outcome;
    return outcome;
  }

  /** RFC 7009: ends the login a refresh token belongs to. Unknown tokens are ignored. */
  async revoke(presented: string, clientId: string): Promise<void> {
    if (!SHAPE.test(presented)) return;
    const cur = await this.d.store.getRefreshToken(sha256(presented));
    if (!cur || cur.clientId !== clientId) return;
    await this.d.store.revokeRefreshFamily(cur.familyId, this.d.clock().toISOString());
  }

  async #insertToken(tx: AuthTx, family: Pick<RefreshToken, 'familyId' | 'identity' | 'clientId' | 'familyExpiresAt'>, now: Date): Promise<string> {
    const token = newSecret(PREFIX);
    const idle = now.getTime() + this.d.refreshTokenTtl * 1000;
    await tx.insertRefreshToken({
      tokenHash: sha256(token),
      familyId: family.familyId,
      identity: family.identity,
      clientId: family.clientId,
      createdAt: now.toISOString(),
      expiresAt: new Date(Math.min(idle, Date.parse(family.familyExpiresAt))).toISOString(),
      familyExpiresAt: family.familyExpiresAt,
      usedAt: null,
      revokedAt: null,
    });
    return token;
  }

  async #respond(person: Identity, refreshToken: string): Promise<Session> {
    const email = person.relationship.kind === 'user' ? person.relationship.user.email : undefined;
    const minted = await this.d.issuer.mint({
      sub: person.id, aud: [this.d.apiAudience], ttlSeconds: this.d.tokenTtl, ...(email ? { extra: { email } } : {}),
    });
    return {
      response: { access_token: minted.token, token_type: 'Bearer', expires_in: this.d.tokenTtl, refresh_token: refreshToken },
      identity: person.id,
      expiry: minted.expiry,
    };
  }
}

/** Only people get sessions: a workload identity (or a deleted one) never does. */
async function requirePerson(tx: AuthTx, id: string): Promise<Identity> {
  const person = await tx.getIdentity(id);
  if (!person || person.relationship.kind !== 'user') {
    throw new TypeError(`identity ${id} is not a person: refresh tokens are for people only`);
  }
  return person;
}
