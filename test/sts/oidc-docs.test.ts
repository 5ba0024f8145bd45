// docs/oidc-workloads.md lists every refusal of the OpenID Connect path with its status, as the
// one error table has it; docs/api.md documents every rule field the writer accepts.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { statusOf } from '../../src/http/error-table.js';
import { STS_ERROR_STATUS } from '../../src/sts/index.js';
import { TRUST_ERROR_STATUS } from '../../src/trust/index.js';

test('every ID_TOKEN_*, ISSUER_*, STATIC_* and trust code is in docs/oidc-workloads.md with its status', () => {
  const doc = readFileSync(new URL('../../docs/oidc-workloads.md', import.meta.url), 'utf8');
  const codes = [...Object.keys(STS_ERROR_STATUS).filter((c) => /^(ID_TOKEN|ISSUER|STATIC)_/.test(c)), ...Object.keys(TRUST_ERROR_STATUS)];
  assert.ok(codes.length >= 18);
  for (const code of codes) assert.match(doc, new RegExp(`\\| \`${code}\` \\| ${statusOf(code)} \\|`), code);
});

test('docs/api.md names every field of every rule kind', () => {
  const doc = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
  for (const f of ['aws_account', 'arnPattern', 'userIdPattern', 'claimMatch', 'claim_match', 'issuerPattern', 'subjectPattern',
    'audiencePattern', 'claimPatterns', 'claims', 'static', 'issuerKeys', 'issuer_keys', 'expiration', 'relationship', 'act']) {
    assert.ok(doc.includes(`\`${f}\``), f);
  }
});
