// /metrics: Prometheus text from prom-client, public like /healthz. Scraped before and after
// real exchanges (AWS emulator as STS): the exchange counters move by exactly what happened,
// latency is labelled by route pattern (never a raw URL), STS calls are timed.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startAwsEmulator, type AwsEmulator } from '../src/aws-emulator/index.js';
import { createStsClient } from '../src/aws/index.js';
import { OPERATOR, builtinRoleId, type Identity } from '../src/iam/index.js';
import { buildAwsToken } from './support/aws-token-builder.js';
import { AWS_RULE, PRINCIPAL } from './support/replicas.js';
import { api, makeOrg, startTestServer, type TestServer } from './support/test-server.js';

/** The value of one sample, e.g. sample(text, 'latchkey_exchanges_total{outcome="granted",code="OK"}'); 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('/metrics', () => {
  let emu: AwsEmulator;
  let s: TestServer;
  let identity: Identity;

  before(async () => {
    emu = await startAwsEmulator({ principals: [PRINCIPAL] });
    s = await startTestServer({ sts: createStsClient({ overrides: { 'sts.amazonaws.com': emu.url } }) });
    const org = await makeOrg(s, 'acme');
    ({ identity } = await s.iam.identities.create(OPERATOR, org.id, { name: 'runner', awsIdentity: AWS_RULE }));
    await s.iam.bindings.create(OPERATOR, org.id, { identity: identity.id, role: builtinRoleId('viewer') });
  });
  after(async () => {
    await s?.stop(true);
    await emu?.close();
  });

  const scrape = async () => {
    const res = await fetch(`${s.url}/metrics`);
    assert.equal(res.status, 200, 'public: no token needed');
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    return res.text();
  };

  it('counts exchanges by outcome and code as they happen', async () => {
    const before = await scrape();
    const granted = 'latchkey_exchanges_total{outcome="granted",code="OK"}';
    const notGranted = 'latchkey_exchanges_total{outcome="refused",code="CAPABILITY_NOT_GRANTED"}';
    const badRequest = 'latchkey_exchanges_total{outcome="refused",code="EXCHANGE_BAD_REQUEST"}';
    const replayed = 'latchkey_exchanges_total{outcome="refused",code="CREDENTIAL_REPLAYED"}';
    const creds = emu.issueCredentials(0);
    const fresh = () => buildAwsToken(creds, { identity: identity.id, audience: s.url });
    const exchange = async (extra = '', token?: string) =>
      api(s, 'POST', `/sts/exchange?identity=${identity.id}${extra}`, { headers: { authorization: `Bearer ${token ?? await fresh()}` } });
    const first = await fresh();
    assert.equal((await exchange('', first)).status, 200);
    for (let i = 0; i < 2; i++) assert.equal((await exchange()).status, 200);
    assert.equal((await exchange('&cap=groups.create')).body.code, 'CAPABILITY_NOT_GRANTED');
    assert.equal((await exchange('&bogus=1')).body.code, 'EXCHANGE_BAD_REQUEST');
    assert.equal((await exchange('', first)).body.code, 'CREDENTIAL_REPLAYED');
    const mid = await scrape();
    assert.equal(sample(mid, granted) - sample(before, granted), 3);
    assert.equal(sample(mid, notGranted) - sample(before, notGranted), 1);
    assert.equal(sample(mid, badRequest) - sample(before, badRequest), 1);
    assert.equal(sample(mid, replayed) - sample(before, replayed), 1);
    // STS was called for the five that passed the local checks (the replay is known only after), and timed.
    const stsOk = 'latchkey_sts_request_duration_seconds_count{result="ok"}';
    assert.equal(sample(mid, stsOk) - sample(before, stsOk), 5);
    await exchange();
    assert.equal(sample(await scrape(), granted) - sample(mid, granted), 1, 'and keeps moving');
  });

  it('labels latency by route pattern, and reports the signing key age and cache invalidations', async () => {
    await api(s, 'GET', `/iam/v1/groups/${identity.parentId}`);
    const text = await scrape();
    assert.match(text, /latchkey_http_request_duration_seconds_bucket\{le="[^"]+",method="POST",route="\/sts\/exchange",status="2xx"\}/);
    assert.match(text, /route="\/iam\/v1\/groups\/\*"/);
    assert.doesNotMatch(text, new RegExp(identity.id), 'no ids in labels');
    assert.ok(sample(text, 'latchkey_signing_key_age_seconds') >= 0);
    assert.match(text, /latchkey_cache_invalidations_total\{cache="bindings",cause="local"\} [1-9]/);
    assert.doesNotMatch(text, /latchkey_db_pool_connections/, 'SQLite has no pool');
  });
});
