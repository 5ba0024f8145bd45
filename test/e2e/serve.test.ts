// `latchkey serve` through the built binary: dev mode's announcement, JSON logs, graceful
// SIGTERM, configuration errors, and the operator's bootstrap.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
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

/** A self-signed P-256 certificate for 127.0.0.1, made by openssl. */
function selfSigned(dir: string, name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert,
    '-subj', `/CN=${name}`, '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '2'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return { cert, key };
}

/** The fingerprint of the certificate 127.0.0.1:port presents, trusting `ca`. */
function servedCert(port: number, ca: string): Promise<string> {
  return new Promise((done, fail) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, ca: readFileSync(ca), servername: undefined }, () => {
      done(socket.getPeerX509Certificate()!.fingerprint256);
      socket.end();
    });
    socket.on('error', fail);
  });
}

it('--tls-cert/--tls-key: HTTPS with an https issuer, refused plain HTTP, SIGHUP reloads the certificate', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-tls-'));
  const first = selfSigned(dir, 'first');
  const second = selfSigned(dir, 'second');
  const live = { cert: join(dir, 'live.crt'), key: join(dir, 'live.key') };
  copyFileSync(first.cert, live.cert);
  copyFileSync(first.key, live.key);
  const env = sandboxEnv();
  const srv = await startServe(['--port', '0', '--tls-cert', live.cert, '--tls-key', live.key], env);
  try {
    assert.match(srv.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const port = Number(new URL(srv.url).port);
    const curl = spawnSync('curl', ['-sS', '--cacert', first.cert, `${srv.url}/.well-known/openid-configuration`], { encoding: 'utf8' });
    assert.equal(curl.status, 0, curl.stderr);
    assert.equal((JSON.parse(curl.stdout) as { issuer: string }).issuer, srv.url);
    const plain = spawnSync('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', `http://127.0.0.1:${port}/healthz`], { encoding: 'utf8' });
    assert.notEqual(plain.stdout, '200', 'plain HTTP is not served');
    const before = await servedCert(port, first.cert);
    copyFileSync(second.cert, live.cert);
    copyFileSync(second.key, live.key);
    srv.child.kill('SIGHUP');
    let after = before;
    for (let i = 0; i < 100 && after === before; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await servedCert(port, second.cert).catch(() => before);
    }
    assert.notEqual(after, before, 'a new connection gets the reloaded certificate');
    assert.match(srv.stdout(), /TLS certificate reloaded/);
  } finally {
    assert.equal(await srv.stop(), 0);
  }
  const missing = await runLatchkey(['serve', '--tls-cert', first.cert, '--tls-key', join(dir, 'nope.key')], sandboxEnv());
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, `latchkey serve: cannot read --tls-key ${join(dir, 'nope.key')}: ENOENT\n`);
  const mismatched = await runLatchkey(['serve', '--tls-cert', first.cert, '--tls-key', second.key], sandboxEnv());
  assert.equal(mismatched.code, 2);
  assert.match(mismatched.stderr, /^latchkey serve: --tls-cert .* and --tls-key .* are not a PEM certificate and its key: /);
  const alone = await runLatchkey(['serve', '--tls-cert', first.cert], sandboxEnv());
  assert.equal(alone.code, 2);
  assert.match(alone.stderr, /--tls-cert and --tls-key go together/);
});
