// `latchkey serve` through the built binary: dev mode's announcement, JSON logs, graceful
// SIGTERM, configuration errors, and the operator's bootstrap.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { runLatchkey, sandboxEnv, startServe } from '../support/binary.js';

it('serve --dev announces the emulator exports, logs JSON lines, and stops cleanly on SIGTERM', async () => {
  const env = sandboxEnv();
  const srv = await startServe(['--dev', '--port', '0'], env);
  try {
    await srv.waitForStderr(/export AWS_REGION=/);
    assert.match(srv.stderr(), /export AWS_EC2_METADATA_SERVICE_ENDPOINT=http:\/\/127\.0\.0\.1:\d+/);
    assert.match(srv.stderr(), /export AWS_ENDPOINT_URL_STS=http:\/\/127\.0\.0\.1:\d+/);
    const disco = await (await fetch(`${srv.url}/.well-known/openid-configuration`)).json() as Record<string, string>;
    assert.equal(disco.issuer, srv.url);
    assert.equal(disco.latchkey_dev_login_endpoint, `${srv.url}/auth/v1/dev/login`);
    const emu = /AWS_EC2_METADATA_SERVICE_ENDPOINT=(\S+)/.exec(srv.stderr())![1]!;
    const imdsToken = await (await fetch(`${emu}/latest/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60' } })).text();
    assert.ok(imdsToken.length > 10, 'the emulator serves IMDSv2');
    for (const line of srv.stdout().trim().split('\n')) {
      const rec = JSON.parse(line) as { level: number; msg?: string };
      assert.equal(typeof rec.level, 'number', 'structured JSON log lines');
    }
  } finally {
    assert.equal(await srv.stop(), 0, 'graceful shutdown exits 0');
  }
  assert.match(srv.stdout(), /shutting down/);
});

it('refuses a bad setting with a message naming it, and --dev on a public address', async () => {
  const bad = await runLatchkey(['serve', '--port', '99999'], sandboxEnv());
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--port.*out of range/);
  const env = await runLatchkey(['serve'], sandboxEnv({ LATCHKEY_TOKEN_TTL: 'forever' }));
  assert.equal(env.code, 2);
  assert.match(env.stderr, /LATCHKEY_TOKEN_TTL/);
  const dev = await runLatchkey(['serve', '--dev', '--host', '0.0.0.0'], sandboxEnv());
  assert.equal(dev.code, 2);
  assert.match(dev.stderr, /loopback/);
  const ahead = await runLatchkey(['serve', '--key-publish-ahead', '0'], sandboxEnv());
  assert.equal(ahead.code, 2, 'an unsafe publish-ahead stops the server before it starts');
  assert.match(ahead.stderr, /--key-publish-ahead 0s is unsafe: relying parties may cache the JWKS for 300s.*at least 360s/);
});

it('admin bootstrap creates an organization before its owner has logged in', async () => {
  const env = sandboxEnv();
  const r = await runLatchkey(['admin', 'bootstrap', '--org', 'acme', '--owner-email', 'alice@acme.example', '-o', 'id'], env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout.trim(), /^[0-9a-f]{40}$/);
  const bad = await runLatchkey(['admin', 'bootstrap', '--org', 'acme', '--owner-email', 'not-an-email'], env);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /email/);
  // The owner invitation expires: by default in 7 days, or after --invite-ttl.
  const t0 = Date.now();
  const short = await runLatchkey(['admin', 'bootstrap', '--org', 'beta', '--owner-email', 'bob@beta.example', '--invite-ttl', '2h'], env);
  assert.equal(short.code, 0, short.stderr);
  const until = Date.parse(/claimable until (\S+)\)/.exec(short.stdout)![1]!);
  assert.ok(until >= t0 + 2 * 3600_000 && until <= Date.now() + 2 * 3600_000, short.stdout);
  const tooLong = await runLatchkey(['admin', 'bootstrap', '--org', 'gamma', '--owner-email', 'c@g.example', '--invite-ttl', '1y'], env);
  assert.equal(tooLong.code, 2);
  assert.match(tooLong.stderr, /invite-ttl/);
});
