// Which group a repository belongs to: the walk down its name, and the names that place it
// nowhere (a wrong group would be a wrong "yes" for everyone bound there).

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Group } from '../../src/iam/types.js';
import { newChildUidp, newRootUidp } from '../../src/iam/uidp.js';
import { repositoryGroup } from '../../src/registry/repository-group.js';
import { openStore, type Store } from '../../src/store/index.js';

const T = '2026-01-01T00:00:00.000Z';

describe('repositoryGroup', () => {
  let store: Store;
  const g = (id: string, parentId: string | null, name: string): Group => ({ id, parentId, name, description: '', createdAt: T, updatedAt: T });
  const acme = newRootUidp();
  const teamA = newChildUidp(acme);
  const tools = newChildUidp(teamA);
  const twinA = newChildUidp(acme);
  const twinB = newChildUidp(acme);
  const dupe1 = newRootUidp();
  const dupe2 = newRootUidp();

  before(async () => {
    store = await openStore(join(mkdtempSync(join(tmpdir(), 'latchkey-repo-group-')), 'db.sqlite'));
    await store.migrate();
    for (const x of [g(acme, null, 'acme'), g(teamA, acme, 'team-a'), g(tools, teamA, 'tools'), g(twinA, acme, 'twin'), g(twinB, acme, 'twin'),
      g(dupe1, null, 'dupe'), g(dupe2, null, 'dupe')]) await store.insertGroup(x);
  });
  after(() => store?.close());

  it('walks the path of group names down from the organization', async () => {
    assert.equal(await repositoryGroup(store, 'acme/app'), acme);
    assert.equal(await repositoryGroup(store, 'acme/team-a/app'), teamA);
    assert.equal(await repositoryGroup(store, 'acme/team-a/tools/app'), tools);
    // The image's own name is never a group: acme/team-a is the repository "team-a" of acme.
    assert.equal(await repositoryGroup(store, 'acme/team-a'), acme);
  });

  it('stops at the deepest folder that exists, or at a name two folders share', async () => {
    assert.equal(await repositoryGroup(store, 'acme/no-such/team-a/app'), acme);
    assert.equal(await repositoryGroup(store, 'acme/team-a/nothing/app'), teamA);
    assert.equal(await repositoryGroup(store, 'acme/twin/app'), acme);
  });

  it('places nowhere: a bare name, an unknown organization, an organization name two share', async () => {
    assert.equal(await repositoryGroup(store, 'app'), undefined);
    assert.equal(await repositoryGroup(store, 'nobody/app'), undefined);
    assert.equal(await repositoryGroup(store, 'dupe/app'), undefined);
    assert.equal(await repositoryGroup(store, 'Acme/app'), undefined);
  });
});
