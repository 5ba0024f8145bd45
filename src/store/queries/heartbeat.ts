// The readiness probe's write: one row, upserted (see migration 0003).

import type { Db } from '../schema.js';

export async function writeHeartbeat(db: Db): Promise<void> {
  const at = new Date().toISOString();
  await db.insertInto('latchkey_heartbeat').values({ id: 1, at })
    .onConflict((oc) => oc.column('id').doUpdateSet({ at })).execute();
}
