// GET /registry/token in-process: what each action needs, what is never granted, the
// refusals and their codes, and that a pull token only ever pulls.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { OPERATOR, builtinRoleId, type Identity } from '../../src/iam/index.js';
import { libtrustKeyId } from '../../src/registry/index.js';
import { makeFolder, makeIdentity, makeOrg, startTestServer, type TestServer } from '../support/test-server.js';

const SERVICE = 'registry.test:5000';

describe('the registry token service', () => {
  let s: TestServer;
  let pusher: Identity;
  let owner: Identity;

  before(async () => {
    s = await startTestServer({ flags: { registryServices: `${SERVICE},other.test` } });
    const acme = await makeOrg(s, 'acme');
    const team = await makeFolder(s, acme.id, 'team');
    pusher = await makeIdentity(s, acme.id, 'registry.push', team.id);
    owner = await makeIdentity(s, acme.id, 'owner');
  });
  after(() => s?.stop(true));

  async function token(sub: string, query: string, aud = SERVICE) {
    const t = (await s.issuer.mint({ sub, aud: [aud], ttlSeconds: 600 })).token;
    const res = await fetch(`${s.url}/registry/token?${query}`, { headers: { authorization: `Basic ${Buffer.from(`_token:${t}`).toString('base64')}` } });
    return { status: res.status, body: await res.json() as any, headers: res.headers };
  }
  const access = (body: { token: string }) => decodeJwt(body.token).access;

  it('signs for the service with the registry key (libtrust kid), granting per action', async () => {
    const r = await token(owner.id, `service=${SERVICE}&scope=repository:acme/app:pull,push,delete,*&scope=registry:catalog:*`);
    assert.equal(r.status, 200);
    const header = decodeProtectedHeader(r.body.token);
    assert.equal(header.alg, 'ES256');
    const [key] = s.registryKeys.inUse();
    assert.equal(header.kid, libtrustKeyId(key!.publicJwk as never));
    assert.equal(header.kid, key!.kid);
    const claims = decodeJwt(r.body.token);
    assert.equal(claims.aud, SERVICE);
    assert.equal(claims.iss, s.config.issuerUrl);
    assert.equal(claims.sub, owner.id);
    assert.equal(claims.exp! - claims.iat!, 300);
    assert.equal(r.body.expires_in, 300);
    assert.equal(r.body.access_token, r.body.token);
    assert.ok(!Number.isNaN(Date.parse(r.body.issued_at)));
    // '*' and the catalog are never granted.
    assert.deepEqual(access(r.body), [{ type: 'repository', name: 'acme/app', actions: ['pull', 'push', 'delete'] }]);
  });

  it('registry.push on a folder: pull and push beneath it, delete too; nothing on its parent', async () => {
    const r = await token(pusher.id, `service=${SERVICE}&scope=${encodeURIComponent('repository:acme/team/app:pull,push,delete repository:acme/app:pull')}`);
    assert.deepEqual(access(r.body), [{ type: 'repository', name: 'acme/team/app', actions: ['pull', 'push', 'delete'] }]);
    // Audited, with what was granted.
    await s.audit.flush();
    const events = await s.store.listAudit({ within: pusher.id.split('/')[0] });
    const granted = events.find((e) => e.action === 'registry.token' && e.actor === pusher.id);
    assert.deepEqual(granted?.details, { service: SERVICE, access: [{ type: 'repository', name: 'acme/team/app', actions: ['pull', 'push', 'delete'] }] });
  });

  it('a pull token only pulls, even when more is bound to it', async () => {
    const acme = (await s.store.listGroups({ rootsOnly: true, name: 'acme' }))[0]!;
    const pt = await s.iam.pullTokens.create(OPERATOR, acme.id, { ttlSeconds: 3600 });
    await s.iam.bindings.create(OPERATOR, acme.id, { identity: pt.username, role: builtinRoleId('registry.push') });
    const res = await fetch(`${s.url}/registry/token?service=${SERVICE}&scope=repository:acme/app:pull,push`,
      { headers: { authorization: `Basic ${Buffer.from(`${pt.username}:${pt.secret}`).toString('base64')}` } });
    assert.equal(res.status, 200);
    assert.deepEqual(access(await res.json() as { token: string }), [{ type: 'repository', name: 'acme/app', actions: ['pull'] }]);
    // It is no Latchkey token, and cannot be exchanged or used on the API.
    const api = await fetch(`${s.url}/iam/v1/groups`, { headers: { authorization: `Bearer ${pt.secret}` } });
    assert.equal(api.status, 401);
    await assert.rejects(s.iam.pullTokens.create(OPERATOR, acme.id, { ttlSeconds: 366 * 86400 }), /one year/);
  });

  it('refuses with stable codes: unknown service, bad scope, no credentials, a token for the other service', async () => {
    const unknown = await token(owner.id, 'service=elsewhere.test&scope=repository:acme/app:pull', 'elsewhere.test');
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.code, 'REGISTRY_UNKNOWN_SERVICE');
    const badScope = await token(owner.id, `service=${SERVICE}&scope=repository:ACME/app:pull`);
    assert.equal(badScope.status, 400);
    assert.equal(badScope.body.code, 'REGISTRY_BAD_REQUEST');
    const noService = await token(owner.id, 'scope=repository:acme/app:pull');
    assert.equal(noService.body.code, 'REGISTRY_BAD_REQUEST');
    const unknownParam = await token(owner.id, `service=${SERVICE}&steal=1`);
    assert.equal(unknownParam.body.code, 'REGISTRY_BAD_REQUEST');
    const anonymous = await fetch(`${s.url}/registry/token?service=${SERVICE}&scope=repository:acme/app:pull`);
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Basic /);
    assert.equal(((await anonymous.json()) as { code: string }).code, 'REGISTRY_UNAUTHENTICATED');
    // Both services are served, but a token minted for one is refused at the other.
    const crossed = await token(owner.id, 'service=other.test&scope=repository:acme/app:pull', SERVICE);
    assert.equal(crossed.status, 401);
    assert.equal(crossed.body.code, 'REGISTRY_UNAUTHENTICATED');

  });
});
