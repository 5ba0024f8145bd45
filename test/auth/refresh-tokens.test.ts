// Refresh tokens, on a real SQLite file and a real PostgreSQL server: opaque, 256 random bits,
// stored as SHA-256 only, rotated on every use; a reused one revokes its whole family; logout
// revokes; lifetimes are enforced; people only.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { HumanSessions, humanLoginExtension } from '../../src/auth/index.js';
import { OPERATOR } from '../../src/iam/index.js';
import { backends } from '../support/backends.js';
import { api, makeIdentity, makeOrg, startTestServer, type TestServer } from '../support/test-server.js';
import { CLI, postForm } from './support/login-server.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

for (const backend of backends()) {
  describe(`refresh tokens on ${backend.name}`, () => {
    let s: TestServer;
    let skewMs = 0;
    const clock = () => new Date(Date.now() + skewMs);
    let person: string;
    before(async () => {
      s = await startTestServer({
        database: await backend.database(), clock,
        flags: { refreshTokenTtl: '1h', refreshTokenMaxAge: '3h' },
        extensions: [humanLoginExtension({ clock })],
      });
      const { identity } = await s.iam.identities.upsertUser(OPERATOR, { issuer: 'https://idp.example', subject: 'pat', email: 'pat@example.com' }, 'Pat');
      person = identity.id;
    });
    after(async () => {
      await s?.stop(true);
    });

    const sessions = () => new HumanSessions({
      store: s.store, issuer: s.issuer, clock, apiAudience: s.config.apiAudience,
      tokenTtl: s.config.tokenTtl, refreshTokenTtl: s.config.refreshTokenTtl, refreshTokenMaxAge: s.config.refreshTokenMaxAge,
    });
    const login = async () => (await sessions().start(person, CLI)).response;
    const refresh = (token: string, extra: Record<string, string> = {}) =>
      postForm(s, '/oauth/token', { grant_type: 'refresh_token', refresh_token: token, ...extra });
    const revoke = (token: string) => postForm(s, '/oauth/revoke', { token, token_type_hint: 'refresh_token' });

    it('are opaque 256-bit secrets kept only as their SHA-256', async () => {
      const t = await login();
      assert.match(t.refresh_token, /^lkrt_[A-Za-z0-9_-]{43}$/);
      assert.equal(Buffer.from(t.refresh_token.slice(5), 'base64url').length, 32);
      const row = await s.store.getRefreshToken(sha256(t.refresh_token));
      assert.equal(row?.identity, person);
      if (backend.name === 'sqlite') {
        const bytes = ['latchkey.db', 'latchkey.db-wal'].map((f) => { try { return readFileSync(join(s.dir, f)); } catch { return Buffer.alloc(0); } });
        for (const b of bytes) assert.ok(!b.includes(Buffer.from(t.refresh_token.slice(5))), 'the token itself is not stored');
      }
    });

    it('work once; the reuse of a used one is refused and revokes its successor', async () => {
      const first = await login();
      const r1 = await refresh(first.refresh_token);
      assert.equal(r1.status, 200, JSON.stringify(r1.body));
      assert.equal(decodeJwt(r1.body.access_token).sub, person);
      assert.notEqual(r1.body.refresh_token, first.refresh_token, 'rotated');
      const reuse = await refresh(first.refresh_token);
      assert.equal(reuse.status, 400);
      assert.equal(reuse.body.code, 'AUTH_REFRESH_TOKEN_REUSED');
      assert.equal(reuse.body.error, 'invalid_grant');
      assert.match(reuse.body.message, /whole login is now revoked/);
      const successor = await refresh(r1.body.refresh_token);
      assert.equal(successor.body.code, 'AUTH_REFRESH_TOKEN_REVOKED');
    });

    it('two concurrent uses of one token: at most one wins, and the family is revoked', async () => {
      const t = await login();
      const results = await Promise.all([refresh(t.refresh_token), refresh(t.refresh_token)]);
      const ok = results.filter((r) => r.status === 200);
      assert.ok(ok.length <= 1);
      assert.ok(results.some((r) => r.body.code === 'AUTH_REFRESH_TOKEN_REUSED'));
      for (const r of ok) assert.equal((await refresh(r.body.refresh_token)).body.code, 'AUTH_REFRESH_TOKEN_REVOKED');
    });

    it('after logout, neither the token nor its predecessor works', async () => {
      const first = await login();
      const second = (await refresh(first.refresh_token)).body;
      const out = await revoke(second.refresh_token);
      assert.equal(out.status, 200);
      assert.equal((await refresh(second.refresh_token)).body.code, 'AUTH_REFRESH_TOKEN_REVOKED');
      assert.equal((await refresh(first.refresh_token)).body.code, 'AUTH_REFRESH_TOKEN_REVOKED');
    });

    it('revocation answers 200 for anything (RFC 7009), including access tokens and junk', async () => {
      const t = await login();
      assert.equal((await revoke(t.access_token)).status, 200);
      assert.equal((await revoke('junk')).status, 200);
      assert.equal((await refresh(t.refresh_token)).status, 200, 'revoking the access token did not touch the login');
      const noToken = await postForm(s, '/oauth/revoke', {});
      assert.equal(noToken.body.code, 'AUTH_INVALID_REQUEST');
    });

    it('expire when unused for the idle lifetime, and at the login\'s maximum age', async () => {
      const idle = await login();
      skewMs += 3601_000;
      assert.equal((await refresh(idle.refresh_token)).body.code, 'AUTH_REFRESH_TOKEN_INVALID');

      let t = await login();
      for (let i = 0; i < 5; i++) {
        skewMs += 50 * 60_000; // within the idle hour each time
        const r = await refresh(t.refresh_token);
        if (i < 3) {
          assert.equal(r.status, 200, `refresh ${i}: ${JSON.stringify(r.body)}`);
          t = r.body;
        } else {
          assert.equal(r.body.code, 'AUTH_REFRESH_TOKEN_INVALID', `refresh ${i} is past the 3 h maximum`);
          break;
        }
      }
    });

    it('refuse malformed tokens, access tokens, and other clients', async () => {
      const t = await login();
      assert.equal((await refresh('lkrt_short')).body.code, 'AUTH_REFRESH_TOKEN_INVALID');
      assert.equal((await refresh(t.access_token)).body.code, 'AUTH_REFRESH_TOKEN_INVALID');
      assert.equal((await refresh(t.refresh_token, { client_id: 'someone-else' })).body.code, 'AUTH_UNKNOWN_CLIENT');
      assert.equal((await refresh(t.refresh_token, { client_id: CLI })).status, 200);
    });

    it('stop working when the person is deleted', async () => {
      const { identity } = await s.iam.identities.upsertUser(OPERATOR, { issuer: 'https://idp.example', subject: 'gone' }, 'Gone');
      const t = (await sessions().start(identity.id, CLI)).response;
      await s.store.deleteIdentity(identity.id);
      assert.equal((await refresh(t.refresh_token)).body.code, 'AUTH_REFRESH_TOKEN_INVALID');
    });

    it('are for people only: a workload identity never gets one', async () => {
      const org = await makeOrg(s);
      const workload = await makeIdentity(s, org.id, 'viewer');
      await assert.rejects(sessions().start(workload.id, CLI), /not a person: refresh tokens are for people only/);
    });

    it('the sweep leaves live logins alone', async () => {
      const t = await login();
      await s.store.deleteExpiredAuthRecords(clock().toISOString());
      assert.equal((await refresh(t.refresh_token)).status, 200);
      const r = await api(s, 'GET', '/healthz');
      assert.equal(r.status, 200);
    });
  });
}
