// `latchkey audit list` through the binary against `serve --dev`: an owner reads the audit log
// of a group without curl, filtered by action, actor and time.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runLatchkey, sandboxEnv, startServe, type RunningServer } from '../support/binary.js';

describe('latchkey audit list', () => {
  let srv: RunningServer;
  let env: NodeJS.ProcessEnv;
  let org = '';
  let me = '';
  const ok = async (...args: string[]) => {
    const r = await runLatchkey(args, env);
    assert.equal(r.code, 0, `latchkey ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const events = async (...filters: string[]) =>
    (JSON.parse(await ok('audit', 'list', '--group', org, ...filters, '-o', 'json')) as { items: Array<{ action: string; actor: string; at: string }> }).items;

  before(async () => {
    env = sandboxEnv();
    srv = await startServe(['--dev', '--port', '0', '--dev-aws-port', '0'], env);
    env = { ...env, LATCHKEY_PLATFORM_API: srv.url };
    me = /Valid! Id: (\S+)/.exec(await ok('auth', 'login'))![1]!;
    org = (await ok('iam', 'org', 'ls', '-o', 'id')).trim();
    writeFileSync(join(env.HOME!, 'id.json'), JSON.stringify({ name: 'audited', awsIdentity: {
      aws_account: '123456789012', arnPattern: '^arn:aws:sts::123456789012:assumed-role/r/(.*)$', userIdPattern: '^AROA[A-Z0-9]+:(.*)$',
    } }));
    const id = (await ok('iam', 'id', 'create', 'aws', '--filename', join(env.HOME!, 'id.json'), '-oid', '--parent', org, '-y')).trim();
    await ok('iam', 'folders', 'create', 'audited-folder', '--parent', org, '-y');
    await ok('iam', 'rolebinding', 'create', '--identity', id, '--role', 'viewer', '--parent', org, '-y');
  });

  after(async () => {
    await srv?.stop();
  });

  it('lists the group\'s events, newest first, in a table and as JSON', async () => {
    const table = await ok('audit', 'list', '--group', org);
    assert.match(table.split('\n')[0]!, /^AT +ACTION +ACTOR +TARGET +FROM$/);
    assert.match(table, /identity\.create/);
    const all = await events();
    const actions = all.map((e) => e.action);
    for (const a of ['identity.create', 'role_bindings.create']) assert.ok(actions.includes(a), `${a} in ${actions.join(', ')}`);
    const times = all.map((e) => Date.parse(e.at));
    assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first');
  });

  it('filters by action (exact, or a family ending in "."), actor and time', async () => {
    assert.deepEqual((await events('--action', 'identity.create')).map((e) => e.action), ['identity.create']);
    const bindings = await events('--action', 'role_bindings.');
    assert.ok(bindings.length >= 1 && bindings.every((e) => e.action.startsWith('role_bindings.')));
    const mine = await events('--actor', me);
    assert.ok(mine.length >= 3 && mine.every((e) => e.actor === me));
    assert.deepEqual(await events('--actor', `${org}/0000000000000000`), []);
    assert.equal((await events('--since', '1h')).length, (await events()).length);
    assert.deepEqual(await events('--until', '1h'), []);
    assert.deepEqual(await events('--since', '2999-01-01'), []);
  });

  it('says what is wrong with a filter, and needs a group', async () => {
    const bad = await runLatchkey(['audit', 'list', '--group', org, '--since', 'yesterday'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^latchkey: --since must be a time \(2026-11-27T09:00:00Z, 2026-11-27\) or a duration ago \(90m, 24h, 7d\), not "yesterday"/);
    const order = await runLatchkey(['audit', 'list', '--group', org, '--since', '1h', '--until', '2h'], env);
    assert.match(order.stderr, /--since must be before --until/);
    const none = await runLatchkey(['audit', 'list'], env);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /needs --group/);
  });
});
