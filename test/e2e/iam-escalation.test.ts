// Issue 10's five attacks, end to end: each tried through the HTTP API and through the built
// `latchkey` binary (logged in as the attacker with AWS credentials from the emulator), each
// now refused with PERMISSION_DENIED naming the missing capability and group, with nothing
// changed. Each scenario also shows the write that the same caller may still make, so the rule
// is not simply "refuse everything".

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createStsClient } from '../../src/aws/index.js';
import { startAwsEmulator, type AwsEmulator } from '../../src/aws-emulator/index.js';
import { CAPABILITIES, OPERATOR, builtinRoleId, type Group, type Identity, type Role } from '../../src/iam/index.js';
import { buildAwsToken, type Creds } from '../support/aws-token-builder.js';
import { latchkeyAsync, tempHome, type RunResult } from '../cli/support/cli-binary.js';
import { api, startTestServer, type TestServer } from '../support/test-server.js';

const ATTACKER = '111122223333';
const VICTIM = '999988887777';
const principals = [
  { account: ATTACKER, roleName: 'attacker', sessionName: 'i-0abc1234def567890' },
  { account: VICTIM, roleName: 'victim', sessionName: 'i-0fff1234def567890' },
];
const attackerRule = { aws_account: ATTACKER, arnPattern: `^arn:aws:sts::${ATTACKER}:assumed-role/attacker/(.*)$`, userIdPattern: '^AROA[A-Z0-9]+:(.*)$' };
const victimRule = { aws_account: VICTIM, arnPattern: `^arn:aws:sts::${VICTIM}:assumed-role/victim/(.*)$`, userIdPattern: '^AROA[A-Z0-9]+:(.*)$' };

describe('IAM writes cannot gain or give a capability the caller does not hold (API and binary)', () => {
  let emu: AwsEmulator;
  let s: TestServer;
  let creds: Creds;
  let org: Group;
  let fa: Group;
  let fb: Group;
  let owned: Identity; // lives in the org, bound owner at the org
  let ownedInFa: Identity; // lives in folder FA, bound owner at the org
  let editor: Identity; // the attacker, editor at the org
  let faEditor: Identity; // the attacker, editor of FA only
  let binder: Identity; // the attacker, custom role with role_bindings.create only
  let roleUpdater: Identity; // the attacker, custom role with roles.update only
  let binderRole: Role;
  let updaterRole: Role;

  async function mk(parent: string, name: string, rule: object, role?: string, bindOn = parent): Promise<Identity> {
    const { identity } = await s.iam.identities.create(OPERATOR, parent, { name, awsIdentity: rule });
    if (role) await s.iam.bindings.create(OPERATOR, bindOn, { identity: identity.id, role });
    return identity;
  }

  /** The attacker's own AWS token for `identity`, exchanged for a Latchkey token. */
  async function exchange(identity: string, c = creds): Promise<{ status: number; body: any }> {
    const tok = await buildAwsToken(c, { identity, audience: s.url });
    return api(s, 'POST', `/sts/exchange?identity=${encodeURIComponent(identity)}`, { headers: { authorization: `Bearer ${tok}` } });
  }
  async function tokenOf(identity: string): Promise<string> {
    const r = await exchange(identity);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.token as string;
  }

  /** A machine where the attacker is logged in as `identity` with the CLI (AWS credentials in the environment). */
  async function cliAs(identity: string): Promise<(args: string[]) => Promise<RunResult>> {
    const { dir, env } = tempHome();
    const full = {
      ...env, LATCHKEY_PLATFORM_API: s.url, AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ACCESS_KEY_ID: creds.accessKeyId, AWS_SECRET_ACCESS_KEY: creds.secretAccessKey, AWS_SESSION_TOKEN: creds.sessionToken!,
      AWS_CONFIG_FILE: join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
    };
    const login = await latchkeyAsync(['auth', 'login', '--identity', identity, '--identity-provider', 'aws'], full);
    assert.equal(login.status, 0, login.stderr);
    return (args) => latchkeyAsync(args, full);
  }

  function denied(r: { status: number; body: any }, cap: string, group: string): void {
    assert.equal(r.status, 403, JSON.stringify(r.body));
    assert.equal(r.body.code, 'PERMISSION_DENIED');
    // The route's own capability ("has no role binding that grants X on G"), or a write rule's ("lacks X on G").
    assert.match(r.body.message, new RegExp(`(lacks|grants) ${cap.replace('.', '\\.')} on ${group}`));
  }
  function cliDenied(r: RunResult, cap: string): void {
    assert.notEqual(r.status, 0, `expected a refusal, got:\n${r.stdout}`);
    assert.match(r.stderr, /PERMISSION_DENIED/);
    assert.match(r.stderr, new RegExp(` (lacks|grants) ${cap.replace('.', '\\.')} (on|in) `));
  }

  before(async () => {
    emu = await startAwsEmulator({ principals });
    const sts = createStsClient({ overrides: { 'sts.amazonaws.com': emu.url, 'sts.us-east-1.amazonaws.com': emu.url } });
    s = await startTestServer({ sts });
    creds = emu.issueCredentials(0);
    org = await s.iam.groups.createOrganization(OPERATOR, { name: 'acme' });
    fa = await s.iam.groups.createFolder(OPERATOR, org.id, { name: 'fa' });
    fb = await s.iam.groups.createFolder(OPERATOR, org.id, { name: 'fb' });
    owned = await mk(org.id, 'owned', victimRule, builtinRoleId('owner'));
    ownedInFa = await mk(fa.id, 'owned-in-fa', victimRule, builtinRoleId('owner'), org.id);
    editor = await mk(org.id, 'editor', attackerRule, builtinRoleId('editor'));
    faEditor = await mk(fa.id, 'fa-editor', attackerRule, builtinRoleId('editor'));
    binderRole = await s.iam.roles.create(OPERATOR, org.id, { name: 'binder', capabilities: ['role_bindings.create', 'role_bindings.list', 'identity.list', 'roles.list'] });
    binder = await mk(org.id, 'binder', attackerRule, binderRole.id);
    updaterRole = await s.iam.roles.create(OPERATOR, org.id, { name: 'role-updater', capabilities: ['roles.update', 'roles.list'] });
    roleUpdater = await mk(org.id, 'role-updater', attackerRule, updaterRole.id);
  });
  after(async () => {
    await s?.stop(true);
    await emu?.close();
  });

  it('1. an editor cannot take over an owner-bound identity by rewriting its rule (but may rename it)', async () => {
    const tok = await tokenOf(editor.id);
    denied(await api(s, 'PUT', `/iam/v1/identities/${owned.id}`, { token: tok, body: { awsIdentity: attackerRule } }), 'groups.delete', org.id);
    assert.equal((await exchange(owned.id)).status, 401, 'the attacker still cannot assume the owned identity');
    denied(await api(s, 'POST', `/iam/v1/rolebindings/${org.id}`, { token: tok, body: { identity: editor.id, role: builtinRoleId('owner') } }), 'role_bindings.create', org.id);

    const cli = await cliAs(editor.id);
    const rule = join(mkdtempSync(join(tmpdir(), 'latchkey-attack-')), 'rule.json');
    writeFileSync(rule, JSON.stringify({ awsIdentity: attackerRule }));
    cliDenied(await cli(['iam', 'identities', 'update', owned.id, '--filename', rule]), 'groups.delete');
    cliDenied(await cli(['iam', 'rolebinding', 'create', '--identity', editor.id, '--role', 'owner', '--parent', org.id, '-y']), 'role_bindings.create');

    const rel = (await s.store.getIdentity(owned.id))!.relationship;
    assert.ok(rel.kind === 'aws' && rel.aws.awsAccount === VICTIM, 'the rule is unchanged');
    assert.equal((await s.store.listBindings({ identity: editor.id })).length, 1, 'no binding was added');

    // Renaming needs only identity.update: allowed, and the rule stays.
    const renamed = await api(s, 'PUT', `/iam/v1/identities/${owned.id}`, { token: tok, body: { name: 'owned-renamed' } });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    const after = (await s.store.getIdentity(owned.id))!;
    assert.ok(after.relationship.kind === 'aws' && after.relationship.aws.awsAccount === VICTIM);
  });

  it('2. a folder editor cannot rewrite an identity of its folder that is bound above it, nor delete a sibling', async () => {
    const tok = await tokenOf(faEditor.id);
    denied(await api(s, 'PUT', `/iam/v1/identities/${ownedInFa.id}`, { token: tok, body: { awsIdentity: attackerRule } }), 'groups.create', org.id);
    assert.equal((await exchange(ownedInFa.id)).status, 401);
    denied(await api(s, 'DELETE', `/iam/v1/groups/${fb.id}`, { token: tok }), 'groups.delete', fb.id);
    // Its own folder's identities with no binding above it are its to change.
    const mine = await mk(fa.id, 'fa-worker', victimRule, builtinRoleId('viewer'));
    const ok = await api(s, 'PUT', `/iam/v1/identities/${mine.id}`, { token: tok, body: { awsIdentity: attackerRule } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));

    const cli = await cliAs(faEditor.id);
    const rule = join(mkdtempSync(join(tmpdir(), 'latchkey-attack-')), 'rule.json');
    writeFileSync(rule, JSON.stringify({ awsIdentity: attackerRule }));
    cliDenied(await cli(['iam', 'identities', 'update', ownedInFa.id, '--filename', rule]), 'groups.create');
    cliDenied(await cli(['iam', 'folders', 'delete', fb.id, '-y']), 'groups.delete');

    const rel = (await s.store.getIdentity(ownedInFa.id))!.relationship;
    assert.ok(rel.kind === 'aws' && rel.aws.awsAccount === VICTIM, 'the rule is unchanged');
    assert.ok(await s.store.getGroup(fb.id), 'the sibling folder is still there');
  });

  it('3. a role with only role_bindings.create cannot bind owner (but may grant what it holds)', async () => {
    const tok = await tokenOf(binder.id);
    denied(await api(s, 'POST', `/iam/v1/rolebindings/${org.id}`, { token: tok, body: { identity: binder.id, role: builtinRoleId('owner') } }), 'groups.create', org.id);
    denied(await api(s, 'POST', `/iam/v1/rolebindings/${org.id}`, { token: tok, body: { identity: binder.id, role: builtinRoleId('viewer') } }), 'groups.list', org.id);
    const cli = await cliAs(binder.id);
    cliDenied(await cli(['iam', 'rolebinding', 'create', '--identity', binder.id, '--role', builtinRoleId('owner'), '--parent', org.id, '-y']), 'groups.create');
    assert.deepEqual((await s.store.listBindings({ identity: binder.id })).map((b) => b.role), [binderRole.id]);
    // Its own role holds nothing it lacks: it may grant it to another identity.
    const other = await mk(org.id, 'other', victimRule);
    const ok = await api(s, 'POST', `/iam/v1/rolebindings/${org.id}`, { token: tok, body: { identity: other.id, role: binderRole.id } });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
  });

  it('4. a role with only roles.update cannot add capabilities to itself (but may describe itself)', async () => {
    const tok = await tokenOf(roleUpdater.id);
    denied(await api(s, 'PUT', `/iam/v1/roles/${updaterRole.id}`, { token: tok, body: { capabilities: [...CAPABILITIES] } }), 'audit.list', org.id);
    const cli = await cliAs(roleUpdater.id);
    cliDenied(await cli(['iam', 'roles', 'update', updaterRole.id, '--capabilities', CAPABILITIES.join(',')]), 'audit.list');
    assert.deepEqual((await s.store.getRole(updaterRole.id))!.capabilities, ['roles.list', 'roles.update']);
    const ok = await api(s, 'PUT', `/iam/v1/roles/${updaterRole.id}`, { token: tok, body: { description: 'still the same capabilities' } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
  });

  it('5. invitations by email: subject to the grant rule, listed as pending, read and deleted by id, audited', async () => {
    const tok = await tokenOf(binder.id);
    denied(await api(s, 'POST', `/iam/v1/rolebindings/${org.id}`, { token: tok, body: { email: 'mallory@evil.example', role: builtinRoleId('owner') } }), 'groups.create', org.id);
    const cliBinder = await cliAs(binder.id);
    cliDenied(await cliBinder(['iam', 'rolebinding', 'create', '--email', 'mallory@evil.example', '--role', 'owner', '--parent', org.id, '-y']), 'groups.create');
    assert.deepEqual(await s.store.listPendingBindings({ email: 'mallory@evil.example' }), []);

    const admin = await mk(org.id, 'admin', attackerRule, builtinRoleId('owner'));
    const adminTok = await tokenOf(admin.id);
    const made = await api(s, 'POST', `/iam/v1/rolebindings/${org.id}`, { token: adminTok, body: { email: 'Carol@Example.com', role: builtinRoleId('viewer') } });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.equal(made.body.pending, true);
    assert.equal(made.body.email, 'carol@example.com');
    const ttl = Date.parse(made.body.expiresAt) - Date.parse(made.body.createdAt);
    assert.equal(ttl, 7 * 86400 * 1000, 'the default invitation lifetime is 7 days');

    const listed = await api(s, 'GET', `/iam/v1/rolebindings?uidp.descendantsOf=${org.id}`, { token: adminTok });
    const inv = listed.body.items.find((b: { id: string }) => b.id === made.body.id);
    assert.ok(inv, 'the invitation is listed with the bindings');
    assert.equal(inv.pending, true);
    assert.equal(inv.email, 'carol@example.com');
    assert.equal(inv.roleName, 'viewer');
    const one = await api(s, 'GET', `/iam/v1/rolebindings/${made.body.id}`, { token: adminTok });
    assert.equal(one.status, 200);
    assert.equal(one.body.email, 'carol@example.com');

    const cli = await cliAs(admin.id);
    const list = await cli(['iam', 'rolebinding', 'list', '--parent', org.id]);
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`${made.body.id.replace(/\//g, '\\/')} +carol@example\\.com +viewer +${org.id} +pending until `));
    const del = await cli(['iam', 'rolebinding', 'delete', made.body.id, '-y']);
    assert.equal(del.status, 0, del.stderr);
    assert.equal((await api(s, 'GET', `/iam/v1/rolebindings/${made.body.id}`, { token: adminTok })).status, 404);
    assert.deepEqual(await s.store.listPendingBindings({ email: 'carol@example.com' }), []);

    const audit = await api(s, 'GET', `/iam/v1/audit?group=${org.id}`, { token: adminTok });
    const actions = audit.body.items.filter((e: { target: string }) => e.target === made.body.id).map((e: { action: string }) => e.action);
    assert.deepEqual(actions, ['invitation.delete', 'invitation.create']);
  });
});
