// Presented credentials: the one-time record of each credential the exchange accepted. One
// indexed insert of a batch decides; of any number of concurrent callers with one key (in one
// batch or in several, on any replica), one inserts.

import type { PresentedCredential } from '../contract.js';
import type { Db } from '../schema.js';

/** Most rows in one insert (two parameters each: far below SQLite's and PostgreSQL's limits). */
export const MAX_PRESENTED_BATCH = 500;

/**
 * For each record, in order: true when this call recorded it; false when it was recorded
 * already, or earlier in the same batch (a replay).
 */
export async function recordPresentedCredentials(db: Db, records: readonly PresentedCredential[]): Promise<boolean[]> {
  if (records.length === 0) return [];
  if (records.length > MAX_PRESENTED_BATCH) throw new TypeError(`record at most ${MAX_PRESENTED_BATCH} presented credentials at once`);
  const rows = await db.insertInto('presented_credentials')
    .values(records.map((r) => ({ key_hash: r.keyHash, expires_at: r.expiresAt })))
    .onConflict((oc) => oc.column('key_hash').doNothing())
    .returning('key_hash')
    .execute();
  const inserted = new Set(rows.map((r) => r.key_hash));
  // A key twice in one batch was inserted once: the first occurrence has it.
  return records.map((r) => inserted.delete(r.keyHash));
}

export async function deleteExpiredPresentedCredentials(db: Db, now: string): Promise<number> {
  const r = await db.deleteFrom('presented_credentials').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
