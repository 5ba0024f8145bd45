// Issue 15's acceptance: Latchkey as the token service of a real registry (Debian's
// docker-registry, CNCF Distribution 2.8) on loopback, with skopeo pulling and pushing through
// docker-credential-latchkey, workloads logged in with AWS credentials (the AWS emulator as STS).

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair } from 'jose';
import { createStsClient } from '../../src/aws/index.js';
import { startAwsEmulator, type AwsEmulator } from '../../src/aws-emulator/index.js';
import { certificateBundle } from '../../src/http/routes/registry.js';
import { OPERATOR, builtinRoleId, type Group, type Identity } from '../../src/iam/index.js';
import { runProcess } from '../support/aws-clients.js';
import { builtBinary } from '../cli/support/cli-binary.js';
import { freePort, startRegistry, writeImageLayout, type Registry } from '../support/registry.js';
import { makeFolder, makeOrg, startTestServer, type TestServer } from '../support/test-server.js';

const ACCOUNT = '111122223333';
const principals = [
  { account: ACCOUNT, roleName: 'puller', sessionName: 'i-0abc1234def567890' },
  { account: ACCOUNT, roleName: 'pusher', sessionName: 'i-0def1234abc567890' },
  { account: ACCOUNT, roleName: 'owner', sessionName: 'i-0fed1234abc567890' },
];

/** A machine of its own: HOME, XDG dirs, `latchkey` and `docker-credential-latchkey` on PATH. */
function machine(api: string, extra: Record<string, string> = {}): Record<string, string> {
  const home = mkdtempSync(join(tmpdir(), 'latchkey-registry-home-'));
  const bin = join(home, 'bin');
  mkdirSync(bin);
  mkdirSync(join(home, 'run'), { mode: 0o700 });
  const binDir = dirname(builtBinary());
  for (const name of ['latchkey', 'docker-credential-latchkey']) {
    writeFileSync(join(bin, name), `#!/bin/sh\nexec "${process.execPath}" "${join(binDir, `${name}.cjs`)}" "$@"\n`, { mode: 0o755 });
  }
  return {
    PATH: `${bin}:/usr/local/bin:/usr/bin:/bin`,
    HOME: home,
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_CACHE_HOME: join(home, 'cache'),
    XDG_RUNTIME_DIR: join(home, 'run'),
    AWS_CONFIG_FILE: join(home, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    LATCHKEY_PLATFORM_API: api,
    NO_PROXY: '*',
    ...extra,
  };
}

async function run(env: Record<string, string>, cmd: string, args: string[]) {
  return runProcess(cmd, args, { env, timeoutMs: 120_000 });
}

function ok(r: { code: number | null; stdout: string; stderr: string }, what: string): string {
  assert.equal(r.code, 0, `${what} failed:\n${r.stderr}`);
  return r.stdout;
}

/**
 * A refused skopeo run. `denied`: the realm granted nothing and the registry refused the
 * request ("requested access to the resource is denied"); `credentials`: the realm answered 401
 * ("unable to retrieve auth token: invalid username/password").
 */
function refused(r: { code: number | null; stderr: string }, what: string, why: 'denied' | 'credentials' = 'denied'): void {
  assert.notEqual(r.code, 0, `${what} should have been refused`);
  const expected = why === 'denied' ? /requested access to the resource is denied/ : /unable to retrieve auth token: invalid username\/password/;
  assert.match(r.stderr, expected, `${what}: ${r.stderr}`);
}

describe('a real registry with Latchkey as its token service', () => {
  let emu: AwsEmulator;
  let s: TestServer;
  let reg: Registry;
  let host = '';
  let keyOffsetMs = 0;
  let acme: Group;
  let other: Group;
  let teamA: Group;
  let puller: Identity;
  let pusher: Identity;
  let admin: Identity;
  let otherAdmin: Identity;
  let owner: Identity;
  const work = mkdtempSync(join(tmpdir(), 'latchkey-registry-work-'));
  let layout = '';

  /** A Latchkey token minted by the server itself (for seeding and for the realm's refusals). */
  async function latchkeyToken(sub: string, aud = host, ttlSeconds = 600): Promise<string> {
    return (await s.issuer.mint({ sub, aud: [aud], ttlSeconds })).token;
  }

  async function realm(scope: string, authorization?: string): Promise<{ status: number; body: any }> {
    const res = await fetch(`${s.url}/registry/token?service=${encodeURIComponent(host)}&scope=${encodeURIComponent(scope)}`,
      { headers: authorization ? { authorization } : {} });
    return { status: res.status, body: await res.json() };
  }

  const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

  /** GET a manifest straight from the registry with a registry token. */
  async function manifestStatus(repo: string, tag: string, registryToken: string): Promise<number> {
    const res = await fetch(`http://${host}/v2/${repo}/manifests/${tag}`, {
      headers: { authorization: `Bearer ${registryToken}`, accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    await res.arrayBuffer();
    return res.status;
  }

  async function skopeoWithToken(token: string, from: string, to: string) {
    const creds = to.startsWith('docker://') ? ['--dest-creds', `_token:${token}`, '--dest-tls-verify=false'] : ['--src-creds', `_token:${token}`, '--src-tls-verify=false'];
    return run({ ...process.env as Record<string, string>, HOME: work }, 'skopeo', ['--insecure-policy', 'copy', ...creds, from, to]);
  }

  before(async () => {
    emu = await startAwsEmulator({ principals });
    // The registry's service name (host:port) is Latchkey's setting, so its port is picked
    // first; should another process take it before the registry binds it, pick again.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      host = `127.0.0.1:${port}`;
      s = await startTestServer({
        sts: createStsClient({ overrides: { 'sts.amazonaws.com': emu.url } }), // closed with the server
        flags: { registryServices: host },
        registryKeyClock: () => new Date(Date.now() + keyOffsetMs),
      });
      try {
        reg = await startRegistry({ port, realm: `${s.url}/registry/token`, issuer: s.config.issuerUrl, bundlePem: certificateBundle(s.registryKeys) });
        break;
      } catch (err) {
        await s.stop(true);
        if (attempt === 3 || !/address already in use/.test(String(err))) throw err;
      }
    }
    acme = await makeOrg(s, 'acme');
    other = await makeOrg(s, 'other');
    teamA = await makeFolder(s, acme.id, 'team-a');
    const rule = (role: string) => ({ aws_account: ACCOUNT, arnPattern: `^arn:aws:sts::${ACCOUNT}:assumed-role/${role}/(.*)$`, userIdPattern: '^AROA[A-Z0-9]+:(.*)$' });
    ({ identity: puller } = await s.iam.identities.create(OPERATOR, acme.id, { name: 'puller', awsIdentity: rule('puller') }));
    ({ identity: pusher } = await s.iam.identities.create(OPERATOR, teamA.id, { name: 'pusher', awsIdentity: rule('pusher') }));
    ({ identity: admin } = await s.iam.identities.create(OPERATOR, acme.id, { name: 'admin', awsIdentity: rule('nobody') }));
    await s.iam.bindings.create(OPERATOR, acme.id, { identity: puller.id, role: builtinRoleId('registry.pull') });
    await s.iam.bindings.create(OPERATOR, teamA.id, { identity: pusher.id, role: builtinRoleId('registry.push') });
    ({ identity: owner } = await s.iam.identities.create(OPERATOR, acme.id, { name: 'owner', awsIdentity: rule('owner') }));
    await s.iam.bindings.create(OPERATOR, acme.id, { identity: owner.id, role: builtinRoleId('owner') });
    ({ identity: otherAdmin } = await s.iam.identities.create(OPERATOR, other.id, { name: 'admin', awsIdentity: rule('nobody') }));
    await s.iam.bindings.create(OPERATOR, acme.id, { identity: admin.id, role: builtinRoleId('registry.push') });
    await s.iam.bindings.create(OPERATOR, other.id, { identity: otherAdmin.id, role: builtinRoleId('registry.push') });

    layout = writeImageLayout(work, '1', 'layer bytes of acme/app:1\n');
    for (const [repo, who] of [['acme/app', admin], ['other/app', otherAdmin]] as const) {
      ok(await skopeoWithToken(await latchkeyToken(who.id), `oci:${layout}:1`, `docker://${host}/${repo}:1`), `seeding ${repo}:1`);
    }
  });

  after(async () => {
    await reg?.stop();
    await s?.stop(true);
    await emu?.close();
  });

  it('an AWS identity with registry.pull on org acme copies acme/app:1 out, cannot push, cannot pull other/app', async () => {
    const creds = emu.issueCredentials(0);
    const env = machine(s.url, { AWS_ACCESS_KEY_ID: creds.accessKeyId, AWS_SECRET_ACCESS_KEY: creds.secretAccessKey, AWS_SESSION_TOKEN: creds.sessionToken });
    ok(await run(env, 'latchkey', ['auth', 'login', '--identity', puller.id, '--identity-provider', 'aws']), 'login');
    const configured = ok(await run(env, 'latchkey', ['auth', 'configure-docker', '--registry', host]), 'configure-docker');
    assert.match(configured, /credHelpers/);
    const authJson = JSON.parse(readFileSync(join(env.XDG_RUNTIME_DIR!, 'containers', 'auth.json'), 'utf8'));
    assert.deepEqual(authJson.credHelpers, { [host]: 'latchkey' });

    // The helper on its own: a token for this registry's audience, for the puller.
    const helped = JSON.parse(ok(await runProcess('docker-credential-latchkey', ['get'], { env, input: `${host}\n` }), 'helper get'));
    assert.equal(helped.Username, '_token');
    assert.equal(helped.ServerURL, host);
    assert.equal(decodeJwt(helped.Secret).aud, host);
    assert.equal(decodeJwt(helped.Secret).sub, puller.id);

    const out = join(env.HOME!, 'pulled');
    ok(await run(env, 'skopeo', ['--insecure-policy', 'copy', '--src-tls-verify=false', `docker://${host}/acme/app:1`, `oci:${out}:1`]), 'pull acme/app:1');
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8'));
    const manifest = JSON.parse(readFileSync(join(out, 'blobs', 'sha256', index.manifests[0].digest.slice(7)), 'utf8'));
    const layer = readFileSync(join(out, 'blobs', 'sha256', manifest.layers[0].digest.slice(7)));
    // skopeo compresses an uncompressed layer when it writes an OCI layout.
    assert.equal((layer[0] === 0x1f && layer[1] === 0x8b ? gunzipSync(layer) : layer).toString('utf8'), 'layer bytes of acme/app:1\n');

    refused(await run(env, 'skopeo', ['--insecure-policy', 'copy', '--dest-tls-verify=false', `oci:${layout}:1`, `docker://${host}/acme/app:2`]), 'push acme/app:2');
    refused(await run(env, 'skopeo', ['--insecure-policy', 'copy', '--src-tls-verify=false', `docker://${host}/other/app:1`, `oci:${join(env.HOME!, 'other')}:1`]), 'pull other/app:1');

    // What the realm granted, and that nothing was pushed.
    const granted = await realm('repository:acme/app:pull,push repository:other/app:pull', basic('_token', helped.Secret));
    assert.equal(granted.status, 200);
    assert.deepEqual(decodeJwt(granted.body.token).access, [{ type: 'repository', name: 'acme/app', actions: ['pull'] }]);
    const adminRegistryToken = (await realm('repository:acme/app:pull', basic('_token', await latchkeyToken(admin.id)))).body.token;
    assert.equal(await manifestStatus('acme/app', '2', adminRegistryToken), 404);
    assert.equal(await manifestStatus('acme/app', '1', adminRegistryToken), 200);
  });

  it('an identity with registry.push on folder team-a pushes acme/team-a/app, not acme/app', async () => {
    const creds = emu.issueCredentials(1);
    const env = machine(s.url, { AWS_ACCESS_KEY_ID: creds.accessKeyId, AWS_SECRET_ACCESS_KEY: creds.secretAccessKey, AWS_SESSION_TOKEN: creds.sessionToken });
    ok(await run(env, 'latchkey', ['auth', 'login', '--identity', pusher.id, '--identity-provider', 'aws']), 'login');
    ok(await run(env, 'latchkey', ['auth', 'configure-docker', '--registry', host]), 'configure-docker');
    ok(await run(env, 'skopeo', ['--insecure-policy', 'copy', '--dest-tls-verify=false', `oci:${layout}:1`, `docker://${host}/acme/team-a/app:1`]), 'push acme/team-a/app:1');
    ok(await run(env, 'skopeo', ['--insecure-policy', 'copy', '--src-tls-verify=false', `docker://${host}/acme/team-a/app:1`, `oci:${join(env.HOME!, 'back')}:1`]), 'pull it back');
    refused(await run(env, 'skopeo', ['--insecure-policy', 'copy', '--dest-tls-verify=false', `oci:${layout}:1`, `docker://${host}/acme/app:3`]), 'push acme/app:3');
    const adminRegistryToken = (await realm('repository:acme/app:pull repository:acme/team-a/app:pull', basic('_token', await latchkeyToken(admin.id)))).body.token;
    assert.equal(await manifestStatus('acme/team-a/app', '1', adminRegistryToken), 200);
    assert.equal(await manifestStatus('acme/app', '3', adminRegistryToken), 404);
  });

  it('a pull token pulls until it is deleted, then is refused; an expired one is refused', async () => {
    const creds = emu.issueCredentials(2);
    const env = machine(s.url, { AWS_ACCESS_KEY_ID: creds.accessKeyId, AWS_SECRET_ACCESS_KEY: creds.secretAccessKey, AWS_SESSION_TOKEN: creds.sessionToken });
    ok(await run(env, 'latchkey', ['auth', 'login', '--identity', owner.id, '--identity-provider', 'aws']), 'owner login');
    const created = JSON.parse(ok(await run(env, 'latchkey', ['auth', 'pull-token', 'create', '--parent', 'acme', '--ttl', '720h', '-o', 'json']), 'pull-token create'));
    assert.equal(created.username, created.id);
    assert.ok(created.secret.length >= 40);
    const days = (Date.parse(created.expiresAt) - Date.now()) / 86400_000;
    assert.ok(days > 29.9 && days <= 30, `expires in ${days} days`);
    const listed = JSON.parse(ok(await run(env, 'latchkey', ['iam', 'identities', 'list', '--parent', 'acme', '--relationship', 'pull_token', '-o', 'json']), 'list pull tokens'));
    assert.deepEqual(listed.items.map((i: { id: string }) => i.id), [created.id]);
    assert.equal(JSON.stringify(listed).includes('secret'), false, 'the secret (and its hash) is never listed');
    const tooLong = await run(env, 'latchkey', ['auth', 'pull-token', 'create', '--parent', 'acme', '--ttl', '8761h']);
    assert.equal(tooLong.code, 2);
    assert.match(tooLong.stderr, /at most|one year/);

    const pull = (user: string, pass: string, repo = 'acme/app') => run({ ...process.env as Record<string, string>, HOME: work }, 'skopeo',
      ['--insecure-policy', 'copy', '--src-tls-verify=false', '--src-creds', `${user}:${pass}`, `docker://${host}/${repo}:1`, `oci:${join(work, `pt-${Math.random().toString(16).slice(2)}`)}:1`]);
    ok(await pull(created.username, created.secret), 'pull with the pull token');
    refused(await pull(created.username, `${created.secret}x`), 'pull with a wrong secret', 'credentials');
    refused(await pull(created.username, created.secret, 'other/app'), 'pull other/app with the pull token');
    refused(await run({ ...process.env as Record<string, string>, HOME: work }, 'skopeo', ['--insecure-policy', 'copy', '--dest-tls-verify=false',
      '--dest-creds', `${created.username}:${created.secret}`, `oci:${layout}:1`, `docker://${host}/acme/app:4`]), 'push with the pull token');

    ok(await run(env, 'latchkey', ['iam', 'identities', 'delete', created.id, '--yes']), 'delete the pull token');
    refused(await pull(created.username, created.secret), 'pull with the deleted pull token', 'credentials');
    assert.equal((await realm('repository:acme/app:pull', basic(created.username, created.secret))).status, 401);

    // Expired: one whose expiry has passed (written in the store, as time would).
    const other = await s.iam.pullTokens.create(OPERATOR, acme.id, { ttlSeconds: 3600 });
    ok(await pull(other.username, other.secret), 'pull with a fresh pull token');
    const stored = await s.store.getIdentity(other.username);
    assert.ok(stored && stored.relationship.kind === 'pull_token');
    await s.store.updateIdentity({ ...stored, relationship: { kind: 'pull_token', pullToken: { ...stored.relationship.pullToken, expiresAt: new Date(Date.now() - 1000).toISOString() } } });
    s.iam.identityCache.invalidate(other.username);
    refused(await pull(other.username, other.secret), 'pull with an expired pull token', 'credentials');
  });

  it('a Latchkey token for another audience, an expired one and a forged one get no access', async () => {
    const scope = 'repository:acme/app:pull';
    const good = await realm(scope, basic('_token', await latchkeyToken(puller.id)));
    assert.equal(good.status, 200);
    assert.deepEqual(decodeJwt(good.body.token).access, [{ type: 'repository', name: 'acme/app', actions: ['pull'] }]);

    const wrongAudience = await realm(scope, basic('_token', await latchkeyToken(puller.id, s.config.apiAudience)));
    assert.equal(wrongAudience.status, 401);
    assert.equal(wrongAudience.body.code, 'REGISTRY_UNAUTHENTICATED');
    assert.match(wrongAudience.body.message, /audience/);

    const expired = await realm(scope, `Bearer ${await latchkeyToken(puller.id, host, -60)}`);
    assert.equal(expired.status, 401);
    assert.match(expired.body.message, /expired/);

    // Forged: the real key's kid and the right claims, signed with another key.
    const real = await latchkeyToken(puller.id);
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT(decodeJwt(real)).setProtectedHeader(decodeProtectedHeader(real) as { alg: string }).sign(privateKey);
    const forgedAnswer = await realm(scope, basic('_token', forged));
    assert.equal(forgedAnswer.status, 401);
    for (const r of [wrongAudience, expired, forgedAnswer]) assert.equal(r.body.token, undefined);

    // Through skopeo: each is refused.
    for (const bad of [await latchkeyToken(puller.id, 'other-registry.example'), await latchkeyToken(puller.id, host, -60), forged]) {
      refused(await skopeoWithToken(bad, `docker://${host}/acme/app:1`, `oci:${join(work, 'bad')}:1`), 'pull with a bad token', 'credentials');
    }

    // A forged registry token (our registry key's kid, another key's signature) is refused by the registry itself.
    const registryToken = good.body.token as string;
    const forgedRegistryToken = await new SignJWT(decodeJwt(registryToken))
      .setProtectedHeader(decodeProtectedHeader(registryToken) as { alg: string }).sign(privateKey);
    assert.equal(await manifestStatus('acme/app', '1', registryToken), 200);
    assert.equal(await manifestStatus('acme/app', '1', forgedRegistryToken), 401);

    // No credentials at all: 401, not an anonymous token.
    assert.equal((await realm(scope)).status, 401);
    // Valid credentials without a binding: 200 with an empty access list.
    const none = await realm('repository:other/app:pull,push', basic('_token', await latchkeyToken(puller.id)));
    assert.equal(none.status, 200);
    assert.deepEqual(decodeJwt(none.body.token).access, []);
  });

  it('key rotation: registry tokens signed before and after a rotation are both accepted while the bundle covers both keys', async () => {
    const creds = basic('_token', await latchkeyToken(puller.id));
    const before = await realm('repository:acme/app:pull', creds);
    const oldKid = decodeProtectedHeader(before.body.token).kid;
    const [current] = s.registryKeys.inUse();
    assert.equal(current!.kid, oldKid);
    // The successor is published ahead of its activation: the bundle now holds both.
    keyOffsetMs = Date.parse(current!.retiresAt) - s.config.registryKeyPublishAhead * 1000 - Date.now() + 1000;
    await s.registryKeys.refresh();
    assert.equal(s.registryKeys.inUse().length, 2);
    const bundle = await (await fetch(`${s.url}/registry/certificates`)).text();
    assert.equal(bundle.match(/BEGIN CERTIFICATE/g)?.length, 2);
    const cli = ok(await run(machine(s.url), 'latchkey', ['registry', 'certificate']), 'latchkey registry certificate');
    assert.equal(cli, bundle);
    // Distribution reads its bundle at start: restart it with the new one, then rotate.
    await reg.stop(true);
    reg = await startRegistry({ port: Number(host.split(':')[1]), realm: `${s.url}/registry/token`, issuer: s.config.issuerUrl, bundlePem: bundle, dir: reg.dir });
    keyOffsetMs = Date.parse(current!.retiresAt) - Date.now() + 1000;
    await s.registryKeys.refresh();
    const after = await realm('repository:acme/app:pull', creds);
    const newKid = decodeProtectedHeader(after.body.token).kid;
    assert.notEqual(newKid, oldKid);
    assert.equal(await manifestStatus('acme/app', '1', before.body.token), 200);
    assert.equal(await manifestStatus('acme/app', '1', after.body.token), 200);
  });
});
