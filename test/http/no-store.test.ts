// Every answer that carries a token or a secret — and every refusal of those routes — is sent
// with Cache-Control: no-store, over real HTTP; discovery and the JWKS keep their public max-age.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { humanLoginExtension } from '../../src/auth/index.js';
import { createStsClient } from '../../src/aws/index.js';
import { startAwsEmulator, type AwsEmulator } from '../../src/aws-emulator/index.js';
import { OPERATOR } from '../../src/iam/index.js';
import { postForm } from '../auth/support/login-server.js';
import { buildAwsToken } from '../support/aws-token-builder.js';
import { api, makeOrg, startTestServer, tokenFor, type TestServer } from '../support/test-server.js';

const ACCOUNT = '111122223333';

describe('Cache-Control on token-bearing answers', () => {
  let emu: AwsEmulator;
  let s: TestServer;
  let identityId: string;

  before(async () => {
    emu = await startAwsEmulator({ principals: [{ account: ACCOUNT, roleName: 'runner', sessionName: 'i-0abc1234def567890' }] });
    s = await startTestServer({
      flags: { dev: true },
      sts: createStsClient({ overrides: { 'sts.amazonaws.com': emu.url } }),
      extensions: [humanLoginExtension()],
    });
    const org = await makeOrg(s);
    identityId = (await s.iam.identities.create(OPERATOR, org.id, {
      name: 'w', awsIdentity: { aws_account: ACCOUNT, arnPattern: `^arn:aws:sts::${ACCOUNT}:assumed-role/runner/.+$`, userIdPattern: '^AROA[A-Z0-9]+:.+$' },
    })).identity.id;
  });
  after(async () => {
    await s?.stop(true);
    await emu?.close();
  });

  const noStore = (label: string, r: { status: number; headers: Headers }, status: number) => {
    assert.equal(r.status, status, label);
    assert.equal(r.headers.get('cache-control'), 'no-store', `${label}: Cache-Control`);
  };

  it('/sts/exchange: the token, and each kind of refusal', async () => {
    const creds = emu.issueCredentials(0);
    const good = await buildAwsToken(creds, { identity: identityId, audience: s.url });
    const bearer = (t: string) => ({ headers: { authorization: `Bearer ${t}` } });
    const granted = await api(s, 'POST', `/sts/exchange?identity=${identityId}`, bearer(good));
    noStore('granted', granted, 200);
    assert.ok(granted.body.token);
    const again = await buildAwsToken(creds, { identity: identityId, audience: s.url });
    noStore('GET form', await api(s, 'GET', `/sts/exchange?identity=${identityId}`, bearer(again)), 200);
    noStore('replayed credential', await api(s, 'POST', `/sts/exchange?identity=${identityId}`, bearer(good)), 401);
    noStore('no credential', await api(s, 'POST', `/sts/exchange?identity=${identityId}`), 401);
    noStore('malformed token', await api(s, 'POST', `/sts/exchange?identity=${identityId}`, bearer('!!!')), 400);
    noStore('bad parameter', await api(s, 'POST', '/sts/exchange?identity=x&nope=1', bearer(good)), 400);
  });

  it('the OAuth token, device and revocation endpoints, and dev login', async () => {
    const dev = await api(s, 'POST', '/auth/v1/dev/login');
    noStore('dev login', dev, 200);
    const refreshed = await postForm(s, '/oauth/token', { grant_type: 'refresh_token', refresh_token: dev.body.refreshToken });
    noStore('refresh grant', refreshed, 200);
    noStore('refused refresh grant', await postForm(s, '/oauth/token', { grant_type: 'refresh_token', refresh_token: 'lkrt_nope' }), 400);
    noStore('device authorization', await postForm(s, '/oauth/device/code', { client_id: 'latchkey-cli' }), 200);
    noStore('refused device authorization', await postForm(s, '/oauth/device/code', { client_id: 'other' }), 401);
    noStore('revocation', await postForm(s, '/oauth/revoke', { token: refreshed.body.refresh_token }), 200);
  });

  it('the IAM API and unknown routes, answered or refused', async () => {
    const t = await tokenFor(s, identityId);
    noStore('IAM read', await api(s, 'GET', '/iam/v1/groups', { token: t }), 200);
    noStore('IAM unauthenticated', await api(s, 'GET', '/iam/v1/groups'), 401);
    noStore('unknown route', await api(s, 'GET', '/nowhere'), 404);
  });

  it('keeps the public max-age of discovery and the JWKS', async () => {
    for (const path of ['/.well-known/openid-configuration', '/.well-known/jwks.json']) {
      const r = await api(s, 'GET', path);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('cache-control'), 'public, max-age=300', path);
    }
  });
});
