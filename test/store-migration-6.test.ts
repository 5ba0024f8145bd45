// Migration 6 (identity kinds claimMatch and static) on each real backend: a database at
// version 5 with identities and role bindings keeps every row (SQLite rebuilds the table, whose
// rows other tables reference), then takes the new kinds and still refuses an unknown one.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { newChildUidp, newRootUidp, type Identity } from '../src/iam/index.js';
import { openStore } from '../src/store/index.js';
import { MIGRATIONS } from '../src/store/migrations.js';
import { runMigrations } from '../src/store/run-migrations.js';
import { backends } from './support/backends.js';

const T0 = '2025-01-02T03:04:05.678Z';

for (const backend of backends()) {
  describe(`migration 6 on ${backend.name}`, () => {
    it('keeps identities and the rows that reference them, and allows claimMatch and static', async () => {
      const url = (await backend.database()) ?? join(mkdtempSync(join(tmpdir(), 'latchkey-mig3-')), 'latchkey.db');
      const store = await openStore(url);
      try {
        const internals = store as unknown as { db: Parameters<typeof runMigrations>[0]; impl: Parameters<typeof runMigrations>[1] };
        await runMigrations(internals.db, internals.impl, MIGRATIONS.slice(0, 5));
        const org = newRootUidp();
        await store.insertGroup({ id: org, parentId: null, name: 'org', description: '', createdAt: T0, updatedAt: T0 });
        const aws: Identity = {
          id: newChildUidp(org), parentId: org, name: 'ci', description: '', createdAt: T0, updatedAt: T0,
          relationship: { kind: 'aws', aws: { awsAccount: '123456789012', arn: 'arn:aws:sts::123456789012:assumed-role/r/s', userId: 'AROAX:s' } },
        };
        await store.insertIdentity(aws);
        const role = { id: newChildUidp(org), parentId: org, name: 'r', description: '', capabilities: ['groups.list' as const], createdAt: T0, updatedAt: T0 };
        await store.insertRole(role);
        const binding = { id: newChildUidp(org), group: org, identity: aws.id, role: role.id, createdAt: T0, updatedAt: T0 };
        await store.insertBinding(binding);

        await store.migrate();
        assert.deepEqual(await store.getIdentity(aws.id), aws);
        assert.deepEqual(await store.getBinding(binding.id), binding, 'the binding survived the rebuild');
        const gh: Identity = {
          ...aws, id: newChildUidp(org), name: 'gh',
          relationship: { kind: 'claimMatch', claimMatch: { issuer: 'https://token.actions.githubusercontent.com', claimPatterns: { repository: '^o/r$' } } },
        };
        await store.insertIdentity(gh);
        assert.deepEqual(await store.getIdentity(gh.id), gh);
        assert.deepEqual((await store.listIdentities({ kinds: ['claimMatch'] })).map((i) => i.id), [gh.id]);
        await assert.rejects(sql`update identities set kind = 'bogus' where id = ${gh.id}`.execute(internals.db));
        // Deleting the identity still cascades to its bindings (the references point at the new table).
        await store.insertBinding({ ...binding, id: newChildUidp(org), identity: gh.id });
        assert.equal(await store.deleteIdentity(gh.id), true);
        assert.equal((await store.listBindings({ identity: gh.id })).length, 0);
      } finally {
        await store.close();
      }
    });
  });
}
