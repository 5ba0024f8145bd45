// Retry-After on a 503 is what the upstream asked for, bounded: STS answering 503 or 429 with
// its own Retry-After (a local stand-in for STS over a real socket, through the real STS
// client), and the store's own computed value while the database is away.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createStsClient } from '../../src/aws/index.js';
import { OPERATOR } from '../../src/iam/index.js';
import { startFakeSts, xmlError, type FakeSts } from '../aws-token/fake-sts.js';
import { buildAwsToken } from '../support/aws-token-builder.js';
import { api, awsRule, makeOrg, startTestServer, type TestServer } from '../support/test-server.js';

describe('Retry-After from STS', () => {
  let sts: FakeSts;
  let s: TestServer;
  let identity: string;

  before(async () => {
    sts = await startFakeSts();
    const client = createStsClient({ overrides: { 'sts.amazonaws.com': sts.url, 'sts.us-east-1.amazonaws.com': sts.url } });
    s = await startTestServer({ sts: client });
    const org = await makeOrg(s);
    identity = (await s.iam.identities.create(OPERATOR, org.id, { name: 'ci', awsIdentity: awsRule() })).identity.id;
  });
  after(async () => {
    await s?.stop(true);
    await sts?.close();
  });

  async function exchange(): Promise<{ status: number; body: any; headers: Headers }> {
    const token = await buildAwsToken({ accessKeyId: 'AKIAEXAMPLEEXAMPLE12', secretAccessKey: 'secret' }, { identity, audience: s.url });
    return api(s, 'POST', `/sts/exchange?identity=${encodeURIComponent(identity)}`, { headers: { authorization: `Bearer ${token}` } });
  }

  for (const [status, asked, expected] of [[503, '7', '7'], [429, '42', '42'], [503, '86400', '300'], [503, undefined, '1']] as const) {
    it(`STS ${status} with Retry-After ${asked ?? '(none)'} → 503 STS_UNAVAILABLE, Retry-After ${expected}`, async () => {
      sts.behave((_req, res) => {
        res.writeHead(status, asked ? { 'retry-after': asked, 'content-type': 'text/xml' } : { 'content-type': 'text/xml' })
          .end(xmlError(status === 429 ? 'Throttling' : 'ServiceUnavailable'));
      });
      const r = await exchange();
      assert.equal(r.status, 503, JSON.stringify(r.body));
      assert.equal(r.body.code, 'STS_UNAVAILABLE');
      assert.equal(r.headers.get('retry-after'), expected);
    });
  }
});
