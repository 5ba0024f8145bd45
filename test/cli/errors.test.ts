// Errors a person can act on: one line, the server's code shown, what to do next; for a
// missing role binding, the exact command an owner can run. Never a token.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ApiClient } from '../../src/cli/api-client.js';
import { CliError, formatError } from '../../src/cli/cli-error.js';
import { createContext } from '../../src/cli/context.js';
import { explainApiError, leastRoleFor } from '../../src/cli/explain-api-error.js';
import { closedUrl } from './support/closed-port.js';
import { testIo } from './support/test-io.js';

const CALLER = 'f1d5337370e7d8e99282c25286804a5b2cfc1682/fc5787bc18e93bea';
const PARENT = '0123456789abcdef0123456789abcdef01234567';

function ctx(verbose = false) {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-err-'));
  const io = testIo({ HOME: dir, XDG_CONFIG_HOME: dir, XDG_CACHE_HOME: dir });
  return { io, ctx: createContext(io, {}, verbose) };
}

describe('errors', () => {
  it('a missing role binding names the binding an owner should create', () => {
    const err = explainApiError({
      status: 403,
      body: { code: 'PERMISSION_DENIED', message: 'not allowed' },
      op: { what: `create identity "x" in ${PARENT}`, capability: 'identity.create', where: PARENT },
      caller: CALLER,
      trace: 'POST http://h/iam/v1/identities/p -> 403',
    });
    assert.equal(formatError(err),
      `latchkey: cannot create identity "x" in ${PARENT} (PERMISSION_DENIED): identity ${CALLER} has no role binding that grants `
      + `identity.create in ${PARENT}; ask an owner to run \`latchkey iam rolebinding create --identity ${CALLER} --role editor --parent ${PARENT}\``);
    assert.deepEqual(err.details, ['POST http://h/iam/v1/identities/p -> 403', 'server: not allowed']);
  });

  it('suggests the least built-in role that grants a capability', () => {
    assert.equal(leastRoleFor('identity.list'), 'viewer');
    assert.equal(leastRoleFor('identity.create'), 'editor');
    assert.equal(leastRoleFor('role_bindings.create'), 'owner');
  });

  it('shows the server\'s code and message, with a next step, on one line', () => {
    const err = explainApiError({ status: 409, body: { code: 'ALREADY_EXISTS', message: 'an identity named "x"\nexists' }, op: { what: 'create identity "x"', resource: 'identities' }, trace: 't' });
    assert.equal(formatError(err), 'latchkey: cannot create identity "x": an identity named "x" exists (ALREADY_EXISTS): pick another name, or change the existing one with `latchkey iam identities update`');
    const auth = explainApiError({ status: 401, body: { code: 'TOKEN_EXPIRED', message: 'expired' }, op: { what: 'list roles' }, trace: 't' });
    assert.match(formatError(auth), /\(TOKEN_EXPIRED\): log in again with `latchkey auth login`/);
    const aws = explainApiError({ status: 401, body: { code: 'AWS_ARN_MISMATCH', message: 'Arn does not match the identity\'s arnPattern' }, op: { what: 'exchange the token' }, trace: 't' });
    assert.match(formatError(aws), /\(AWS_ARN_MISMATCH\): the AWS caller .* does not match the identity's AWS rule/);
    const html = explainApiError({ status: 502, body: undefined, op: { what: 'list roles' }, trace: 't' });
    assert.equal(formatError(html), 'latchkey: cannot list roles (HTTP_502): the server failed; try again, and tell its operator if it persists');
  });

  it('cannot reach the API: says where it looked and how to point it elsewhere', async () => {
    const { ctx: c } = ctx();
    const base = await closedUrl();
    const client = new ApiClient(c, { base, server: 'api' });
    await assert.rejects(client.get('/iam/v1/groups', {}, { what: 'list' }), (err: CliError) => {
      assert.equal(formatError(err).split('\n').length, 1);
      assert.ok(formatError(err).startsWith(`latchkey: cannot reach the Latchkey API at ${base}: `));
      assert.match(formatError(err), /ECONNREFUSED.*: is `latchkey serve` running\? set its URL with `latchkey config set platform\.api URL`$/);
      return true;
    });
  });

  it('-v traces method, URL and status, never the bearer token', async () => {
    const s = createServer((req, res) => {
      res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'PERMISSION_DENIED', message: 'no' }));
    });
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    try {
      const { io, ctx: c } = ctx(true);
      const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
      const client = new ApiClient(c, { base: url, server: 'api', token: async () => 'SECRET-TOKEN', caller: CALLER });
      const err = await client.get('/iam/v1/groups', { name: 'a b' }, { what: 'list groups' }).catch((e: CliError) => e);
      assert.ok(err instanceof CliError);
      assert.match(io.err(), new RegExp(`^> GET ${url}/iam/v1/groups\\?name=a\\+b\\n< 403 Forbidden \\(\\d+ ms\\)\\n$`));
      assert.doesNotMatch(io.err() + formatError(err) + err.details.join('\n'), /SECRET-TOKEN/);
    } finally {
      s.close();
    }
  });

  it('an unexpected error is still one line', () => {
    assert.equal(formatError(new Error('boom\nat x')), 'latchkey: unexpected error: boom at x (run with -v for details)');
  });
});
