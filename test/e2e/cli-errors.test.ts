// What a person sees when a command goes wrong, through the binary against `serve --dev`:
// duplicate names (allowed, as in Chainguard; a name that matches several says how to pick by
// ID), a duplicate role binding, an unknown query parameter, and what `rolebinding create` and
// `config view` print.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runLatchkey, sandboxEnv, startServe, type RunningServer } from '../support/binary.js';

const RULE = {
  aws_account: '123456789012',
  arnPattern: '^arn:aws:sts::123456789012:assumed-role/latchkey-dev-role/(.*)$',
  userIdPattern: '^AROA[A-Z0-9]+:(.*)$',
};

describe('the CLI\'s refusals and answers', () => {
  let srv: RunningServer;
  let env: NodeJS.ProcessEnv;
  let org = '';
  const lk = async (...args: string[]) => runLatchkey(args, env);
  const ok = async (...args: string[]) => {
    const r = await lk(...args);
    assert.equal(r.code, 0, `latchkey ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };

  before(async () => {
    env = sandboxEnv();
    srv = await startServe(['--dev', '--port', '0', '--dev-aws-port', '0'], env);
    env = { ...env, LATCHKEY_PLATFORM_API: srv.url };
    await ok('auth', 'login');
    org = (await ok('iam', 'org', 'ls', '-o', 'id')).trim();
    writeFileSync(join(env.HOME!, 'id.json'), JSON.stringify({ name: 'dup', awsIdentity: RULE }));
  });

  after(async () => {
    await srv?.stop();
  });

  it('duplicate names are allowed; a name that matches several lists their IDs and says to pass one', async () => {
    const ids = [];
    for (let i = 0; i < 2; i++) ids.push((await ok('iam', 'id', 'create', 'aws', '--filename', join(env.HOME!, 'id.json'), '-oid', '--parent', org, '-y')).trim());
    const r = await lk('iam', 'identities', 'describe', 'dup');
    assert.equal(r.code, 1);
    const m = /^latchkey: 2 identities are named "dup": (\S+), (\S+): pass the ID of the one you mean instead of the name \(`latchkey iam identities list` shows where each one is\)\n$/.exec(r.stderr);
    assert.ok(m, r.stderr);
    assert.deepEqual([m[1], m[2]].sort(), [...ids].sort(), 'both IDs, in the order the server lists them');
    assert.match(await ok('iam', 'identities', 'describe', ids[1]!), /dup/);

    for (let i = 0; i < 2; i++) await ok('iam', 'folders', 'create', 'team', '--parent', org, '-y');
    const folders = await lk('iam', 'identities', 'list', '--parent', 'team');
    assert.equal(folders.code, 1);
    assert.match(folders.stderr, /^latchkey: 2 organizations or folders are named "team": [0-9a-f/, ]+: pass the ID of the one you mean/);
  });

  it('rolebinding create prints names as list does; a duplicate says nothing changed, and no -v it has no use for', async () => {
    const identity = (await ok('iam', 'id', 'create', 'aws', 'bound', '--filename', join(env.HOME!, 'id.json'), '-oid', '--parent', org, '-y')).trim();
    const role = (await ok('iam', 'roles', 'list', '--name', 'viewer', '-oid')).trim();
    const created = await ok('iam', 'rolebinding', 'create', '--identity', identity, '--role', role, '--parent', org, '-y');
    assert.match(created, new RegExp(`^[0-9a-f/]+ +bound +viewer +${org}( +active)?$`, 'm'));
    assert.doesNotMatch(created, new RegExp(identity));
    const listed = await ok('iam', 'rolebinding', 'list', '--identity', identity);
    assert.equal(listed.split('\n')[1]!.replace(/ +/g, ' '), created.split('\n')[1]!.replace(/ +/g, ' '));

    const again = await lk('iam', 'rolebinding', 'create', '--identity', identity, '--role', role, '--parent', org, '-y');
    assert.equal(again.code, 1);
    assert.match(again.stderr, /\(STORE_CONFLICT\): nothing was changed: it exists already/);
    assert.doesNotMatch(again.stderr, /run with -v/);
  });

  it('an unknown query parameter is named', async () => {
    const token = (await ok('auth', 'token')).trim();
    const r = await fetch(`${srv.url}/iam/v1/identities?bogus=1`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(r.status, 400);
    assert.deepEqual(await r.json(), { code: 'BAD_REQUEST', message: 'querystring has an unknown parameter "bogus"' });
  });

  it('config view shows the issuer URL the CLI binds AWS tokens to', async () => {
    const view = await ok('config', 'view');
    assert.match(view, new RegExp(`^platform\\.issuer +${srv.url.replace(/[.]/g, '\\.')} +platform\\.api$`, 'm'));
  });
});
