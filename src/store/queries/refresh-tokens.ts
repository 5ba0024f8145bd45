// Refresh tokens: one row per token, grouped into families (one login). Rows stay until the
// family's end so that a rotated token presented again is recognized as reuse.

import type { Selectable } from 'kysely';
import type { RefreshToken } from '../../auth/records.js';
import type { Db, RefreshTokensTable } from '../schema.js';
import type { ConflictMessages } from '../store-error.js';

export const refreshTokenConflicts: ConflictMessages = {
  duplicate: 'this refresh token already exists',
  missingReference: 'the identity of this refresh token does not exist',
};

export async function insertRefreshToken(db: Db, t: RefreshToken): Promise<void> {
  await db.insertInto('refresh_tokens').values({
    token_hash: t.tokenHash, family_id: t.familyId, identity_id: t.identity, client_id: t.clientId, created_at: t.createdAt,
    expires_at: t.expiresAt, family_expires_at: t.familyExpiresAt, used_at: t.usedAt, revoked_at: t.revokedAt,
  }).execute();
}

export async function getRefreshToken(db: Db, tokenHash: string): Promise<RefreshToken | undefined> {
  const r = await db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  return r && fromRow(r);
}

/** Compare-and-set: only the first caller marks an unused, unrevoked token used. */
export async function markRefreshTokenUsed(db: Db, tokenHash: string, at: string): Promise<boolean> {
  const r = await db.updateTable('refresh_tokens').set({ used_at: at })
    .where('token_hash', '=', tokenHash).where('used_at', 'is', null).where('revoked_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function revokeRefreshFamily(db: Db, familyId: string, at: string): Promise<number> {
  const r = await db.updateTable('refresh_tokens').set({ revoked_at: at })
    .where('family_id', '=', familyId).where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function deleteEndedRefreshFamilies(db: Db, now: string): Promise<number> {
  const r = await db.deleteFrom('refresh_tokens').where('family_expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}

function fromRow(r: Selectable<RefreshTokensTable>): RefreshToken {
  return {
    tokenHash: r.token_hash, familyId: r.family_id, identity: r.identity_id, clientId: r.client_id, createdAt: r.created_at,
    expiresAt: r.expires_at, familyExpiresAt: r.family_expires_at, usedAt: r.used_at, revokedAt: r.revoked_at,
  };
}
