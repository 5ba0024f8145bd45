// Explain and dry-run through the binary against `serve --dev` (its AWS emulator as STS, real
// AWS tokens from `latchkey aws token`): `iam identities test` prints each check and exits 1
// with the failing check's code; `iam identities update --dry-run` names who would lose access
// and changes nothing; `audit list --identity --refused` shows why an exchange failed. The
// token is never printed.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runLatchkey, sandboxEnv, startServe, type RunningServer } from '../support/binary.js';

const ACCOUNT = '123456789012';
const DEV_ARN = `arn:aws:sts::${ACCOUNT}:assumed-role/latchkey-dev-role/i-0123456789abcdef0`;

describe('latchkey iam identities test, update --dry-run, audit list --refused', () => {
  let srv: RunningServer;
  let env: NodeJS.ProcessEnv;
  /** A workload's machine: its own HOME, so its session never replaces the owner's. */
  let workload: NodeJS.ProcessEnv;
  let emulator = '';
  let org = '';
  let good = '';
  let wrongAccount = '';
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-explain-'));
  const run = (...args: string[]) => runLatchkey(args, env);
  const ok = async (...args: string[]) => {
    const r = await run(...args);
    assert.equal(r.code, 0, `latchkey ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };

  // The same port after a restart: the dev user's identity comes from the issuer URL.
  let port = '0';
  async function serve(): Promise<void> {
    env = sandboxEnv();
    srv = await startServe(['--dev', '--port', port, '--dev-aws-port', '0', '--data-dir', dataDir], env);
    emulator = /AWS emulator at (http:\/\/[\d.:]+)/.exec(await srv.waitForStderr(/AWS emulator at http:\/\/[\d.:]+/))?.[1] ?? '';
    const aws = (e: NodeJS.ProcessEnv) => {
      const { AWS_EC2_METADATA_DISABLED: _, ...rest } = e;
      return {
        ...rest, LATCHKEY_PLATFORM_API: srv.url, AWS_EC2_METADATA_SERVICE_ENDPOINT: emulator,
        AWS_CONFIG_FILE: join(e.HOME!, 'no-aws-config'), AWS_SHARED_CREDENTIALS_FILE: join(e.HOME!, 'no-aws-credentials'),
      };
    };
    port = new URL(srv.url).port;
    env = aws(env);
    workload = aws(sandboxEnv());
    await ok('auth', 'login');
    org = (await ok('iam', 'org', 'ls', '-o', 'id')).trim();
  }
  const create = async (name: string, rule: Record<string, string>) => {
    const file = join(env.HOME!, `${name}.json`);
    writeFileSync(file, JSON.stringify({ name, awsIdentity: rule }));
    return (await ok('iam', 'id', 'create', 'aws', '--filename', file, '-oid', '--parent', org, '-y')).trim();
  };
  const tokenFile = async (identity: string) => {
    const token = (await ok('aws', 'token', '--identity', identity)).trim();
    const file = join(env.HOME!, `token-${identity.slice(-16)}.txt`);
    writeFileSync(file, `${token}\n`);
    return { token, file };
  };

  before(async () => {
    await serve();
    good = await create('dev-role', { aws_account: ACCOUNT, arnPattern: `^arn:aws:sts::${ACCOUNT}:assumed-role/latchkey-dev-role/.*$`, userIdPattern: '^AROA[A-Z0-9]+:.*$' });
    wrongAccount = await create('elsewhere', { aws_account: '444455556666', arnPattern: '.*', userIdPattern: '.*' });
  });
  after(async () => {
    await srv?.stop();
  });

  it('identities test: every check passes for a good token, in a table; the token is never printed', async () => {
    const { token, file } = await tokenFile(good);
    const r = await run('iam', 'identities', 'test', good, '--token', `@${file}`);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0]!, /^CHECK +RESULT +EXPECTED +ACTUAL$/);
    assert.deepEqual(lines.slice(1, -1).map((l) => l.split(/ +/).slice(0, 2)), [
      ['aws.token', 'pass'], ['aws.sts', 'pass'], ['aws.partition', 'pass'],
      ['rule.aws_account', 'pass'], ['rule.arnPattern', 'pass'], ['rule.userIdPattern', 'pass'],
    ]);
    assert.match(r.stdout, new RegExp(`rule\\.arnPattern +pass +\\S+ +${DEV_ARN.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    assert.equal(lines.at(-1), 'Every check passed: this credential would be exchanged.');
    const inline = await run('iam', 'identities', 'test', 'dev-role', '--token', token, '-o', 'json');
    assert.equal(inline.code, 0, inline.stderr);
    assert.equal(JSON.parse(inline.stdout).ok, true);
    for (const out of [r.stdout, r.stderr, inline.stdout, inline.stderr]) assert.ok(!out.includes(token.slice(-40)), 'no token printed');
  });

  it('identities test: a refused token exits 1, names the failing check, what it expects and what the caller is', async () => {
    const { token, file } = await tokenFile(wrongAccount);
    const r = await run('iam', 'identities', 'test', wrongAccount, '--token', `@${file}`);
    assert.equal(r.code, 1);
    assert.match(r.stdout, new RegExp(`rule\\.aws_account +FAIL +444455556666 +${ACCOUNT}\\n$`));
    assert.match(r.stderr, /^latchkey: the credential would be refused: .* \(AWS_ACCOUNT_MISMATCH\)\n$/);
    const json = await run('iam', 'identities', 'test', wrongAccount, '--token', `@${file}`, '-o', 'json');
    assert.equal(json.code, 1);
    assert.deepEqual(JSON.parse(json.stdout).trace.at(-1), { check: 'rule.aws_account', ok: false, expected: '444455556666', actual: ACCOUNT });
    for (const out of [r.stdout, r.stderr, json.stdout]) assert.ok(!out.includes(token.slice(-40)), 'no token printed');
    const usage = await run('iam', 'identities', 'test', wrongAccount);
    assert.equal(usage.code, 2);
  });

  it('update --dry-run names the caller who would lose access and changes nothing', async () => {
    const login = await runLatchkey(['auth', 'login', '--identity', good, '--identity-provider', 'aws'], workload);
    assert.equal(login.code, 0, login.stderr);
    // Granted exchanges are written within a quarter second: wait for it (bounded).
    for (let i = 0; i < 50; i++) {
      if (JSON.parse(await ok('audit', 'list', '--identity', good, '--action', 'sts.exchange', '-o', 'json')).items.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const before = await ok('iam', 'id', 'describe', good, '-o', 'json');
    const r = await run('iam', 'identities', 'update', good, '--aws-arn-pattern', `^arn:aws:sts::${ACCOUNT}:assumed-role/other-role/.*$`, '--dry-run');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Dry run: nothing was changed\. 1 distinct caller/);
    assert.match(r.stdout, new RegExp(`\\nlose +${DEV_ARN.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} +${ACCOUNT} AROA`));
    const json = JSON.parse(await ok('iam', 'identities', 'update', good, '--aws-arn-pattern', `^arn:aws:sts::${ACCOUNT}:assumed-role/other-role/.*$`, '--dry-run', '-o', 'json'));
    assert.deepEqual(json.loseAccess.map((c: { arn: string }) => c.arn), [DEV_ARN]);
    assert.deepEqual(json.gainAccess, []);
    assert.equal(await ok('iam', 'id', 'describe', good, '-o', 'json'), before, 'the rule is unchanged');
  });

  it('audit list --identity --refused shows why an exchange failed (after the refusals are written)', async () => {
    const { token } = await tokenFile(wrongAccount);
    const refused = await runLatchkey(['auth', 'login', '--identity', wrongAccount, '--identity-provider', 'aws'], workload);
    assert.equal(refused.code, 1);
    // Refusals are written once their minute ends, or when the server stops: stop it, start it again on the same data.
    assert.equal(await srv.stop(), 0);
    await serve();
    const table = await ok('audit', 'list', '--identity', wrongAccount, '--refused');
    const lines = table.trim().split('\n');
    assert.match(lines[0]!, /^AT +CODE +COUNT +FAILED CHECK +MESSAGE$/);
    assert.equal(lines.length, 2, table);
    assert.match(lines[1]!, new RegExp(`AWS_ACCOUNT_MISMATCH +1 +rule\\.aws_account expected 444455556666 got ${ACCOUNT} +`));
    const json = JSON.parse(await ok('audit', 'list', '--identity', wrongAccount, '--refused', '-o', 'json'));
    assert.deepEqual(json.items.map((e: { action: string }) => e.action), ['sts.exchange.denied']);
    assert.deepEqual(json.items[0].details.trace.at(-1), { check: 'rule.aws_account', ok: false, expected: '444455556666', actual: ACCOUNT });
    assert.ok(!JSON.stringify(json).includes(token.slice(-40)), 'no token in the audit');
    assert.deepEqual(JSON.parse(await ok('audit', 'list', '--identity', good, '--refused', '-o', 'json')).items, []);
  });
});
