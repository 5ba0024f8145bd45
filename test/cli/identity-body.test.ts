// Identity bodies: the seed's id.json sent as written (its name used when NAME is not given),
// the --aws-* flags, and `create aws role`'s patterns, checked with RE2 (re2js, as the server
// evaluates them) against real GetCallerIdentity answers and near misses.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RE2JS } from 're2js';
import { CommandInput, type FlagValue } from '../../src/cli/command-input.js';
import {
  applyAwsRuleChanges, awsRoleRule, createBodyFromInput, escapeRe2,
} from '../../src/cli/identity-body.js';

const SEED_ID_JSON = {
  name: 'aws-instance',
  awsIdentity: {
    aws_account: '452336408843',
    arnPattern: '^arn:aws:sts::452336408843:assumed-role/access_to_chainguard_org/(.*)$',
    userIdPattern: '^AROAWSUKZ3EFSAMPLE(.*)$',
  },
};

function seedFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'latchkey-id-')), 'id.json');
  writeFileSync(path, JSON.stringify(SEED_ID_JSON, null, 3));
  return path;
}

const input = (args: string[], flags: Record<string, FlagValue>) => new CommandInput('iam identities create aws', args, flags);
const fullMatch = (pattern: string, s: string) => RE2JS.compile(pattern).matches(s);

describe('identity bodies', () => {
  it('sends the seed\'s id.json as written, named by the file unless NAME is given', async () => {
    const file = seedFile();
    assert.deepEqual(await createBodyFromInput(input([], { filename: file })), SEED_ID_JSON);
    const renamed = await createBodyFromInput(input(['other'], { filename: file, description: 'EC2' }));
    assert.equal(renamed.name, 'other');
    assert.equal(renamed.description, 'EC2');
    assert.deepEqual(renamed.awsIdentity, SEED_ID_JSON.awsIdentity);
  });

  it('builds the rule from the --aws-* flags', async () => {
    const body = await createBodyFromInput(input(['ci'], {
      'aws-account': '123456789012', 'aws-arn-pattern': '^arn:aws:sts::123456789012:assumed-role/ci/[^/]+$', 'aws-user-id': 'AROAX:s',
    }));
    assert.deepEqual(body, {
      name: 'ci',
      awsIdentity: { awsAccount: '123456789012', arnPattern: '^arn:aws:sts::123456789012:assumed-role/ci/[^/]+$', userId: 'AROAX:s' },
    });
  });

  it('refuses what cannot be meant', async () => {
    await assert.rejects(createBodyFromInput(input(['x'], {})), /needs --filename FILE or --aws-account/);
    await assert.rejects(createBodyFromInput(input(['x'], { filename: seedFile(), 'aws-account': '123456789012' })), /not both/);
    await assert.rejects(createBodyFromInput(input(['x'], { 'aws-arn': 'a', 'aws-arn-pattern': 'b', 'aws-account': '123456789012' })), /--aws-arn or --aws-arn-pattern, not both/);
    await assert.rejects(createBodyFromInput(input(['x'], { 'aws-account': '12345' })), /12-digit/);
    await assert.rejects(createBodyFromInput(input(['x'], { 'aws-arn': 'arn:aws:iam::1:user/u' })), /need --aws-account/);
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-id-'));
    writeFileSync(join(dir, 'bad.json'), '{"name": ');
    await assert.rejects(createBodyFromInput(input([], { filename: join(dir, 'bad.json') })), /is not valid JSON/);
    writeFileSync(join(dir, 'noaws.json'), '{"name": "n"}');
    await assert.rejects(createBodyFromInput(input([], { filename: join(dir, 'noaws.json') })), /has no "awsIdentity"/);
    writeFileSync(join(dir, 'noname.json'), JSON.stringify({ awsIdentity: SEED_ID_JSON.awsIdentity }));
    await assert.rejects(createBodyFromInput(input([], { filename: join(dir, 'noname.json') })), /needs a name/);
  });

  it('an exact value replaces the pattern of its pair on update, and back', () => {
    const base = { awsAccount: '123456789012', arnPattern: '^a$', userIdPattern: '^u$' };
    assert.deepEqual(applyAwsRuleChanges(base, { arn: 'arn:x' }), { awsAccount: '123456789012', arn: 'arn:x', userIdPattern: '^u$' });
    assert.deepEqual(applyAwsRuleChanges({ awsAccount: '1', userId: 'u' }, { userIdPattern: '^v$' }), { awsAccount: '1', userIdPattern: '^v$' });
  });

  describe('create aws role', () => {
    const rule = awsRoleRule({ account: '452336408843', roleName: 'access_to_chainguard_org' });

    it('matches the sessions of that role (the seed\'s EC2 instance)', () => {
      assert.equal(rule.awsAccount, '452336408843');
      assert.ok(fullMatch(rule.arnPattern!, 'arn:aws:sts::452336408843:assumed-role/access_to_chainguard_org/i-00c1356891csample'));
      assert.ok(fullMatch(rule.userIdPattern!, 'AROAWSUKZ3EFSAMPLE:i-00c1356891csample'));
      assert.ok(fullMatch(rule.arnPattern!, 'arn:aws:sts::452336408843:assumed-role/access_to_chainguard_org/botocore-session-1700000000'));
    });

    it('matches nothing else', () => {
      for (const arn of [
        'arn:aws:sts::452336408843:assumed-role/access_to_chainguard_org-admin/i-0abc',
        'arn:aws:sts::452336408843:assumed-role/access_to_chainguard_org/i-0abc/extra',
        'arn:aws:sts::452336408843:assumed-role/access_to_chainguard_org/',
        'arn:aws:sts::999999999999:assumed-role/access_to_chainguard_org/i-0abc',
        'arn:aws-us-gov:sts::452336408843:assumed-role/access_to_chainguard_org/i-0abc',
        'arn:aws:iam::452336408843:role/access_to_chainguard_org',
        'xarn:aws:sts::452336408843:assumed-role/access_to_chainguard_org/i-0abc',
      ]) assert.equal(fullMatch(rule.arnPattern!, arn), false, arn);
      assert.equal(fullMatch(rule.userIdPattern!, 'AIDAUSERKEY'), false);
      assert.equal(fullMatch(rule.userIdPattern!, 'AIDAUSERKEY:session'), false);
    });

    it('escapes the role name (a "." matches only a ".") and keeps the partition', () => {
      const dotted = awsRoleRule({ account: '123456789012', roleName: 'ci.deploy+x', partition: 'aws-us-gov' });
      assert.equal(dotted.arnPattern, '^arn:aws-us-gov:sts::123456789012:assumed-role/ci\\.deploy\\+x/[\\w+=,.@-]+$');
      assert.ok(fullMatch(dotted.arnPattern!, 'arn:aws-us-gov:sts::123456789012:assumed-role/ci.deploy+x/s'));
      assert.equal(fullMatch(dotted.arnPattern!, 'arn:aws-us-gov:sts::123456789012:assumed-role/ciXdeployyx/s'), false);
      assert.equal(escapeRe2('a.b*c(d)[e]{f}|g^h$i?j\\k'), 'a\\.b\\*c\\(d\\)\\[e\\]\\{f\\}\\|g\\^h\\$i\\?j\\\\k');
    });

    it('with --aws-role-id, only that very role matches', () => {
      const pinned = awsRoleRule({ account: '452336408843', roleName: 'r', roleId: 'AROAWSUKZ3EFSAMPLE' });
      assert.equal(pinned.userIdPattern, '^AROAWSUKZ3EFSAMPLE:[\\w+=,.@-]+$');
      assert.ok(fullMatch(pinned.userIdPattern!, 'AROAWSUKZ3EFSAMPLE:i-00c1356891csample'));
      assert.equal(fullMatch(pinned.userIdPattern!, 'AROAOTHERROLEID:i-00c1356891csample'), false);
    });

    it('refuses malformed accounts, role names and role ids', () => {
      assert.throws(() => awsRoleRule({ account: '12', roleName: 'r' }), /12-digit/);
      assert.throws(() => awsRoleRule({ account: '123456789012', roleName: 'a/b' }), /not an IAM role name/);
      assert.throws(() => awsRoleRule({ account: '123456789012', roleName: 'r', roleId: 'AIDAX' }), /AROA/);
    });
  });
});
