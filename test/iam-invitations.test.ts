// Invitations (role bindings by email) on both backends: claimed once by the first login with
// that email, never after they expire; expired ones are swept and audited; each change audited.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OPERATOR, builtinRoleId } from '../src/iam/index.js';
import { backends } from './support/backends.js';
import { startTestServer, type TestServer } from './support/test-server.js';

for (const backend of backends()) {
  describe(`invitations on ${backend.name}`, () => {
    let s: TestServer;
    let now = Date.parse('2026-01-01T00:00:00Z');
    before(async () => {
      s = await startTestServer({ database: await backend.database(), clock: () => new Date(now), flags: { inviteTtl: '1h' } });
    });
    after(async () => {
      await s?.stop(true);
    });

    const person = async (email: string) =>
      (await s.iam.identities.upsertUser(OPERATOR, { issuer: 'https://idp.example', subject: email, email }, email)).identity;
    const actions = async (org: string, target: string) =>
      (await s.store.listAudit({ within: org })).filter((e) => e.target === target).map((e) => e.action);

    it('is claimed once, by the first login with that email, with the configured lifetime', async () => {
      const org = (await s.iam.groups.createOrganization(OPERATOR, { name: 'acme' })).id;
      const inv = await s.iam.bindings.create(OPERATOR, org, { email: 'Alice@Acme.example', role: builtinRoleId('owner') });
      assert.ok('pending' in inv && inv.pending);
      assert.equal(Date.parse((inv as { expiresAt: string }).expiresAt) - now, 3600_000);
      const alice = await person('alice@acme.example');
      const claimed = await s.iam.bindings.claimPending(alice.id, 'alice@acme.example');
      assert.equal(claimed.length, 1);
      assert.equal(claimed[0]!.role, builtinRoleId('owner'));
      assert.deepEqual(await s.iam.bindings.claimPending(alice.id, 'alice@acme.example'), [], 'claimed once');
      const mallory = await person('mallory@evil.example');
      assert.deepEqual(await s.iam.bindings.claimPending(mallory.id, 'alice@acme.example'), [], 'gone after the claim');
      assert.deepEqual(await actions(org, inv.id), ['invitation.claim', 'invitation.create']);
    });

    it('is never claimed after it expires; the sweep removes it and audits it', async () => {
      const org = (await s.iam.groups.createOrganization(OPERATOR, { name: 'late' })).id;
      const stale = await s.iam.bindings.create(OPERATOR, org, { email: 'bob@late.example', role: builtinRoleId('owner') });
      const swept = await s.iam.bindings.create(OPERATOR, org, { email: 'carol@late.example', role: builtinRoleId('viewer') });
      now += 3600_000; // exactly at expiry: expired
      const bob = await person('bob@late.example');
      assert.deepEqual(await s.iam.bindings.claimPending(bob.id, 'bob@late.example'), []);
      assert.deepEqual(await s.store.listBindings({ identity: bob.id }), []);
      assert.deepEqual(await actions(org, stale.id), ['invitation.expire', 'invitation.create']);
      assert.ok((await s.iam.bindings.sweepExpiredInvitations()) >= 1);
      assert.equal(await s.store.getPendingBinding(swept.id), undefined);
      assert.deepEqual(await actions(org, swept.id), ['invitation.expire', 'invitation.create']);
      assert.equal(await s.iam.bindings.sweepExpiredInvitations(), 0, 'each is expired once');
    });
  });
}
