// Presented credentials: the one-time record of each credential the exchange accepted. One
// indexed insert decides; of any number of concurrent callers with one key, one inserts.

import type { Db } from '../schema.js';

/** True when this call recorded `keyHash`; false when it was recorded already (a replay). */
export async function recordPresentedCredential(db: Db, keyHash: string, expiresAt: string): Promise<boolean> {
  const r = await db.insertInto('presented_credentials')
    .values({ key_hash: keyHash, expires_at: expiresAt })
    .onConflict((oc) => oc.column('key_hash').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function deleteExpiredPresentedCredentials(db: Db, now: string): Promise<number> {
  const r = await db.deleteFrom('presented_credentials').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
