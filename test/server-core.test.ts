// Issue 2's acceptance: IAM authorization, token pinning, bad input, restart, audit —
// through real HTTP on loopback, against a real SQLite file and a real PostgreSQL server.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SignJWT, createRemoteJWKSet, generateKeyPair, jwtVerify } from 'jose';
import { BUILTIN_ROLES, OPERATOR, builtinRoleId, newChildUidp } from '../src/iam/index.js';
import { backends } from './support/backends.js';
import { api, awsRule, makeFolder, makeIdentity, makeOrg, startTestServer, tokenFor, type TestServer } from './support/test-server.js';

for (const backend of backends()) {
  describe(`server core on ${backend.name}`, () => {
    let s: TestServer;
    let skewMs = 0; // moves the server's clock, for expiry
    before(async () => {
      s = await startTestServer({ database: await backend.database(), clock: () => new Date(Date.now() + skewMs) });
    });
    after(async () => {
      await s?.stop(true);
    });

    it('answers discovery, and its tokens verify against its JWKS as a relying party would', async () => {
      const disco = await api(s, 'GET', '/.well-known/openid-configuration');
      assert.equal(disco.status, 200);
      assert.equal(disco.body.issuer, s.url);
      const org = await makeOrg(s);
      const who = await makeIdentity(s, org.id, 'viewer');
      const token = await tokenFor(s, who.id);
      const jwks = createRemoteJWKSet(new URL(disco.body.jwks_uri));
      const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: s.url, audience: s.config.apiAudience, algorithms: ['ES256'] });
      assert.equal(protectedHeader.alg, 'ES256');
      assert.equal(payload.sub, who.id);
      for (const c of ['iss', 'sub', 'aud', 'iat', 'exp', 'jti']) assert.ok(payload[c] !== undefined, `claim ${c}`);
    });

    it('lets a viewer list but not create', async () => {
      const org = await makeOrg(s);
      const viewer = await makeIdentity(s, org.id, 'viewer');
      const t = await tokenFor(s, viewer.id);
      const list = await api(s, 'GET', '/iam/v1/identities', { token: t });
      assert.equal(list.status, 200);
      assert.ok(list.body.items.some((i: { id: string }) => i.id === viewer.id));
      const create = await api(s, 'POST', `/iam/v1/identities/${org.id}`, { token: t, body: { name: 'x', awsIdentity: awsRule() } });
      assert.equal(create.status, 403);
      assert.equal(create.body.code, 'PERMISSION_DENIED');
      assert.match(create.body.message, /identity\.create/);
    });

    it('pages a list of more than 1000 at the default page size, and at a small one', async () => {
      const org = await makeOrg(s);
      const owner = await makeIdentity(s, org.id, 'owner');
      const folder = await makeFolder(s, org.id, 'many');
      const now = new Date().toISOString();
      await s.store.transaction(async (tx) => {
        for (let n = 0; n < 1001; n++) {
          await tx.insertIdentity({
            id: newChildUidp(folder.id), parentId: folder.id, name: `i${n}`, description: '',
            relationship: { kind: 'aws', aws: { awsAccount: '123456789012', arn: `arn:aws:sts::123456789012:assumed-role/r/s${n}`, userId: `AROAX:s${n}` } },
            createdAt: now, updatedAt: now,
          });
        }
      });
      const t = await tokenFor(s, owner.id);
      const q = `/iam/v1/identities?uidp.childrenOf=${folder.id}`;
      const first = await api(s, 'GET', q, { token: t });
      assert.equal(first.body.items.length, 1000);
      assert.ok(first.body.nextPageToken, 'a list of 1001 has a second page at the default page size');
      const second = await api(s, 'GET', `${q}&pageToken=${first.body.nextPageToken}`, { token: t });
      assert.equal(second.body.items.length, 1);
      assert.equal(second.body.nextPageToken, undefined);
      const seen = new Set([...first.body.items, ...second.body.items].map((i: { id: string }) => i.id));
      assert.equal(seen.size, 1001, 'every identity once');
      const small = await api(s, 'GET', `${q}&pageSize=10`, { token: t });
      assert.equal(small.body.items.length, 10);
      assert.ok(small.body.nextPageToken);
    });

    it('grants a folder binding nothing on its parent or siblings', async () => {
      const org = await makeOrg(s);
      const a = await makeFolder(s, org.id, 'a');
      const b = await makeFolder(s, org.id, 'b');
      const editor = await makeIdentity(s, a.id, 'editor');
      const t = await tokenFor(s, editor.id);
      assert.equal((await api(s, 'POST', `/iam/v1/identities/${a.id}`, { token: t, body: { name: 'in-a', awsIdentity: awsRule() } })).status, 201);
      assert.equal((await api(s, 'POST', `/iam/v1/groups/${a.id}`, { token: t, body: { name: 'sub-of-a' } })).status, 201);
      for (const g of [org.id, b.id]) {
        const r = await api(s, 'POST', `/iam/v1/identities/${g}`, { token: t, body: { name: 'no', awsIdentity: awsRule() } });
        assert.equal(r.status, 403, `create in ${g === org.id ? 'parent' : 'sibling'}`);
      }
      const groups = await api(s, 'GET', '/iam/v1/groups', { token: t });
      const ids = groups.body.items.map((g: { id: string }) => g.id);
      assert.ok(ids.includes(a.id));
      assert.ok(!ids.includes(org.id) && !ids.includes(b.id));
      assert.equal((await api(s, 'GET', `/iam/v1/groups/${b.id}`, { token: t })).status, 403);
    });

    it('shows an identity nothing of another organization', async () => {
      const mine = await makeOrg(s, 'mine');
      const theirs = await makeOrg(s, 'theirs');
      const theirId = await makeIdentity(s, theirs.id, 'owner');
      const me = await makeIdentity(s, mine.id, 'owner');
      const t = await tokenFor(s, me.id);
      for (const path of ['/iam/v1/groups', '/iam/v1/identities', '/iam/v1/rolebindings', '/iam/v1/roles']) {
        const r = await api(s, 'GET', path, { token: t });
        assert.equal(r.status, 200, path);
        assert.ok(!JSON.stringify(r.body).includes(theirs.id), `${path} leaks the other organization`);
      }
      assert.equal((await api(s, 'GET', `/iam/v1/identities?uidp.descendantsOf=${theirs.id}`, { token: t })).body.items.length, 0);
      assert.equal((await api(s, 'GET', `/iam/v1/identities/${theirId.id}`, { token: t })).status, 403);
      assert.equal((await api(s, 'DELETE', `/iam/v1/groups/${theirs.id}`, { token: t })).status, 403);
      assert.equal((await api(s, 'GET', `/iam/v1/audit?group=${theirs.id}`, { token: t })).status, 403);
    });

    it('refuses tokens it did not mint for itself', async () => {
      const org = await makeOrg(s);
      const who = await makeIdentity(s, org.id, 'owner');
      const now = Math.floor(Date.now() / 1000);
      const claims = { sub: who.id, jti: 'x' };
      const other = await generateKeyPair('ES256');
      const foreign = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: s.keys.current().kid })
        .setIssuer(s.url).setAudience(s.config.apiAudience).setIssuedAt(now).setExpirationTime(now + 600).sign(other.privateKey);
      const hs = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: s.keys.current().kid })
        .setIssuer(s.url).setAudience(s.config.apiAudience).setIssuedAt(now).setExpirationTime(now + 600).sign(new TextEncoder().encode('k'.repeat(32)));
      const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, iss: s.url, aud: s.config.apiAudience, iat: now, exp: now + 600 })}.`;
      const expired = (await s.issuer.mint({ sub: who.id, aud: [s.config.apiAudience], ttlSeconds: 60 })).token;
      const otherAud = (await s.issuer.mint({ sub: who.id, aud: ['https://elsewhere.example'], ttlSeconds: 600 })).token;
      const good = await tokenFor(s, who.id);
      assert.equal((await api(s, 'GET', '/iam/v1/groups', { token: good })).status, 200);
      const cases: Array<[string, string, string]> = [
        ['another key', foreign, 'TOKEN_INVALID'], ['HS256', hs, 'TOKEN_INVALID'], ['alg none', none, 'TOKEN_INVALID'],
        ['another aud', otherAud, 'TOKEN_WRONG_AUDIENCE'], ['garbage', 'abc.def.ghi', 'TOKEN_INVALID'],
      ];
      for (const [label, token, code] of cases) {
        const r = await api(s, 'GET', '/iam/v1/groups', { token });
        assert.equal(r.status, 401, label);
        assert.equal(r.body.code, code, label);
      }
      const noToken = await api(s, 'GET', '/iam/v1/groups');
      assert.equal(noToken.body.code, 'UNAUTHENTICATED');
      skewMs = 2 * 3600_000;
      try {
        const r = await api(s, 'GET', '/iam/v1/groups', { token: expired });
        assert.equal(r.status, 401);
        assert.equal(r.body.code, 'TOKEN_EXPIRED');
      } finally {
        skewMs = 0;
      }
    });

    it('rejects bad input with a 400 that says what to fix, and changes nothing', async () => {
      const org = await makeOrg(s);
      const owner = await makeIdentity(s, org.id, 'owner');
      const t = await tokenFor(s, owner.id);
      const before = (await api(s, 'GET', `/iam/v1/identities?uidp.descendantsOf=${org.id}`, { token: t })).body.items.length;
      const cases: Array<[string, string, unknown, RegExp]> = [
        ['POST', '/iam/v1/identities/not-a-uidp', { name: 'x', awsIdentity: awsRule() }, /UIDP/],
        ['POST', `/iam/v1/identities/${org.id}`, { name: 'x', awsIdentity: awsRule(), colour: 'red' }, /^body has an unknown field "colour"$/],
        ['POST', `/iam/v1/identities/${org.id}`, { name: 'x', awsIdentity: { ...awsRule(), arnPattern: '(unclosed' } }, /arnPattern/],
        ['POST', `/iam/v1/identities/${org.id}`, { name: 'x', awsIdentity: { ...awsRule(), aws_account: '12' } }, /12 digits|account/],
        ['POST', `/iam/v1/identities/${org.id}`, { name: 'x', description: 'y'.repeat(200_000) }, /too large/],
        ['GET', `/iam/v1/identities?uidp.childrenOf=nope`, undefined, /UIDP/],
        ['GET', `/iam/v1/identities?bogus=1`, undefined, /^querystring has an unknown parameter "bogus"$/],
        ['POST', `/iam/v1/roles/${org.id}`, { name: 'r', capabilities: ['identity.fly'] }, /capability/],
      ];
      for (const [method, path, body, msg] of cases) {
        const r = await api(s, method, path, { token: t, body });
        assert.equal(r.status, 400, `${method} ${path}: ${JSON.stringify(r.body)}`);
        assert.ok(typeof r.body.code === 'string' && r.body.code.length > 0);
        assert.match(r.body.message, msg, `${method} ${path}`);
      }
      const afterCount = (await api(s, 'GET', `/iam/v1/identities?uidp.descendantsOf=${org.id}`, { token: t })).body.items.length;
      assert.equal(afterCount, before);
    });

    it('accepts the seed id.json verbatim and serves it back in camelCase', async () => {
      const org = await makeOrg(s);
      const owner = await makeIdentity(s, org.id, 'owner');
      const t = await tokenFor(s, owner.id);
      const seed = {
        name: 'aws-instance',
        awsIdentity: { aws_account: '452336408843', arnPattern: '^arn:aws:sts::452336408843:assumed-role/access_to_chainguard_org/(.*)$', userIdPattern: '^AROAWSUKZ3EFSAMPLE(.*)$' },
      };
      const r = await api(s, 'POST', `/iam/v1/identities/${org.id}`, { token: t, body: seed });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.match(r.body.id, new RegExp(`^${org.id}/[0-9a-f]{16}$`));
      assert.equal(r.body.awsIdentity.awsAccount, '452336408843');
      assert.equal(r.body.awsIdentity.arnPattern, seed.awsIdentity.arnPattern);
    });

    it('deletes a folder with everything beneath it, leaving no binding behind', async () => {
      const org = await makeOrg(s);
      const owner = await makeIdentity(s, org.id, 'owner');
      const f = await makeFolder(s, org.id, 'f');
      const inner = await makeIdentity(s, f.id, 'viewer');
      await s.iam.bindings.create(OPERATOR, org.id, { identity: inner.id, role: builtinRoleId('viewer') });
      const t = await tokenFor(s, owner.id);
      const r = await api(s, 'DELETE', `/iam/v1/groups/${f.id}`, { token: t });
      assert.equal(r.status, 200);
      const left = await api(s, 'GET', `/iam/v1/rolebindings?uidp.descendantsOf=${org.id}`, { token: t });
      assert.ok(left.body.items.every((b: { identity: string }) => b.identity !== inner.id));
      assert.equal((await s.store.effectiveBindings(inner.id)).length, 0);
    });

    it('records every IAM change in an audit log that owners can list and viewers cannot', async () => {
      const org = await makeOrg(s);
      const owner = await makeIdentity(s, org.id, 'owner');
      const viewer = await makeIdentity(s, org.id, 'viewer');
      const t = await tokenFor(s, owner.id);
      await api(s, 'POST', `/iam/v1/groups/${org.id}`, { token: t, body: { name: 'audited' } });
      const log = await api(s, 'GET', `/iam/v1/audit?group=${org.id}`, { token: t });
      assert.equal(log.status, 200);
      const ev = log.body.items.find((e: { action: string; details: { name?: string } }) => e.action === 'groups.create' && e.details.name === 'audited');
      assert.ok(ev, 'the folder creation is audited');
      assert.equal(ev.actor, owner.id);
      assert.equal(ev.remoteAddr, '127.0.0.1');
      assert.ok(Date.parse(ev.at) > 0);
      assert.equal((await api(s, 'GET', `/iam/v1/audit?group=${org.id}`, { token: await tokenFor(s, viewer.id) })).status, 403);
    });

    it('serves an OpenAPI document generated from the route schemas', async () => {
      const r = await api(s, 'GET', '/openapi.json');
      assert.equal(r.status, 200);
      assert.match(r.body.openapi, /^3\./);
      assert.ok(r.body.paths['/iam/v1/identities']);
      assert.ok(r.body.paths['/sts/exchange']);
    });

    it('answers health and readiness', async () => {
      assert.equal((await api(s, 'GET', '/healthz')).status, 200);
      assert.equal((await api(s, 'GET', '/readyz')).status, 200);
    });
  });

  describe(`restart on ${backend.name}`, () => {
    it('keeps every record, and tokens issued before the restart still verify', async () => {
      const database = await backend.database();
      const issuerUrl = 'http://127.0.0.1:9'; // stable across the restart, whatever port each run gets
      const first = await startTestServer({ database, flags: { issuerUrl } });
      const org = await makeOrg(first);
      const folder = await makeFolder(first, org.id, 'kept');
      const who = await makeIdentity(first, folder.id, 'editor');
      const token = await tokenFor(first, who.id);
      await first.stop();
      const second = await startTestServer({ database, dir: first.dir, flags: { issuerUrl } });
      try {
        // Same keys, new port: verify the old token against the new server's JWKS and API.
        const jwks = createRemoteJWKSet(new URL(`${second.url}/.well-known/jwks.json`));
        await jwtVerify(token, jwks, { issuer: issuerUrl, audience: issuerUrl });
        const r = await api(second, 'GET', `/iam/v1/groups/${folder.id}`, { token });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.name, 'kept');
        assert.ok(await second.store.getGroup(folder.id));
        assert.ok(await second.store.getIdentity(who.id));
        assert.equal((await second.store.effectiveBindings(who.id)).length, 1);
        assert.equal((await second.store.listRoles({ builtinOnly: true })).length, BUILTIN_ROLES.length);
      } finally {
        await second.stop(true);
      }
    });
  });
}
