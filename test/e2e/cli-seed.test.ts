// The seed (Chainguard's "Authenticate from an EC2 instance", the README's flow) end to end, with `latchkey` for `chainctl`:
// the built binary against `latchkey serve --dev` (a real server process, its AWS emulator as
// STS and IMDSv2), driven by bash with the seed's own command lines, jq and curl included.

import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { machine as newMachine, ok, sh, startDevServer } from '../support/shell-machine.js';

const ACCOUNT = '123456789012'; // the dev emulator's principal (src/server/dev-extension.ts)
const ID_JSON = {
  name: 'aws-instance',
  awsIdentity: {
    aws_account: ACCOUNT,
    arnPattern: `^arn:aws:sts::${ACCOUNT}:assumed-role/latchkey-dev-role/(.*)$`,
    userIdPattern: '^AROA(.*)$',
  },
};
const HEADLESS = 'Using "headless" auth mode as set in configuration. To disable: latchkey config unset auth.mode\n';


describe('the seed, with latchkey for chainctl, against latchkey serve --dev', () => {
  let server: ChildProcess;
  let api = '';
  let emulator = '';
  let identity = '';
  let parent = '';
  const laptop = newMachine('seed');
  const ec2 = newMachine('seed');

  before(async () => {
    ({ child: server, api, emulator } = await startDevServer('seed'));
    for (const m of [laptop, ec2]) ok(await sh(m, `latchkey config set platform.api ${api}`), 'config set');
    writeFileSync(join(laptop.home, 'id.json'), JSON.stringify(ID_JSON, null, 3));
  });

  after(() => {
    server?.kill();
  });

  it('on the workstation: login, find the org, create the identity, bind viewer, list (the seed\'s lines)', async () => {
    const out = ok(await sh(laptop, `
latchkey auth login
export PARENT=$(latchkey iam org ls -o json | jq -r '.items[0].id')
export CHAINGUARD_IDENTITY=$(latchkey iam id create aws --filename id.json -oid --parent $PARENT)
export ROLE=$(latchkey iam roles list --name viewer -oid)
latchkey iam rolebinding create --identity $CHAINGUARD_IDENTITY --role $ROLE --parent $PARENT
echo "PARENT=$PARENT"
echo "CHAINGUARD_IDENTITY=$CHAINGUARD_IDENTITY"
latchkey iam identities list
`), 'the seed on the workstation');
    parent = /^PARENT=([0-9a-f]{40})$/m.exec(out)![1]!;
    identity = /^CHAINGUARD_IDENTITY=([0-9a-f]{40}\/[0-9a-f]{16})$/m.exec(out)![1]!;
    assert.ok(identity.startsWith(`${parent}/`));
    assert.match(out, /^Successfully logged in\.\nValid! Id: [0-9a-f]{40}\n/);
    assert.match(out, new RegExp(`^${identity} +aws-instance +aws`, 'm'));
    const bindings = ok(await sh(laptop, `latchkey iam role-bindings list --identity ${identity}`), 'bindings');
    assert.match(bindings, new RegExp(`aws-instance +viewer +${parent}`));
  });

  it('create prints the seed\'s notice on stderr, only the UIDP on stdout', async () => {
    const r = await sh(laptop, `latchkey iam id create aws second --filename id.json -oid --parent ${parent}`);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^[0-9a-f]{40}\/[0-9a-f]{16}\n$/);
    assert.equal(r.stderr, `Creating new identity second (aws) in location ${parent}.\n`);
  });

  it('on a terminal, create asks as the seed shows; Enter means yes', async (t) => {
    if (spawnSync('script', ['--version']).status !== 0) return t.skip('script(1) is not installed');
    const r = await sh(laptop, `(sleep 2; printf '\\r') | script -qec "latchkey iam id create aws third --filename id.json -oid --parent ${parent}" /dev/null`);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`^Creating new identity third \\(aws\\) in location ${parent}\\.\\r?\\nDo you want to continue\\? \\[Y,n\\]: \\r?\\n${parent}/[0-9a-f]{16}\\r?\\n$`));
  });

  it('on EC2: the seed\'s IMDSv2 + curl pipeline, then auth login --identity-token prints the seed\'s lines', async () => {
    ok(await sh(ec2, 'latchkey config set auth.mode headless'), 'config set auth.mode');
    const emu = new URL(emulator).host;
    const r = await sh(ec2, `
TOKEN=\`curl -s -X PUT "http://${emu}/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 21600"\`
ROLE=$(curl -H "X-aws-ec2-metadata-token: $TOKEN" -s http://${emu}/latest/meta-data/iam/security-credentials/)
curl -H "X-aws-ec2-metadata-token: $TOKEN" -s http://${emu}/latest/meta-data/iam/security-credentials/$ROLE | jq -j '"export AWS_ACCESS_KEY_ID=", .AccessKeyId, "\\nexport AWS_SECRET_ACCESS_KEY=", .SecretAccessKey,"\\nexport AWS_SESSION_TOKEN=" , .Token' > vars
. ./vars
TOK=$(curl -X POST "http://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15" --connect-to sts.amazonaws.com:80:${emu} --aws-sigv4 "aws:amz:us-east-1:sts" -H "x-amz-security-token: $AWS_SESSION_TOKEN" --user "$AWS_ACCESS_KEY_ID":"$AWS_SECRET_ACCESS_KEY" -H"Chainguard-Identity: $CHAINGUARD_IDENTITY" -H "Chainguard-Audience: ${api}" -H"Accept: application/json" -v  2>&1 > /dev/null | grep '^> ' | sed 's/> //' | base64 -w0)
latchkey auth login  --identity-token $TOK --identity "$CHAINGUARD_IDENTITY"
`, { CHAINGUARD_IDENTITY: identity });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `Successfully exchanged token.\nValid! Id: ${identity}\n`);
    assert.equal(r.stderr, HEADLESS);
  });

  it('as that identity: listing works, creating is refused with the binding to ask for', async () => {
    const list = ok(await sh(ec2, 'latchkey iam identities list'), 'list as the AWS identity');
    assert.match(list, new RegExp(`^${identity} +aws-instance +aws`, 'm'));
    writeFileSync(join(ec2.home, 'id.json'), JSON.stringify({ ...ID_JSON, name: 'sneaky' }));
    const r = await sh(ec2, `latchkey iam id create aws --filename id.json -oid --parent ${parent} -y`);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr,
      `latchkey: cannot create identity "sneaky" in ${parent} (PERMISSION_DENIED): identity ${identity} has no role binding that `
      + `grants identity.create in ${parent}; ask an owner to run \`latchkey iam rolebinding create --identity ${identity} --role editor --parent ${parent}\`\n`);
  });

  it('one command instead of the pipeline: credentials from IMDSv2', async () => {
    const m = newMachine('seed', { LATCHKEY_PLATFORM_API: api, AWS_EC2_METADATA_SERVICE_ENDPOINT: emulator });
    const r = await sh(m, `latchkey auth login --identity ${identity} --identity-provider aws`);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `Successfully exchanged token.\nValid! Id: ${identity}\n`);
    assert.match(ok(await sh(m, 'latchkey iam identities list'), 'list'), /aws-instance/);
    const status = ok(await sh(m, 'latchkey auth status -o json'), 'status');
    assert.deepEqual(JSON.parse(status).kind, 'workload');
    // The token it would present: bound to this identity and this issuer, for the global endpoint.
    const head = Buffer.from(ok(await sh(m, `latchkey aws token --identity ${identity}`), 'aws token').trim(), 'base64').toString();
    assert.match(head, /^POST \/\?Action=GetCallerIdentity&Version=2011-06-15 HTTP\/1\.1\r\nHost: sts\.amazonaws\.com\r\n/);
    assert.match(head, new RegExp(`\r\nChainguard-Identity: ${identity}\r\nChainguard-Audience: ${api}\r\n`));
  });

  it('one command instead of the pipeline: credentials from environment variables', async () => {
    const emu = new URL(emulator).host;
    const m = newMachine('seed', { LATCHKEY_PLATFORM_API: api, AWS_EC2_METADATA_DISABLED: 'true' });
    const r = await sh(m, `
TOKEN=$(curl -s -X PUT "http://${emu}/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 60")
ROLE=$(curl -s -H "X-aws-ec2-metadata-token: $TOKEN" http://${emu}/latest/meta-data/iam/security-credentials/)
CREDS=$(curl -s -H "X-aws-ec2-metadata-token: $TOKEN" http://${emu}/latest/meta-data/iam/security-credentials/$ROLE)
export AWS_ACCESS_KEY_ID=$(echo "$CREDS" | jq -r .AccessKeyId) AWS_SECRET_ACCESS_KEY=$(echo "$CREDS" | jq -r .SecretAccessKey) AWS_SESSION_TOKEN=$(echo "$CREDS" | jq -r .Token)
latchkey auth login --identity ${identity} --identity-provider aws
`);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `Successfully exchanged token.\nValid! Id: ${identity}\n`);
    const none = await sh(newMachine('seed', { LATCHKEY_PLATFORM_API: api, AWS_EC2_METADATA_DISABLED: 'true' }),
      `latchkey auth login --identity ${identity} --identity-provider aws`);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /^latchkey: cannot find AWS credentials: .*: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
  });

  it('a person\'s login refreshes, then logout revokes it and forgets it', async () => {
    const m = newMachine('seed', { LATCHKEY_PLATFORM_API: api });
    ok(await sh(m, 'latchkey auth login'), 'login');
    // A refresh margin longer than the token's life: every `auth token` renews it.
    const before = ok(await sh(m, 'latchkey auth token'), 'token');
    const renewed = ok(await sh(m, 'latchkey auth token', { LATCHKEY_AUTH_REFRESH_MARGIN: '3600' }), 'renewed token');
    assert.notEqual(renewed, before);
    assert.match(ok(await sh(m, 'latchkey iam org ls -o id'), 'list with the renewed token'), /^[0-9a-f]{40}$/m);
    const cacheDir = join(m.home, 'cache', 'latchkey', 'tokens');
    const { refreshToken } = JSON.parse(readFileSync(join(cacheDir, readdirSync(cacheDir)[0]!), 'utf8')) as { refreshToken: string };
    assert.ok(refreshToken);
    assert.equal(ok(await sh(m, 'latchkey auth logout'), 'logout'), `Logged out of ${api}.\n`);
    assert.deepEqual(readdirSync(cacheDir), []);
    const after = await sh(m, 'latchkey auth token');
    assert.equal(after.status, 1);
    assert.match(after.stderr, /^latchkey: not logged in/);
    // Revoked at the issuer: the refresh token no longer works.
    const refresh = await fetch(`${api}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'latchkey-cli' }),
    });
    assert.notEqual(refresh.status, 200);
  });

  it('the token cache: 0600 files; a cached auth token needs no server at all', async () => {
    const dir = join(ec2.home, 'cache', 'latchkey', 'tokens');
    const files = readdirSync(dir);
    assert.equal(files.length, 1);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(join(dir, files[0]!)).mode & 0o777, 0o600);
    const first = ok(await sh(ec2, 'latchkey auth token'), 'auth token');
    assert.equal(first.split('.').length, 3);
    server.kill();
    await new Promise((r) => server.once('exit', r));
    const second = ok(await sh(ec2, 'latchkey auth token'), 'auth token with the server gone');
    assert.equal(second, first);
    const down = await sh(ec2, 'latchkey iam identities list');
    assert.equal(down.status, 1);
    assert.match(down.stderr, new RegExp(`^latchkey: cannot reach the Latchkey API at ${api}: .*is \`latchkey serve\` running\\?`));
  });
});
