// `latchkey serve` through the built binary: dev mode's announcement, JSON logs, graceful
// SIGTERM, configuration errors, and the operator's bootstrap.

import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
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
    const emu = /AWS_EC2_METADATA_SERVICE_ENDPOINT=(\S+)\/$/m.exec(srv.stderr())![1]!;
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
});

it('admin bootstrap creates an organization before its owner has logged in', async () => {
  const env = sandboxEnv();
  const r = await runLatchkey(['admin', 'bootstrap', '--org', 'acme', '--owner-email', 'alice@acme.example', '-o', 'id'], env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout.trim(), /^[0-9a-f]{40}$/);
  const bad = await runLatchkey(['admin', 'bootstrap', '--org', 'acme', '--owner-email', 'not-an-email'], env);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /email/);
});

it('a taken port names the port, the setting that moves it, and never points at a -v it lacks', async () => {
  const holder = createServer();
  await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
  const taken = (holder.address() as AddressInfo).port;
  try {
    const main = await runLatchkey(['serve', '--port', String(taken)], sandboxEnv());
    assert.equal(main.code, 1);
    assert.equal(main.stderr.trim().split('\n').at(-1),
      `latchkey serve: port ${taken} on 127.0.0.1 is taken (another latchkey serve?): stop what listens there, or pick another with --port PORT`);
    const emulator = await runLatchkey(['serve', '--dev', '--port', '0', '--dev-aws-port', String(taken)], sandboxEnv());
    assert.equal(emulator.code, 1);
    assert.match(emulator.stderr, new RegExp(`latchkey serve: the AWS emulator's port ${taken} \\(--dev-aws-port\\) is taken .*pick another with --dev-aws-port PORT`));
    const dev = await runLatchkey(['serve', '--dev', '--port', String(taken), '--dev-aws-port', '0'], sandboxEnv());
    assert.equal(dev.code, 1);
    assert.match(dev.stderr, new RegExp(`port ${taken} on 127\\.0\\.0\\.1 is taken.*--port PORT \\(--dev puts its AWS emulator on PORT\\+1 unless --dev-aws-port says otherwise\\)`));
    for (const r of [main, emulator, dev]) assert.doesNotMatch(r.stderr, /run with -v/);
  } finally {
    holder.close();
  }
  const alone = await runLatchkey(['serve', '--dev-aws-port', '9000'], sandboxEnv());
  assert.equal(alone.code, 2);
  assert.match(alone.stderr, /--dev-aws-port is the port of the AWS emulator of --dev: give --dev too/);
});

it('with no login provider, the server says people cannot log in, and the CLI says so too', async () => {
  const env = sandboxEnv();
  const srv = await startServe(['--port', '0'], env);
  try {
    for (let i = 0; i < 100 && !srv.stdout().includes('no login provider'); i++) await new Promise((r) => setTimeout(r, 100));
    const warn = srv.stdout().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { level: number; msg: string })
      .find((l) => l.msg.startsWith('no login provider'));
    assert.ok(warn, srv.stdout());
    assert.equal(warn.level, 40);
    assert.match(warn.msg, /people cannot log in .*--oidc-providers \(see docs\/human-login\.md\)/);
    const login = await runLatchkey(['auth', 'login', '--api', srv.url], env);
    assert.equal(login.code, 1);
    assert.equal(login.stderr, `latchkey: this server (${srv.url}) has no login provider, so people cannot log in to it: `
      + 'its operator configures one with `latchkey serve --oidc-providers` (docs/human-login.md); workloads log in with --identity\n');
  } finally {
    await srv.stop();
  }
});
