// Authorization codes handed to the CLI's loopback callback. Taken once.

import type { Selectable } from 'kysely';
import type { AuthorizationCode } from '../../auth/records.js';
import type { AuthorizationCodesTable, Db } from '../schema.js';
import type { ConflictMessages } from '../store-error.js';

export const authorizationCodeConflicts: ConflictMessages = {
  duplicate: 'this authorization code already exists',
  missingReference: 'the identity of this authorization code does not exist',
};

export async function insertAuthorizationCode(db: Db, c: AuthorizationCode): Promise<void> {
  await db.insertInto('authorization_codes').values({
    code_hash: c.codeHash, identity_id: c.identity, client_id: c.clientId, redirect_uri: c.redirectUri,
    code_challenge: c.codeChallenge, created_at: c.createdAt, expires_at: c.expiresAt,
  }).execute();
}

/** Deletes and returns the row: of two concurrent callers, one gets it. */
export async function takeAuthorizationCode(db: Db, codeHash: string): Promise<AuthorizationCode | undefined> {
  const r = await db.deleteFrom('authorization_codes').where('code_hash', '=', codeHash).returningAll().executeTakeFirst();
  return r && fromRow(r);
}

export async function deleteExpiredAuthorizationCodes(db: Db, now: string): Promise<number> {
  const r = await db.deleteFrom('authorization_codes').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}

function fromRow(r: Selectable<AuthorizationCodesTable>): AuthorizationCode {
  return {
    codeHash: r.code_hash, identity: r.identity_id, clientId: r.client_id, redirectUri: r.redirect_uri,
    codeChallenge: r.code_challenge, createdAt: r.created_at, expiresAt: r.expires_at,
  };
}
