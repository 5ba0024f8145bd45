// Workloads with OpenID Connect tokens, end to end through the built binary against
// `latchkey serve --dev` (a real server process, which fetches discovery and JWKS over loopback
// HTTP only because of --dev): a GitHub Actions-shaped issuer with its token-request endpoint,
// a Kubernetes-shaped projected token file that rotates, and a static identity with no network.

import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { machine as newMachine, ok, sh, startDevServer } from '../support/shell-machine.js';
import { githubClaims, startTestIssuer, type TestIssuer } from '../support/oidc-issuer.js';


function refused(r: { status: number | null; stdout: string; stderr: string }, code: string, what: string): void {
  assert.notEqual(r.status, 0, `${what} should be refused:\n${r.stdout}`);
  assert.match(r.stderr, new RegExp(code), what);
}

describe('OpenID Connect workloads through the binary, against latchkey serve --dev', () => {
  let server: ChildProcess;
  let api = '';
  let parent = '';
  let github: TestIssuer;
  let k8s: TestIssuer;
  const laptop = newMachine('oidc');

  before(async () => {
    github = await startTestIssuer();
    k8s = await startTestIssuer({ path: '/k8s' });
    ({ child: server, api } = await startDevServer('oidc'));
    ok(await sh(laptop, `latchkey config set platform.api ${api}\nlatchkey auth login`), 'login on the laptop');
    parent = ok(await sh(laptop, "latchkey iam org ls -o json | jq -r '.items[0].id'"), 'find the org').trim();
  });

  after(async () => {
    server?.kill();
    await github?.close();
    await k8s?.close();
  });

  async function createAndBind(command: string): Promise<string> {
    const id = ok(await sh(laptop, `${command} --parent ${parent} -oid`), command).trim();
    assert.match(id, /^[0-9a-f]{40}\/[0-9a-f]{16}$/);
    ok(await sh(laptop, `latchkey iam rolebinding create --identity ${id} --role $(latchkey iam roles list --name viewer -oid) --parent ${parent}`), 'bind viewer');
    return id;
  }

  it('GitHub Actions: the preset accepts the right repo and ref, and refuses another repo, another ref, a fork and another audience', async () => {
    const id = await createAndBind(`latchkey iam id create github deployer --github-repo octo/app --github-ref refs/heads/main --github-issuer ${github.url}`);
    const described = JSON.parse(ok(await sh(laptop, `latchkey iam identities describe ${id} -o json`), 'describe'));
    assert.deepEqual(described.claimMatch.claimPatterns, { repository: '^octo/app$', ref: '^refs/heads/main$' });
    const listed = ok(await sh(laptop, `latchkey iam identities list --relationship claim_match -o json | jq -r '.. | objects | .id? // empty'`), 'list --relationship');
    assert.ok(listed.includes(id), listed);
    const awsOnly = ok(await sh(laptop, `latchkey iam identities list --relationship aws -o json | jq -r '.. | objects | .id? // empty'`), 'list --relationship aws');
    assert.ok(!awsOnly.includes(id), awsOnly);

    const ci = newMachine('oidc', { ACTIONS_ID_TOKEN_REQUEST_URL: github.actions.url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: github.actions.token });
    ok(await sh(ci, `latchkey config set platform.api ${api}`), 'config on CI');
    const login = async (extra = '') => sh(ci, `latchkey auth login --identity ${id} --identity-provider github-actions ${extra}`);

    github.actions.claims = githubClaims('octo/app', 'refs/heads/main');
    const out = ok(await login(), 'login from the right repo and ref');
    assert.match(out, new RegExp(`^Successfully exchanged token\\.\\nValid! Id: ${id}\\n`));
    const token = ok(await sh(ci, 'latchkey auth token'), 'auth token').trim();
    assert.deepEqual(decodeJwt(token).act, { iss: github.url, sub: 'repo:octo/app:ref:refs/heads/main' });
    ok(await sh(ci, 'latchkey iam identities list'), 'the token works on the API');

    github.actions.claims = githubClaims('octo/other', 'refs/heads/main');
    refused(await login(), 'ID_TOKEN_CLAIM_MISMATCH', 'another repository');
    github.actions.claims = githubClaims('octo/app', 'refs/heads/dev');
    refused(await login(), 'ID_TOKEN_CLAIM_MISMATCH', 'another ref');
    github.actions.claims = githubClaims('forker/app', 'refs/heads/main', { repository_owner_id: '999', repository_id: '888' });
    refused(await login(), 'ID_TOKEN_CLAIM_MISMATCH', "a fork's token");
    github.actions.claims = githubClaims('octo/app', 'refs/heads/main');
    refused(await login('--identity-token-audience https://elsewhere.example'), 'ID_TOKEN_AUDIENCE_MISMATCH', 'another audience');
  });

  it('Kubernetes: the right service account is accepted, again after the kubelet rotates the token file', async () => {
    const sa = 'system:serviceaccount:ci:builder';
    const id = await createAndBind(`latchkey iam id create builder --identity-issuer ${k8s.url} --subject ${sa}`);
    const pod = newMachine('oidc');
    const path = join(pod.home, 'token');
    ok(await sh(pod, `latchkey config set platform.api ${api}\nlatchkey config set auth.refresh-margin 3600`), 'config in the pod');
    const k8sToken = (sub = sa) => k8s.sign({ sub, aud: api, 'kubernetes.io': { namespace: 'ci', serviceaccount: { name: 'builder' } } });
    writeFileSync(path, `${await k8sToken()}\n`);
    ok(await sh(pod, `latchkey auth login --identity ${id} --identity-provider kubernetes --kubernetes-token-path ${path}`), 'login in the pod');
    const first = ok(await sh(pod, 'latchkey auth token'), 'auth token').trim();

    // The file is read again on every renewal: garbage in it now shows in the renewal...
    writeFileSync(path, 'not-a-token\n');
    const broken = await sh(pod, 'latchkey auth token -v');
    assert.match(broken.stderr, /renewal failed.*the token is not a JWT/, 'the renewal read the file again');
    // ...and once the kubelet has written the next token, renewal works with it.
    writeFileSync(path, `${await k8sToken()}\n`);
    const renewed = ok(await sh(pod, 'latchkey auth token'), 'auth token after rotation').trim();
    assert.notEqual(renewed, first, 'a new token was exchanged');
    assert.deepEqual(decodeJwt(renewed).act, { iss: k8s.url, sub: sa });
    // The file still holds the token just exchanged, and the server accepts each token once: the
    // renewal is refused and says why, and the cached token is used until it expires.
    const stale = await sh(pod, 'latchkey auth token -v');
    assert.equal(stale.status, 0, stale.stderr);
    assert.match(stale.stderr, /renewal failed.*the identity token in \S+ was already used: the server accepts each token once/);
    // A token given on the command line cannot be used twice either; the CLI says how to get a new one.
    const given = await k8sToken();
    ok(await sh(pod, `latchkey auth login --identity ${id} --identity-token ${given}`), 'login with --identity-token');
    const twice = await sh(pod, `latchkey auth login --identity ${id} --identity-token ${given}`);
    refused(twice, 'CREDENTIAL_REPLAYED', 'the same --identity-token again');
    assert.match(twice.stderr, /the identity token given with --identity-token was already used: the server accepts each token once.*get a new token from its issuer/);
    assert.ok(!twice.stderr.includes(given.slice(0, 30)), 'the token is not echoed');
    writeFileSync(path, `${await k8sToken('system:serviceaccount:ci:other')}\n`);
    refused(await sh(pod, `latchkey auth login --identity ${id} --identity-provider kubernetes --kubernetes-token-path ${path}`), 'ID_TOKEN_SUBJECT_MISMATCH', 'another service account');
  });

  it('the other presets and update write what the server accepts', async () => {
    const gl = JSON.parse(ok(await sh(laptop, `latchkey iam id create gitlab release --project-path grp/app --ref-type tag --parent ${parent} -o json`), 'create gitlab'));
    assert.deepEqual(gl.claimMatch, { issuer: 'https://gitlab.com', claimPatterns: { project_path: '^grp/app$', ref_type: '^tag$' } });
    assert.equal(gl.warnings, undefined);
    const user = JSON.parse(ok(await sh(laptop, `latchkey iam id create aws user bot --aws-account-id 123456789012 --aws-user-name ci-bot --parent ${parent} -o json`), 'create aws user'));
    assert.equal(user.awsIdentity.awsAccount, '123456789012');
    assert.match(user.awsIdentity.arnPattern, /^\^arn:aws:iam::123456789012:user\/.*ci-bot\$$/);
    const updated = JSON.parse(ok(await sh(laptop, `latchkey iam identities update ${gl.id} --claim-pattern 'ref:^v[0-9]+$' -o json`), 'update'));
    assert.deepEqual(updated.claimMatch.claimPatterns, { project_path: '^grp/app$', ref_type: '^tag$', ref: '^v[0-9]+$' });
    const warned = await sh(laptop, `latchkey iam id create loose --identity-issuer-pattern '.*' --parent ${parent}`);
    assert.equal(warned.status, 0, warned.stderr);
    assert.match(warned.stderr, /issuerPattern accepts any issuer/, 'the lint warning is shown');
  });

  it('static: works with no network to the issuer, and is refused after its expiration', async () => {
    const issuer = 'https://kubernetes.default.svc.cluster.local';
    writeFileSync(join(laptop.home, 'jwks.json'), JSON.stringify(k8s.jwks()));
    const expiresAt = Date.now() + 12_000;
    const id = await createAndBind(`latchkey iam id create kind-ci --identity-issuer ${issuer} --subject system:serviceaccount:kind:ci --issuer-keys jwks.json --expiration ${new Date(expiresAt).toISOString()}`);
    const described = JSON.parse(ok(await sh(laptop, `latchkey iam identities describe ${id} -o json`), 'describe'));
    assert.equal(described.static.issuer, issuer);
    const pod = newMachine('oidc');
    ok(await sh(pod, `latchkey config set platform.api ${api}`), 'config');
    const tokenFile = join(pod.home, 'token');
    const requestsBefore = k8s.requests.length;
    writeFileSync(tokenFile, await k8s.sign({ iss: issuer, sub: 'system:serviceaccount:kind:ci', aud: api }));
    ok(await sh(pod, `latchkey auth login --identity ${id} --identity-token @${tokenFile}`), 'login with the static identity');
    assert.equal(k8s.requests.length, requestsBefore, 'no request to any issuer');
    await new Promise((r) => setTimeout(r, Math.max(0, expiresAt - Date.now() + 1000)));
    refused(await sh(pod, `latchkey auth login --identity ${id} --identity-token @${tokenFile}`), 'STATIC_IDENTITY_EXPIRED', 'after its expiration');
  });
});
