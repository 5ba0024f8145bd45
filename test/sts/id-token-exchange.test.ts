// Claim-match and static identities through the real exchange route: a local jose issuer on
// loopback with real discovery and JWKS, and every refusal with its stable code (and, for an
// unknown issuer, no request made to it).

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { decodeJwt, exportSPKI, importJWK, SignJWT, UnsecuredJWT, type CryptoKey } from 'jose';
import { statusOf } from '../../src/http/error-table.js';
import { isLatchkeyError } from '../../src/errors/index.js';
import { builtinRoleId, OPERATOR, type Identity } from '../../src/iam/index.js';
import { githubClaims, startTestIssuer, type TestIssuer } from '../support/oidc-issuer.js';
import { api, makeOrg, startTestServer, type TestServer } from '../support/test-server.js';

describe('claim-match identities', () => {
  let iss: TestIssuer;
  let s: TestServer;
  let id: Identity;

  before(async () => {
    iss = await startTestIssuer();
    s = await startTestServer({ flags: { workloadIssuerAllowLoopbackHttp: true, workloadIssuerTimeout: '800' } });
    const org = await makeOrg(s);
    ({ identity: id } = await s.iam.identities.create(OPERATOR, org.id, {
      name: 'gh', claimMatch: { issuer: iss.url, subjectPattern: '^repo:octo/app:ref:refs/heads/main$', claims: { repository: 'octo/app' } },
    }));
    await s.iam.bindings.create(OPERATOR, org.id, { identity: id.id, role: builtinRoleId('viewer') });
  });
  after(async () => {
    await s?.stop(true);
    await iss?.close();
  });

  const exchange = (token: string, identity = id.id) =>
    api(s, 'POST', `/sts/exchange?identity=${encodeURIComponent(identity)}`, { headers: { authorization: `Bearer ${token}` } });
  const good = (over: Record<string, unknown> = {}) => ({ ...githubClaims('octo/app', 'refs/heads/main'), aud: s.url, ...over });

  it('exchanges a good token; act records the iss and sub it came from', async () => {
    const r = await exchange(await iss.sign(good()));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const claims = decodeJwt(r.body.token);
    assert.equal(claims.sub, id.id);
    assert.deepEqual(claims.act, { iss: iss.url, sub: 'repo:octo/app:ref:refs/heads/main' });
    // A list-valued aud matches when any element does; the issuer's keys come from the cache.
    const fetched = iss.requests.length;
    assert.equal((await exchange(await iss.sign(good({ aud: ['https://other.example', s.url] })))).status, 200);
    assert.equal(iss.requests.length, fetched, 'discovery and JWKS are cached');
  });

  it('refuses an unknown issuer without any request to it', async () => {
    const other = await startTestIssuer();
    try {
      const r = await exchange(await other.sign(good()));
      assert.equal(r.status, 401);
      assert.equal(r.body.code, 'ID_TOKEN_ISSUER_MISMATCH');
      assert.deepEqual(other.requests, [], 'no fetch');
    } finally {
      await other.close();
    }
  });

  it('refuses alg none, HS256 and alg confusion (HS256 keyed with the public key)', async () => {
    const none = new UnsecuredJWT(good()).setIssuer(iss.url).setIssuedAt().setExpirationTime('5m').encode();
    const hs = await new SignJWT(good()).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('5m').sign(new TextEncoder().encode('s'.repeat(32)));
    // Alg confusion: an HMAC over the token keyed with the issuer's public key, as a broken verifier would check it.
    const pem = await exportSPKI(await importJWK(iss.jwks().keys[1]!, 'RS256') as CryptoKey);
    const head = Buffer.from(JSON.stringify({ alg: 'HS256', kid: 'rs-1' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ ...good(), iss: iss.url, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 300 })).toString('base64url');
    const confused = `${head}.${body}.${createHmac('sha256', pem).update(`${head}.${body}`).digest('base64url')}`;
    for (const [label, t] of [['none', none], ['HS256', hs], ['confusion', confused]] as const) {
      const r = await exchange(t);
      assert.equal(r.status, 401, label);
      assert.equal(r.body.code, 'ID_TOKEN_ALG_NOT_ALLOWED', label);
    }
  });

  it('refuses a key not in the JWKS (one refetch at most), and RS256 under an EC kid', async () => {
    const before = iss.requests.filter((p) => p === '/keys').length;
    const r = await exchange(await iss.sign(good(), { key: await iss.outsider(), kid: 'not-published' }));
    assert.equal(r.status, 401);
    assert.equal(r.body.code, 'ID_TOKEN_KEY_NOT_FOUND');
    const r2 = await exchange(await iss.sign(good(), { key: await iss.outsider(), kid: 'not-published-either' }));
    assert.equal(r2.body.code, 'ID_TOKEN_KEY_NOT_FOUND');
    assert.ok(iss.requests.filter((p) => p === '/keys').length - before <= 1, 'refetched at most once in the interval');
    const forged = await iss.sign(good(), { key: await iss.outsider(), kid: 'es-1' });
    assert.equal((await exchange(forged)).body.code, 'ID_TOKEN_BAD_SIGNATURE');
  });

  it('refuses expired, not-yet-valid, no-exp and too long-lived tokens', async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['expired', { iat: now - 900, exp: now - 300 }, 'ID_TOKEN_EXPIRED'],
      ['not yet valid', { nbf: now + 600 }, 'ID_TOKEN_NOT_YET_VALID'],
      ['issued in the future', { iat: now + 600, exp: now + 900 }, 'ID_TOKEN_NOT_YET_VALID'],
      ['too long-lived', { iat: now, exp: now + 2 * 86400 }, 'ID_TOKEN_TOO_LONG_LIVED'],
    ];
    for (const [label, over, code] of cases) {
      const r = await exchange(await iss.sign(good(over)));
      assert.equal(r.body.code, code, label);
      assert.equal(r.status, 401, label);
    }
    const noExp = await new SignJWT({ ...good(), iss: iss.url }).setProtectedHeader({ alg: 'ES256', kid: 'es-1' }).sign(await iss.outsider());
    assert.equal((await exchange(noExp)).body.code, 'ID_TOKEN_NO_EXPIRY');
  });

  it('refuses another audience, another subject and a claim mismatch, naming the field', async () => {
    const aud = await exchange(await iss.sign(good({ aud: 'https://elsewhere.example' })));
    assert.equal(aud.body.code, 'ID_TOKEN_AUDIENCE_MISMATCH');
    assert.match(aud.body.message, new RegExp(s.url.replace(/[.:/]/g, '\\$&')), 'says which audience is expected');
    const sub = await exchange(await iss.sign(good({ sub: 'repo:octo/app:ref:refs/heads/dev' })));
    assert.equal(sub.body.code, 'ID_TOKEN_SUBJECT_MISMATCH');
    const claim = await exchange(await iss.sign(good({ repository: 'octo/other' })));
    assert.equal(claim.body.code, 'ID_TOKEN_CLAIM_MISMATCH');
    assert.match(claim.body.message, /repository/);
    assert.ok(!claim.body.message.includes('octo/app'), 'never the rule value');
  });

  it('refuses malformed tokens with ID_TOKEN_MALFORMED / ID_TOKEN_TOO_LARGE', async () => {
    for (const t of ['x', 'a.b', 'a.b.c', 'a.b.c.d', `${Buffer.from('{"alg":"ES256"}').toString('base64url')}.e30.c`, 'a.b.c%']) {
      assert.equal((await exchange(t)).body.code, 'ID_TOKEN_MALFORMED', t);
    }
    assert.equal((await exchange(`${'a'.repeat(7000)}.${'b'.repeat(6000)}.c`)).body.code, 'ID_TOKEN_TOO_LARGE');
  });
});

describe('claim-match issuers that misbehave', () => {
  let iss: TestIssuer;
  let s: TestServer;
  let id: string;

  before(async () => {
    iss = await startTestIssuer({ path: '/trouble' });
    s = await startTestServer({ flags: { workloadIssuerAllowLoopbackHttp: true, workloadIssuerTimeout: '800', workloadIssuerCacheTtl: '30s' } });
    const org = await makeOrg(s);
    id = (await s.iam.identities.create(OPERATOR, org.id, { name: 'k', claimMatch: { issuer: iss.url, subject: 'system:serviceaccount:ci:builder' } })).identity.id;
  });
  after(async () => {
    await s?.stop(true);
    await iss?.close();
  });

  for (const [mode, status, code] of [
    ['redirect', 502, 'ISSUER_REDIRECTED'],
    ['big-jwks', 503, 'ISSUER_UNAVAILABLE'],
    ['slow-jwks', 503, 'ISSUER_UNAVAILABLE'],
    ['discovery-500', 503, 'ISSUER_UNAVAILABLE'],
  ] as const) {
    it(`answers ${status} ${code} when the issuer is ${mode}, within the timeout`, async () => {
      iss.mode = mode;
      const t = await iss.sign({ sub: 'system:serviceaccount:ci:builder', aud: s.url });
      const started = Date.now();
      const r = await api(s, 'POST', `/sts/exchange?identity=${id}`, { headers: { authorization: `Bearer ${t}` } });
      assert.equal(r.status, status, JSON.stringify(r.body));
      assert.equal(r.body.code, code);
      assert.ok(Date.now() - started < 5000, 'bounded by the timeout');
      if (status === 503) assert.ok(r.headers.get('retry-after'));
    });
  }

  it('refuses plain http to a loopback issuer unless allowed', async () => {
    const strict = await startTestServer();
    try {
      iss.mode = 'normal';
      const org = await makeOrg(strict);
      const { identity } = await strict.iam.identities.create(OPERATOR, org.id, { name: 'k', claimMatch: { issuer: iss.url, subject: 'x' } });
      const t = await iss.sign({ sub: 'x', aud: strict.url });
      const before = iss.requests.length;
      const r = await api(strict, 'POST', `/sts/exchange?identity=${identity.id}`, { headers: { authorization: `Bearer ${t}` } });
      assert.equal(r.body.code, 'ISSUER_INSECURE');
      assert.equal(iss.requests.length, before, 'no request made');
    } finally {
      await strict.stop(true);
    }
  });
});

describe('static identities', () => {
  let iss: TestIssuer;
  let s: TestServer;
  let now = new Date();

  before(async () => {
    iss = await startTestIssuer();
    s = await startTestServer({ clock: () => now });
  });
  after(async () => {
    await s?.stop(true);
    await iss?.close();
  });

  it('verify with the keys given, with no network, and are refused after their expiration', async () => {
    const org = await makeOrg(s);
    const expiration = new Date(now.getTime() + 86400_000).toISOString();
    const { identity } = await s.iam.identities.create(OPERATOR, org.id, {
      name: 'kind', static: { issuer: iss.url, subject: 'system:serviceaccount:default:app', issuer_keys: JSON.stringify(iss.jwks()), expiration },
    });
    const t = await iss.sign({ sub: 'system:serviceaccount:default:app', aud: s.url });
    await iss.close(); // no network: the issuer is gone
    const r = await api(s, 'POST', `/sts/exchange?identity=${identity.id}`, { headers: { authorization: `Bearer ${t}` } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(decodeJwt(r.body.token).act, { iss: iss.url, sub: 'system:serviceaccount:default:app' });
    now = new Date(now.getTime() + 2 * 86400_000);
    const late = await api(s, 'POST', `/sts/exchange?identity=${identity.id}`, { headers: { authorization: `Bearer ${t}` } });
    assert.equal(late.status, 401);
    assert.equal(late.body.code, 'STATIC_IDENTITY_EXPIRED');
  });

  it('are refused at write time without keys, with a private key, or an expiration over a year away', async () => {
    const org = await makeOrg(s, 'o2');
    const base = { issuer: 'https://kind.invalid', subject: 'x', issuerKeys: iss.jwks(), expiration: new Date(now.getTime() + 86400_000).toISOString() };
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...base, issuerKeys: undefined }, /issuerKeys is required/],
      [{ ...base, issuerKeys: { keys: [{ ...iss.jwks().keys[0], d: 'AAAA' }] } }, /PRIVATE key/],
      [{ ...base, expiration: new Date(now.getTime() + 400 * 86400_000).toISOString() }, /one year/],
      [{ ...base, expiration: undefined }, /expiration is required/],
      [{ ...base, issuerPattern: '.*' }, /issuer or issuerPattern, not both/],
    ];
    for (const [rule, message] of cases) {
      await assert.rejects(s.iam.identities.create(OPERATOR, org.id, { name: 'x', static: rule }), (err) => {
        assert.ok(isLatchkeyError(err, 'TRUST_RULE_INVALID'), String(err));
        assert.match(err.message, message);
        return true;
      });
    }
    assert.equal(statusOf('TRUST_RULE_INVALID'), 400);
  });
});

describe('the trace of an exchange', () => {
  it('records each check in order, the refusing one last, with no token in it', async () => {
    const iss = await startTestIssuer();
    const s = await startTestServer({ flags: { workloadIssuerAllowLoopbackHttp: true } });
    try {
      const org = await makeOrg(s);
      const { identity } = await s.iam.identities.create(OPERATOR, org.id, { name: 't', claimMatch: { issuer: iss.url, subject: 'a' } });
      const { TrustTrace } = await import('../../src/trust/index.js');
      const ok = new TrustTrace();
      const token = await iss.sign({ sub: 'a', aud: s.url });
      await s.exchange.exchange({ token, identity: identity.id, aud: [], cap: [] }, ok);
      assert.deepEqual(ok.steps.map((x) => [x.check, x.ok]), [
        ['token.parse', true], ['rule.issuer', true], ['token.exp', true], ['token.exp.future', true], ['token.iat', true],
        ['token.lifetime', true], ['token.signature', true], ['rule.issuer', true], ['rule.subject', true], ['rule.audience', true],
        ['credential.once', true],
      ]);
      const no = new TrustTrace();
      const other = await iss.sign({ sub: 'b', aud: s.url });
      await assert.rejects(s.exchange.exchange({ token: other, identity: identity.id, aud: [], cap: [] }, no));
      assert.deepEqual(no.steps.at(-1), { check: 'rule.subject', ok: false, expected: 'a', actual: 'b' });
      assert.ok(!JSON.stringify([ok.steps, no.steps]).includes(token.slice(0, 30)), 'no token in the trace');
    } finally {
      await s.stop(true);
      await iss.close();
    }
  });
});
