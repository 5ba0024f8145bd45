// The CLI's loopback listener for the browser login's redirect: one answer, at /callback, with
// this login's state and the issuer's `iss`; anything else ends the login with a clear error.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CliError } from '../../src/cli/cli-error.js';
import { listenForCallback } from '../../src/cli/human-login/loopback-callback.js';

const ISSUER = 'https://latchkey.example.com';

async function answer(query: Record<string, string>, o: { issRequired?: boolean; path?: string } = {}): Promise<{ status: number; code?: string; error?: unknown }> {
  const cb = await listenForCallback({ state: 'the-state', issuer: ISSUER, issRequired: o.issRequired ?? true }, 30_000);
  assert.match(cb.redirectUri, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
  const settled = cb.code.then((code): { code?: string; error?: unknown } => ({ code }), (error: unknown) => ({ error }));
  if (o.path) assert.equal((await fetch(new URL(o.path, cb.redirectUri))).status, 404);
  const res = await fetch(`${cb.redirectUri}?${new URLSearchParams(query)}`);
  await res.text();
  return { status: res.status, ...(await settled) };
}

function refusal(r: { error?: unknown }, serverCode: string, message: RegExp): void {
  assert.ok(r.error instanceof CliError, `expected a CliError, got ${String(r.error)}`);
  assert.equal(r.error.serverCode, serverCode);
  assert.match(r.error.message, message);
}

describe('the CLI\'s loopback callback', () => {
  it('takes the code of an answer with this login\'s state and issuer, ignoring other paths', async () => {
    const r = await answer({ code: 'lkac_x', state: 'the-state', iss: ISSUER }, { path: '/favicon.ico' });
    assert.equal(r.status, 200);
    assert.deepEqual(r, { status: 200, code: 'lkac_x' });
  });

  it('refuses another state', async () => {
    const r = await answer({ code: 'lkac_x', state: 'another', iss: ISSUER });
    assert.equal(r.status, 400);
    refusal(r, 'STATE_MISMATCH', /state this login did not send/);
  });

  it('refuses another issuer, and a missing one when the issuer promises it (RFC 9207)', async () => {
    refusal(await answer({ code: 'lkac_x', state: 'the-state', iss: 'https://evil.example' }), 'ISSUER_MISMATCH', /issuer https:\/\/evil\.example/);
    refusal(await answer({ code: 'lkac_x', state: 'the-state' }), 'ISSUER_MISMATCH', /issuer unnamed/);
    assert.equal((await answer({ code: 'lkac_x', state: 'the-state' }, { issRequired: false })).code, 'lkac_x');
  });

  it('reports the server\'s error answer with its code, in one printable line', async () => {
    const r = await answer({ error: 'access_denied', error_description: 'the ID token was refused\n\u001b[31m', latchkey_code: 'UPSTREAM_ID_TOKEN_INVALID', state: 'the-state', iss: ISSUER });
    refusal(r, 'UPSTREAM_ID_TOKEN_INVALID', /^the login failed: the ID token was refused {2}\[31m$/);
  });
});
