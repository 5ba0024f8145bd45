// The settings declaration: validation at start-up, and docs generated from it are current.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { it } from 'node:test';
import { ConfigError, loadServerConfig } from '../src/config/index.js';

it('resolves flag over env over default, and derives the issuer and database', () => {
  const c = loadServerConfig({ port: '9090' }, { LATCHKEY_PORT: '7070', LATCHKEY_LOG_LEVEL: 'debug', XDG_DATA_HOME: '/tmp/xdg' });
  assert.equal(c.port, 9090);
  assert.equal(c.logLevel, 'debug');
  assert.equal(c.issuerUrl, 'http://127.0.0.1:9090');
  assert.equal(c.apiAudience, c.issuerUrl);
  assert.equal(c.database, '/tmp/xdg/latchkey/latchkey.db');
});

it('refuses bad values with a message naming the setting', () => {
  const bad: Array<[Record<string, string>, Record<string, string>, RegExp]> = [
    [{ port: '99999' }, {}, /--port.*out of range/],
    [{}, { LATCHKEY_TOKEN_TTL: '2h' }, /LATCHKEY_TOKEN_TTL.*out of range/],
    [{}, { LATCHKEY_AWS_PARTITIONS: 'aws,mars' }, /"mars" is not one of/],
    [{ issuerUrl: 'http://issuer.example.com' }, {}, /https/],
    [{ host: '0.0.0.0', dev: 'true' }, {}, /loopback/],
    [{ stsEndpoints: 'nonsense' }, {}, /HOST=URL/],
    [{ keyPublishAhead: '0' }, {}, /--key-publish-ahead 0s is unsafe: relying parties may cache the JWKS for 300s.*at least 360s/],
    [{}, { LATCHKEY_KEY_PUBLISH_AHEAD: '5m' }, /--key-publish-ahead 300s is unsafe.*at least 360s/],
  ];
  for (const [flags, env, msg] of bad) {
    assert.throws(() => loadServerConfig(flags, env), (e: Error) => e instanceof ConfigError && msg.test(e.message), JSON.stringify([flags, env]));
  }
});

it('accepts the shortest safe publish-ahead, and the default', () => {
  assert.equal(loadServerConfig({ keyPublishAhead: '6m' }, {}).keyPublishAhead, 360);
  assert.equal(loadServerConfig({}, {}).keyPublishAhead, 3600);
});

it('keeps docs/configuration.md generated from the declaration', () => {
  const r = spawnSync(process.execPath, ['scripts/gen-config-docs.mjs', '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});
