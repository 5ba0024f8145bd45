// One-time credentials through the real exchange route: an AWS token (signed with smithy,
// checked by the AWS emulator as STS) and an OpenID Connect token (a static identity) are each
// accepted once, on one SQLite server and across two replicas on one PostgreSQL; 16 concurrent
// presentations accept exactly one; a refused credential can be presented again; the table
// holds hashes only; and --one-time-credentials=false accepts replays.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { base64url } from 'jose';
import pg from 'pg';
import { startAwsEmulator, type AwsEmulator } from '../../src/aws-emulator/index.js';
import { createStsClient } from '../../src/aws/index.js';
import { builtinRoleId, OPERATOR } from '../../src/iam/index.js';
import { buildAwsToken } from '../support/aws-token-builder.js';
import { startTestIssuer, type TestIssuer } from '../support/oidc-issuer.js';
import { AWS_RULE, ISSUER, PRINCIPAL, startCluster, type Cluster } from '../support/replicas.js';
import { api, makeOrg, startTestServer, type TestServer } from '../support/test-server.js';

const SUBJECT = 'system:serviceaccount:ci:builder';

interface Setup {
  /** The servers to present to: one (SQLite) or two replicas (PostgreSQL). */
  servers: TestServer[];
  /** The issuer URL every server has: what AWS tokens and JWTs are bound to. */
  audience: string;
  emu: AwsEmulator;
  aws: string;
  jwt: string;
}

/** An AWS identity (viewer in its org) and a static identity, created through the first server. */
async function identities(s: TestServer, iss: TestIssuer): Promise<{ aws: string; jwt: string }> {
  const org = await makeOrg(s, 'acme');
  const { identity: aws } = await s.iam.identities.create(OPERATOR, org.id, { name: 'runner', awsIdentity: AWS_RULE });
  await s.iam.bindings.create(OPERATOR, org.id, { identity: aws.id, role: builtinRoleId('viewer') });
  const expiration = new Date(Date.now() + 86400_000).toISOString();
  const { identity: jwt } = await s.iam.identities.create(OPERATOR, org.id, {
    name: 'kind', static: { issuer: iss.url, subject: SUBJECT, issuer_keys: JSON.stringify(iss.jwks()), expiration },
  });
  return { aws: aws.id, jwt: jwt.id };
}

function exchange(s: TestServer, identity: string, token: string, extra = '') {
  return api(s, 'POST', `/sts/exchange?identity=${identity}${extra}`, { headers: { authorization: `Bearer ${token}` } });
}

/** A P-256 ES256 JWT with its signature's s replaced by n - s: another valid encoding of the same signature. */
function highS(token: string): string {
  const n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
  const [h, p, sig] = token.split('.') as [string, string, string];
  const raw = base64url.decode(sig);
  const s = BigInt(`0x${Buffer.from(raw.subarray(32)).toString('hex')}`);
  const flipped = Buffer.from((n - s).toString(16).padStart(64, '0'), 'hex');
  return `${h}.${p}.${base64url.encode(Buffer.concat([raw.subarray(0, 32), flipped]))}`;
}

function oneTimeSuite(name: string, start: (iss: TestIssuer) => Promise<Setup & { stop(): Promise<void>; database?: string }>) {
  describe(`one-time credentials: ${name}`, () => {
    let iss: TestIssuer;
    let env: Awaited<ReturnType<typeof start>>;
    const last = () => env.servers.at(-1)!;
    const aws = () => buildAwsToken(env.emu.issueCredentials(0), { identity: env.aws, audience: env.audience });
    const jwt = (claims: Record<string, unknown> = {}) => iss.sign({ sub: SUBJECT, aud: env.audience, ...claims });

    before(async () => {
      iss = await startTestIssuer();
      env = await start(iss);
    });
    after(async () => {
      await env?.stop();
      await iss?.close();
    });

    it('the same AWS token twice: accepted once, to the same server and to another replica', async () => {
      const tok = await aws();
      assert.equal((await exchange(env.servers[0]!, env.aws, tok)).status, 200);
      const again = await exchange(env.servers[0]!, env.aws, tok);
      assert.equal(again.status, 401);
      assert.equal(again.body.code, 'CREDENTIAL_REPLAYED');
      assert.doesNotMatch(JSON.stringify(again.body), new RegExp(tok.slice(0, 40).replace(/[+/]/g, '.')), 'no token in the answer');
      const other = await exchange(last(), env.aws, tok);
      assert.equal(other.status, 401, 'the other replica knows it too');
      assert.equal(other.body.code, 'CREDENTIAL_REPLAYED');
      assert.equal((await exchange(last(), env.aws, await aws())).status, 200, 'a new signed request is accepted');
    });

    it('the same JWT twice, with a jti and without: accepted once, to the same server and to another replica', async () => {
      for (const claims of [{}, { jti: undefined, n: 'twice' }]) {
        const tok = await jwt(claims);
        assert.equal((await exchange(env.servers[0]!, env.jwt, tok)).status, 200);
        assert.equal((await exchange(env.servers[0]!, env.jwt, tok)).body.code, 'CREDENTIAL_REPLAYED');
        assert.equal((await exchange(last(), env.jwt, tok)).body.code, 'CREDENTIAL_REPLAYED');
      }
    });

    it('a JWT is named by (iss, jti), and a jti-less one by what its signature covers', async () => {
      const first = await jwt({ jti: 'job-42' });
      assert.equal((await exchange(env.servers[0]!, env.jwt, first)).status, 200);
      const sameJti = await jwt({ jti: 'job-42', extra: 'other bytes' });
      assert.equal((await exchange(last(), env.jwt, sameJti)).body.code, 'CREDENTIAL_REPLAYED', 'another token with the same jti');
      // Without a jti, the same claims signed in the same second are the same credential: `n` makes this one new.
      const bare = await jwt({ jti: undefined, n: 'bare' });
      const accepted = await exchange(env.servers[0]!, env.jwt, bare);
      assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
      // ECDSA signatures are malleable: (r, n - s) verifies too (Node's verify does not insist on a
      // low s), so a hash of the whole token would take this for a new credential. Same signed claims: a replay.
      const flipped = await exchange(last(), env.jwt, highS(bare));
      assert.equal(flipped.body.code, 'CREDENTIAL_REPLAYED');
    });

    it('16 concurrent presentations of one credential accept exactly one', async () => {
      for (const [identity, tok] of [[env.aws, await aws()], [env.jwt, await jwt()]] as const) {
        const answers = await Promise.all(Array.from({ length: 16 }, (_, i) => exchange(env.servers[i % env.servers.length]!, identity, tok)));
        const codes = answers.map((a) => (a.status === 200 ? 'OK' : a.body.code));
        assert.equal(codes.filter((c) => c === 'OK').length, 1, codes.join(' '));
        assert.equal(codes.filter((c) => c === 'CREDENTIAL_REPLAYED').length, 15, codes.join(' '));
      }
    });

    it('a refused credential is not recorded: it can be presented again', async () => {
      const tok = await aws();
      const refused = await exchange(env.servers[0]!, env.aws, tok, '&cap=groups.create');
      assert.equal(refused.body.code, 'CAPABILITY_NOT_GRANTED');
      assert.equal((await exchange(last(), env.aws, tok)).status, 200);
      const other = await jwt({ sub: 'someone-else' });
      assert.equal((await exchange(env.servers[0]!, env.jwt, other)).body.code, 'ID_TOKEN_SUBJECT_MISMATCH');
      assert.equal((await exchange(env.servers[0]!, env.jwt, other)).body.code, 'ID_TOKEN_SUBJECT_MISMATCH', 'not CREDENTIAL_REPLAYED');
    });

    if (name === 'postgres, two replicas') {
      it('stores a SHA-256 only: never the signature or the token', async () => {
        const tok = await aws();
        assert.equal((await exchange(env.servers[0]!, env.aws, tok)).status, 200);
        const signature = /Signature=([0-9a-f]{64})/.exec(Buffer.from(tok, 'base64').toString())![1]!;
        const client = new pg.Client({ connectionString: env.database });
        await client.connect();
        try {
          const { rows } = await client.query<{ key_hash: string; expires_at: string }>('select key_hash, expires_at from presented_credentials');
          assert.ok(rows.length >= 5, `${rows.length} rows`);
          for (const r of rows) {
            assert.match(r.key_hash, /^[0-9a-f]{64}$/);
            assert.notEqual(r.key_hash, signature);
            assert.ok(Date.parse(r.expires_at) > Date.now(), 'kept until the credential ends');
          }
          const ours = rows.filter((r) => Math.abs(Date.parse(r.expires_at) - (Date.now() + 900_000)) < 60_000);
          assert.ok(ours.length > 0, 'an AWS record lives until X-Amz-Date + 15 minutes');
        } finally {
          await client.end();
        }
      });

      it('fails closed: when the record cannot be written, the exchange is 503 STORE_UNAVAILABLE, not granted', async () => {
        const client = new pg.Client({ connectionString: env.database });
        await client.connect();
        try {
          // Every insert into the table fails as on a full disk (SQLSTATE 53100); reads go on.
          await client.query(`create function lk_full() returns trigger language plpgsql as $$
            begin raise exception 'could not extend file' using errcode = '53100'; end $$`);
          await client.query('create trigger lk_full before insert on presented_credentials for each row execute function lk_full()');
          const tok = await aws();
          const refused = await exchange(env.servers[0]!, env.aws, tok);
          assert.equal(refused.status, 503, JSON.stringify(refused.body));
          assert.equal(refused.body.code, 'STORE_UNAVAILABLE');
          await client.query('drop trigger lk_full on presented_credentials');
          assert.equal((await exchange(last(), env.aws, tok)).status, 200, 'not recorded: accepted once the database is back');
        } finally {
          await client.query('drop trigger if exists lk_full on presented_credentials');
          await client.query('drop function if exists lk_full()');
          await client.end();
        }
      });
    }
  });
}

oneTimeSuite('sqlite', async (iss) => {
  const emu = await startAwsEmulator({ principals: [PRINCIPAL] });
  const s = await startTestServer({ sts: createStsClient({ overrides: { 'sts.amazonaws.com': emu.url } }) });
  const ids = await identities(s, iss);
  return { servers: [s], audience: s.url, emu, ...ids, async stop() { await s.stop(true); await emu.close(); } };
});

oneTimeSuite('postgres, two replicas', async (iss) => {
  const cluster: Cluster = await startCluster(2);
  const ids = await identities(cluster.replicas[0]!, iss);
  return { servers: cluster.replicas, audience: ISSUER, emu: cluster.emu, database: cluster.database, ...ids, stop: () => cluster.stop() };
});

describe('--one-time-credentials=false', () => {
  let iss: TestIssuer;
  let emu: AwsEmulator;
  let s: TestServer;
  let ids: { aws: string; jwt: string };

  before(async () => {
    iss = await startTestIssuer();
    emu = await startAwsEmulator({ principals: [PRINCIPAL] });
    s = await startTestServer({ sts: createStsClient({ overrides: { 'sts.amazonaws.com': emu.url } }), flags: { oneTimeCredentials: 'false' } });
    ids = await identities(s, iss);
  });
  after(async () => {
    await s?.stop(true);
    await emu?.close();
    await iss?.close();
  });

  it('accepts the same AWS token and the same JWT again', async () => {
    const tok = await buildAwsToken(emu.issueCredentials(0), { identity: ids.aws, audience: s.url });
    const jwt = await iss.sign({ sub: SUBJECT, aud: s.url });
    for (let i = 0; i < 3; i++) {
      assert.equal((await exchange(s, ids.aws, tok)).status, 200, `AWS, presentation ${i + 1}`);
      assert.equal((await exchange(s, ids.jwt, jwt)).status, 200, `JWT, presentation ${i + 1}`);
    }
  });
});
