// Login states: a person's sign-in at an upstream provider, from redirect to callback. Taken once.

import type { Selectable } from 'kysely';
import type { LoginPurpose, LoginState } from '../../auth/records.js';
import type { Db, LoginStatesTable } from '../schema.js';
import type { ConflictMessages } from '../store-error.js';

export const loginStateConflicts: ConflictMessages = { duplicate: 'this login state already exists' };

export async function insertLoginState(db: Db, s: LoginState): Promise<void> {
  await db.insertInto('login_states').values({
    state_hash: s.stateHash, provider: s.provider, nonce: s.nonce, code_verifier: s.codeVerifier,
    browser_hash: s.browserHash, purpose: JSON.stringify(s.purpose), created_at: s.createdAt, expires_at: s.expiresAt,
  }).execute();
}

/** Deletes and returns the row: of two concurrent callers, one gets it. */
export async function takeLoginState(db: Db, stateHash: string): Promise<LoginState | undefined> {
  const r = await db.deleteFrom('login_states').where('state_hash', '=', stateHash).returningAll().executeTakeFirst();
  return r && fromRow(r);
}

export async function deleteExpiredLoginStates(db: Db, now: string): Promise<number> {
  const r = await db.deleteFrom('login_states').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}

function fromRow(r: Selectable<LoginStatesTable>): LoginState {
  return {
    stateHash: r.state_hash, provider: r.provider, nonce: r.nonce, codeVerifier: r.code_verifier,
    browserHash: r.browser_hash, purpose: JSON.parse(r.purpose) as LoginPurpose, createdAt: r.created_at, expiresAt: r.expires_at,
  };
}
