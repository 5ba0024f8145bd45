// The CLI never echoes a token or a header value, whatever goes wrong with it: a token with line
// feeds (base64 without -w0), quoted or split by the shell, with spaces, in a file, empty, or
// sent to a server that is not there; with -v too. Each refusal says what to fix.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { builtBinary, latchkey, tempHome, type RunResult } from './support/cli-binary.js';
import { closedUrl } from './support/closed-port.js';

const IDENTITY = '66fe8510254166621680aeb498b0249b66900d34/335917336625376d';

/** What `base64` without -w0 prints: lines of 76 characters. */
function wrappedToken(): string {
  return randomBytes(300).toString('base64').replace(/.{76}/g, '$&\n').trimEnd();
}

/** No 12 characters in a row of the token appear in anything the CLI printed. */
function assertNotEchoed(r: RunResult, token: string): void {
  const printed = r.stdout + r.stderr;
  const plain = token.replace(/\s/g, '');
  for (let i = 0; i + 12 <= plain.length; i += 6) {
    assert.ok(!printed.includes(plain.slice(i, i + 12)), `the CLI printed part of the token: ${printed}`);
  }
}

describe('the CLI never echoes a token', () => {
  before(() => builtBinary());

  it('a token with line feeds, quoted: says so and how to fix it', () => {
    const token = wrappedToken();
    for (const extra of [[], ['-v']]) {
      const r = latchkey(['auth', 'login', '--identity-token', token, '--identity', IDENTITY, ...extra], tempHome().env);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /^latchkey: the identity token given with --identity-token has line feeds in it: make it on one line with `base64 -w0`/);
      assertNotEchoed(r, token);
    }
  });

  it('a token with line feeds, unquoted (the shell splits it into words): says so', () => {
    const token = wrappedToken();
    const words = token.split('\n');
    for (const extra of [[], ['-v']]) {
      const r = latchkey(['auth', 'login', '--identity-token', ...words, '--identity', IDENTITY, ...extra], tempHome().env);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /^latchkey: the value of --identity-token was split into several words by the shell: it has spaces or line feeds in it: quote it/);
      assertNotEchoed(r, token);
    }
    // Any long stray argument is described, not quoted.
    const stray = latchkey(['auth', 'login', words[1]!], tempHome().env);
    assert.equal(stray.status, 2);
    assert.match(stray.stderr, /unexpected argument of 76 characters for "latchkey auth login"/);
    assertNotEchoed(stray, words[1]!);
  });

  it('a token with spaces, or in a file with line feeds', () => {
    const token = wrappedToken();
    const spaced = latchkey(['auth', 'login', '--identity-token', token.replace(/\n/g, ' '), '--identity', IDENTITY], tempHome().env);
    assert.equal(spaced.status, 1);
    assert.match(spaced.stderr, /has spaces or tabs in it/);
    assertNotEchoed(spaced, token);

    const { dir, env } = tempHome();
    const file = join(dir, 'token.txt');
    writeFileSync(file, `${token}\n`);
    const filed = latchkey(['auth', 'login', '--identity-token', file, '--identity', IDENTITY], env);
    assert.equal(filed.status, 1);
    assert.equal(filed.stderr.split('\n')[0], `latchkey: the identity token in ${file} has line feeds in it: make it on one line with \`base64 -w0\` (plain \`base64\` breaks its output into lines), or remove them with \`tr -d '\\n'\``);
    assertNotEchoed(filed, token);
  });

  it('an empty token says it is empty, whether the shell dropped the word or passed ""', () => {
    const dropped = latchkey(['auth', 'login', '--identity-token', '--identity', IDENTITY], tempHome().env);
    assert.equal(dropped.status, 2);
    assert.match(dropped.stderr, /^latchkey: --identity-token has no value: the word after it is the flag --identity: is the shell variable you gave it empty\?/);
    assert.doesNotMatch(dropped.stderr, /ambiguous/);
    const last = latchkey(['auth', 'login', '--identity', IDENTITY, '--identity-token'], tempHome().env);
    assert.match(last.stderr, /^latchkey: --identity-token needs a value/);
    const empty = latchkey(['auth', 'login', '--identity-token', '', '--identity', IDENTITY], tempHome().env);
    assert.equal(empty.status, 2);
    assert.match(empty.stderr, /^latchkey: --identity-token is empty/);
  });

  it('a well-formed token that cannot be sent anywhere is not printed either, with -v', async () => {
    const token = randomBytes(300).toString('base64');
    const r = latchkey(['auth', 'login', '--identity-token', token, '--identity', IDENTITY, '--api', await closedUrl(), '-v'], tempHome().env);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /cannot reach the Latchkey API at http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED|connect/);
    assert.match(r.stderr, /> POST http:\/\/127\.0\.0\.1:\d+\/sts\/exchange/);
    assertNotEchoed(r, token);
  });
});
