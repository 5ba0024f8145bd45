// The registry context's parsers of attacker bytes (scopes, credentials) and the libtrust key ID.
// Key ID vector: a P-256 key made with `openssl ecparam -name prime256v1 -genkey`, its ID
// computed with `openssl pkey -pubin -outform DER | openssl dgst -sha256 -binary | head -c 30 | base32`.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { libtrustKeyId, parseCredentials, parseScopes } from '../../src/registry/index.js';

const isCode = (code: string) => (err: unknown) => (err as { code?: string }).code === code;

describe('registry parsers', () => {
  it('libtrust key ID: SHA-256 of the SPKI, 240 bits, base32, groups of four', () => {
    const jwk = { kty: 'EC', crv: 'P-256', x: '71bvvwZK_x6jdTNVQlWn7IKL3d56L2y3z5DQkpeA-5Q', y: '9slzYfCSGOh22J46AreGzjS0JyWr7vlJ7NNgU2AbGSE' };
    assert.equal(libtrustKeyId(jwk), 'EFF7:Y4AK:5SEU:AGRC:JAJX:NP5E:TAY5:NVOW:RTDQ:WT3T:JG74:BBYS');
  });

  it('scopes: repositories with actions, several per parameter, the catalog', () => {
    assert.deepEqual(parseScopes(['repository:acme/team-a/app:pull,push', 'repository:acme/app:pull registry:catalog:*']), [
      { type: 'repository', name: 'acme/team-a/app', actions: ['pull', 'push'] },
      { type: 'repository', name: 'acme/app', actions: ['pull'] },
      { type: 'registry', name: 'catalog', actions: ['*'] },
    ]);
    assert.deepEqual(parseScopes(['repository(plugin):a/b:pull,pull']), [{ type: 'repository', name: 'a/b', actions: ['pull'] }]);
    assert.deepEqual(parseScopes([]), []);
  });

  it('scopes: refuses what is not a scope, with REGISTRY_BAD_REQUEST', () => {
    for (const bad of ['repository:Acme/app:pull', 'repository:acme/app:steal', 'repository:acme//app:pull', 'repository:acme/app',
      'user:acme/app:pull', `repository:${'a/'.repeat(200)}b:pull`, 'repository:acme/../app:pull', 'repository:acme/app:pull:push']) {
      assert.throws(() => parseScopes([bad]), isCode('REGISTRY_BAD_REQUEST'), bad);
    }
    assert.throws(() => parseScopes([Array.from({ length: 17 }, (_, i) => `repository:a/r${i}:pull`).join(' ')]), isCode('REGISTRY_BAD_REQUEST'));
  });

  it('credentials: Basic _token, Basic pull token, Bearer; refuses malformed headers', () => {
    const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;
    assert.equal(parseCredentials(undefined), undefined);
    assert.deepEqual(parseCredentials(basic('_token:eyJ.a.b')), { kind: 'latchkey', token: 'eyJ.a.b' });
    assert.deepEqual(parseCredentials('Bearer eyJ.a.b'), { kind: 'latchkey', token: 'eyJ.a.b' });
    assert.deepEqual(parseCredentials(basic('abc/def:s3cr:et')), { kind: 'pull_token', username: 'abc/def', secret: 's3cr:et' });
    for (const bad of ['Basic', 'Digest abc', basic('nopassword'), basic(':x'), basic('_token:'), 'Basic !!!', `Bearer ${'a'.repeat(9000)}`]) {
      assert.throws(() => parseCredentials(bad), isCode('REGISTRY_BAD_REQUEST'), bad);
    }
  });
});
