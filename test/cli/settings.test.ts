// Settings: flag over LATCHKEY_* over config.yaml over default, each validated with a message
// naming where the bad value came from; `config set/unset` keep the rest of the file.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CliError } from '../../src/cli/cli-error.js';
import { CLI_SETTINGS, SETTING_KEYS, envNameOf } from '../../src/cli/settings/cli-settings.js';
import { updateConfigFile } from '../../src/cli/settings/config-file.js';
import { loadSettings, resolveSettings } from '../../src/cli/settings/load-settings.js';
import { configCacheFile, configFilePath, tokenCacheDir } from '../../src/cli/settings/paths.js';

function home(configYaml?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-settings-'));
  const env = { HOME: dir, XDG_CONFIG_HOME: join(dir, 'config'), XDG_CACHE_HOME: join(dir, 'cache') };
  if (configYaml !== undefined) {
    mkdirSync(join(dir, 'config', 'latchkey'), { recursive: true });
    writeFileSync(join(dir, 'config', 'latchkey', 'config.yaml'), configYaml);
  }
  return { dir, env };
}

describe('settings', () => {
  it('defaults: the local dev server, issuer = API', async () => {
    const { dir, env } = home();
    const s = await loadSettings({ env, flags: {} });
    assert.equal(s.api, 'http://127.0.0.1:8080');
    assert.equal(s.issuer, 'http://127.0.0.1:8080');
    assert.equal(s.audience, undefined);
    assert.equal(s.authMode, 'browser');
    assert.equal(s.refreshMargin, 60);
    assert.equal(s.defaultOutput, 'table');
    assert.equal(s.configPath, join(dir, 'config', 'latchkey', 'config.yaml'));
    assert.equal(s.cacheDir, join(dir, 'cache', 'latchkey', 'tokens'));
  });

  it('derives each LATCHKEY_* name from the key', () => {
    assert.equal(envNameOf('platform.api'), 'LATCHKEY_PLATFORM_API');
    assert.equal(envNameOf('auth.mode'), 'LATCHKEY_AUTH_MODE');
    assert.equal(envNameOf('auth.refresh-margin'), 'LATCHKEY_AUTH_REFRESH_MARGIN');
    assert.equal(envNameOf('default.group'), 'LATCHKEY_DEFAULT_GROUP');
    assert.deepEqual(SETTING_KEYS, Object.values(CLI_SETTINGS).map((s) => s.key));
  });

  it('takes the flag over the environment over the file', async () => {
    const { env } = home('platform:\n  api: http://file:1\n  issuer: http://file-issuer:1\nauth:\n  mode: headless\ndefault:\n  group: acme\n');
    let s = await loadSettings({ env, flags: {} });
    assert.deepEqual([s.api, s.issuer, s.authMode, s.defaultGroup], ['http://file:1', 'http://file-issuer:1', 'headless', 'acme']);
    s = await loadSettings({ env: { ...env, LATCHKEY_PLATFORM_API: 'http://env:2/', LATCHKEY_AUTH_MODE: 'browser' }, flags: {} });
    assert.deepEqual([s.api, s.authMode], ['http://env:2', 'browser']);
    s = await loadSettings({ env: { ...env, LATCHKEY_PLATFORM_API: 'http://env:2' }, flags: { api: 'http://flag:3' } });
    assert.equal(s.api, 'http://flag:3');
    const { values } = await resolveSettings({ env: { ...env, LATCHKEY_DEFAULT_OUTPUT: 'json' }, flags: { api: 'http://flag:3' } });
    const by = new Map(values.map((v) => [v.key, v]));
    assert.equal(by.get('platform.api')!.origin, '--api');
    assert.equal(by.get('default.output')!.origin, 'LATCHKEY_DEFAULT_OUTPUT');
    assert.equal(by.get('auth.mode')!.source, 'file');
    assert.equal(by.get('auth.refresh-margin')!.source, 'default');
  });

  it('uses --config, then LATCHKEY_CONFIG, then XDG_CONFIG_HOME', () => {
    const env = { HOME: '/h', XDG_CONFIG_HOME: '/x' };
    assert.equal(configFilePath(env), '/x/latchkey/config.yaml');
    assert.equal(configFilePath({ HOME: '/h' }).endsWith('/.config/latchkey/config.yaml'), true);
    assert.equal(configFilePath({ ...env, LATCHKEY_CONFIG: '/e.yaml' }), '/e.yaml');
    assert.equal(configFilePath({ ...env, LATCHKEY_CONFIG: '/e.yaml' }, '/f.yaml'), '/f.yaml');
    assert.equal(tokenCacheDir({ XDG_CACHE_HOME: '/c' }), '/c/latchkey/tokens');
  });

  it('names the source of a bad value and how to fix it', async () => {
    const { env } = home('platform:\n  api: ftp://nope\n');
    await assert.rejects(loadSettings({ env, flags: {} }), (err: CliError) => {
      assert.equal(err.code, 'CONFIG_INVALID');
      assert.match(err.message, /invalid platform\.api \(from .*config\.yaml\): "ftp:\/\/nope" must be an http/);
      assert.match(err.hint!, /latchkey config set platform\.api URL/);
      return true;
    });
    await assert.rejects(loadSettings({ env: { ...home().env, LATCHKEY_AUTH_REFRESH_MARGIN: '-5' }, flags: {} }),
      /invalid auth\.refresh-margin \(from LATCHKEY_AUTH_REFRESH_MARGIN\)/);
    await assert.rejects(loadSettings({ env: home('platform: [1, 2').env, flags: {} }), /is not valid YAML/);
  });

  it('config set/unset edit one key and keep comments and other keys', async () => {
    const { dir, env } = home('# my settings\nplatform:\n  api: http://keep:1 # the API\n');
    const path = configFilePath(env);
    await updateConfigFile(path, 'auth.mode', 'headless');
    assert.equal(readFileSync(path, 'utf8'), '# my settings\nplatform:\n  api: http://keep:1 # the API\nauth:\n  mode: headless\n');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    await updateConfigFile(path, 'auth.mode', undefined);
    assert.equal(readFileSync(path, 'utf8'), '# my settings\nplatform:\n  api: http://keep:1 # the API\n');
    // A first `set` creates the file (and its directory).
    const fresh = configFilePath(home().env);
    await updateConfigFile(fresh, 'default.group', 'acme');
    assert.equal(readFileSync(fresh, 'utf8'), 'default:\n  group: acme\n');
    assert.ok(dir);
  });

  it('config.yaml is parsed once per content: the values are cached with the text they came from, 0600', async () => {
    const { env } = home('platform:\n  api: http://file:1 # a comment\n');
    const cache = configCacheFile(env);
    assert.equal((await loadSettings({ env, flags: {} })).api, 'http://file:1');
    assert.equal(statSync(cache).mode & 0o777, 0o600);
    const entry = JSON.parse(readFileSync(cache, 'utf8'));
    assert.deepEqual(entry.values, [['platform.api', 'http://file:1']]);
    // The cached values are what a later run uses for the same bytes (shown by altering them) ...
    writeFileSync(cache, JSON.stringify({ ...entry, values: [['platform.api', 'http://from-cache:2']] }));
    assert.equal((await loadSettings({ env, flags: {} })).api, 'http://from-cache:2');
    // ... and any change to the file, even a comment, is parsed again.
    writeFileSync(configFilePath(env), 'platform:\n  api: http://file:1 # another comment\n');
    assert.equal((await loadSettings({ env, flags: {} })).api, 'http://file:1');
    assert.equal(JSON.parse(readFileSync(cache, 'utf8')).text, 'platform:\n  api: http://file:1 # another comment\n');
    // A cache entry of the wrong shape is ignored.
    writeFileSync(cache, JSON.stringify({ version: 1, text: JSON.parse(readFileSync(cache, 'utf8')).text, values: [['platform.api', 2]] }));
    assert.equal((await loadSettings({ env, flags: {} })).api, 'http://file:1');
  });

  it('a config.yaml that does not parse is reported every time and never cached', async () => {
    const { env } = home('platform: [unclosed\n');
    for (let i = 0; i < 2; i++) {
      await assert.rejects(loadSettings({ env, flags: {} }), (e: unknown) => e instanceof CliError && e.code === 'CONFIG_INVALID' && /not valid YAML/.test(e.message));
    }
    assert.throws(() => statSync(configCacheFile(env)), /ENOENT/);
    // Values that do not validate are cached as parsed, and still refused on every run.
    writeFileSync(configFilePath(env), 'platform:\n  api: nope\n');
    for (let i = 0; i < 2; i++) {
      await assert.rejects(loadSettings({ env, flags: {} }), (e: unknown) => e instanceof CliError && /invalid platform\.api \(from .*config\.yaml\)/.test(e.message));
    }
  });
});
