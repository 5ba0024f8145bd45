// The OpenID Connect rule bodies the CLI writes: the rule flags (claimMatch, or static with
// --issuer-keys), updates that replace one pair or one claim, and the presets (GitHub, GitLab,
// IAM user) whose anchored, escaped patterns are checked with RE2 as the server evaluates them,
// against real claim values and near misses. Every body the CLI writes is accepted by the server's
// rule writer without a warning.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RE2JS } from 're2js';
import { CommandInput, type FlagValue } from '../../src/cli/command-input.js';
import { awsUserRule, createBodyFromInput } from '../../src/cli/identity-body.js';
import { applyOidcRuleChanges, githubRule, gitlabRule } from '../../src/cli/oidc-identity-body.js';
import { compileAwsRule, compileClaimMatchRule, compileStaticRule } from '../../src/trust/index.js';

const input = (args: string[], flags: Record<string, FlagValue>) => new CommandInput('iam identities create', args, flags);
const full = (p: string, v: string) => RE2JS.compile(p).matches(v);

describe('OpenID Connect identity bodies', () => {
  it('the rule flags make a claimMatch body, or a static one with --issuer-keys', async () => {
    const body = await createBodyFromInput(input(['ci'], {
      'identity-issuer': 'https://token.actions.githubusercontent.com', 'subject-pattern': '^repo:o/r:.*$',
      claim: ['ref:refs/heads/main'], 'claim-pattern': ['repository_id:^42$', 'event_name:^(push|workflow_dispatch)$'],
    }));
    assert.deepEqual(body, {
      name: 'ci',
      claimMatch: {
        issuer: 'https://token.actions.githubusercontent.com', subjectPattern: '^repo:o/r:.*$',
        claims: { ref: 'refs/heads/main' }, claimPatterns: { repository_id: '^42$', event_name: '^(push|workflow_dispatch)$' },
      },
    });
    assert.deepEqual(compileClaimMatchRule(body.claimMatch).warnings, []);
    const keys = join(mkdtempSync(join(tmpdir(), 'latchkey-jwks-')), 'jwks.json');
    writeFileSync(keys, JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' }] }));
    const st = await createBodyFromInput(input(['kind'], { 'identity-issuer': 'https://kubernetes.default.svc', subject: 'system:serviceaccount:a:b', 'issuer-keys': keys, expiration: '2027-01-31' }));
    assert.ok(st.static && !st.claimMatch);
    assert.equal(compileStaticRule(st.static, new Date('2026-06-01T00:00:00Z')).rule.expiration, '2027-01-31T00:00:00.000Z');
    await assert.rejects(createBodyFromInput(input(['x'], { subject: 's', 'subject-pattern': 'p' })), /--subject or --subject-pattern, not both/);
    await assert.rejects(createBodyFromInput(input(['x'], { 'claim-pattern': ['noColon'] })), /NAME:PATTERN/);
    await assert.rejects(createBodyFromInput(input(['x'], { 'aws-account': '123456789012', subject: 's' })), /not both/);
  });

  it('an update replaces one pair or one claim, keeping the rest', () => {
    const base = { issuer: 'https://i.example', subject: 'a', claims: { ref: 'main', env: 'prod' }, claimPatterns: { repo: '^o/r$' } };
    assert.deepEqual(applyOidcRuleChanges(base, { subjectPattern: '^a|b$', claimPatterns: { ref: '^refs/tags/.*$' } }), {
      issuer: 'https://i.example', subjectPattern: '^a|b$', claims: { env: 'prod' }, claimPatterns: { repo: '^o/r$', ref: '^refs/tags/.*$' },
    });
  });

  it('the GitHub preset matches its repository and ref only: not a fork, a look-alike or another ref', () => {
    const rule = githubRule({ repo: 'octo-org/app.js', ref: 'refs/heads/main', repoId: '42' });
    assert.deepEqual(compileClaimMatchRule(rule).warnings, []);
    const p = rule.claimPatterns!;
    assert.ok(full(p.repository!, 'octo-org/app.js') && full(p.ref!, 'refs/heads/main') && full(p.repository_id!, '42'));
    for (const other of ['octo-org/appxjs', 'forker/app.js', 'octo-org/app.js-fork', 'Octo-org/app.js']) assert.ok(!full(p.repository!, other), other);
    for (const other of ['refs/heads/main2', 'refs/heads/mainline', 'refs/pull/1/merge']) assert.ok(!full(p.ref!, other), other);
    assert.ok(!full(p.repository_id!, '420'));
    assert.throws(() => githubRule({ repo: 'no-slash' }), /OWNER\/REPO/);
    assert.throws(() => githubRule({ repo: 'o/r', ref: 'main' }), /full ref/);
  });

  it('the GitLab preset matches its project, ref type and ref', () => {
    const rule = gitlabRule({ projectPath: 'group/sub/app', refType: 'tag', ref: 'v1.2' });
    assert.deepEqual(compileClaimMatchRule(rule).warnings, []);
    const p = rule.claimPatterns!;
    assert.ok(full(p.project_path!, 'group/sub/app') && full(p.ref_type!, 'tag') && full(p.ref!, 'v1.2'));
    assert.ok(!full(p.project_path!, 'group/sub/app2') && !full(p.ref!, 'v1x2') && !full(p.ref_type!, 'branch'));
    assert.equal(rule.issuer, 'https://gitlab.com');
  });

  it('create aws user matches that user (with or without a path), never a look-alike or a role', () => {
    const rule = awsUserRule({ account: '123456789012', userName: 'ci.bot' });
    assert.deepEqual(compileAwsRule(rule).warnings, []);
    for (const arn of ['arn:aws:iam::123456789012:user/ci.bot', 'arn:aws:iam::123456789012:user/team/ci.bot']) assert.ok(full(rule.arnPattern!, arn), arn);
    for (const arn of ['arn:aws:iam::123456789012:user/cixbot', 'arn:aws:iam::123456789012:user/ci.bot-admin', 'arn:aws:sts::123456789012:assumed-role/ci.bot/s', 'arn:aws:iam::210987654321:user/ci.bot']) {
      assert.ok(!full(rule.arnPattern!, arn), arn);
    }
    assert.ok(full(rule.userIdPattern!, 'AIDAEXAMPLE123') && !full(rule.userIdPattern!, 'AROAEXAMPLE:s'));
    assert.equal(awsUserRule({ account: '123456789012', userName: 'x', userId: 'AIDAPINNED0001' }).userId, 'AIDAPINNED0001');
    assert.throws(() => awsUserRule({ account: '1234', userName: 'x' }), /12-digit/);
  });
});
