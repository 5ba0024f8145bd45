// `latchkey auth configure-docker` and docker-credential-latchkey, run as a user runs them:
// where the files go (DOCKER_CONFIG, REGISTRY_AUTH_FILE, XDG_RUNTIME_DIR), that every other
// entry is kept, that a broken file is left alone, and the helper protocol's other actions.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { builtBinary, latchkey, tempHome } from './support/cli-binary.js';

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

describe('latchkey auth configure-docker', () => {
  it('adds the helper to ~/.docker/config.json and $XDG_RUNTIME_DIR/containers/auth.json, keeping every other entry', () => {
    const { dir, env } = tempHome();
    const run = join(dir, 'run');
    mkdirSync(join(dir, '.docker'), { recursive: true });
    writeFileSync(join(dir, '.docker', 'config.json'), JSON.stringify({
      auths: { 'ghcr.io': { auth: 'dXNlcjpwYXNz' } }, credHelpers: { 'gcr.io': 'gcloud' }, psFormat: 'table',
    }), { mode: 0o640 });
    const r = latchkey(['auth', 'configure-docker', '--registry', 'https://Registry.Example.com:5000/'], { ...env, XDG_RUNTIME_DIR: run });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(readJson(join(dir, '.docker', 'config.json')), {
      auths: { 'ghcr.io': { auth: 'dXNlcjpwYXNz' } },
      credHelpers: { 'gcr.io': 'gcloud', 'registry.example.com:5000': 'latchkey' },
      psFormat: 'table',
    });
    assert.equal(statSync(join(dir, '.docker', 'config.json')).mode & 0o777, 0o640, 'the file keeps its mode');
    assert.deepEqual(readJson(join(run, 'containers', 'auth.json')), { credHelpers: { 'registry.example.com:5000': 'latchkey' } });
    assert.equal(statSync(join(run, 'containers', 'auth.json')).mode & 0o777, 0o600);
    assert.match(r.stderr, /docker-credential-latchkey is not on PATH/);
    // Again: nothing to change.
    const again = latchkey(['auth', 'configure-docker', '--registry', 'registry.example.com:5000'], { ...env, XDG_RUNTIME_DIR: run });
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /Already configured/);
  });

  it('honours DOCKER_CONFIG and REGISTRY_AUTH_FILE; without XDG_RUNTIME_DIR uses $XDG_CONFIG_HOME/containers', () => {
    const { dir, env } = tempHome();
    const docker = join(dir, 'dockercfg');
    const auth = join(dir, 'elsewhere', 'auth.json');
    assert.equal(latchkey(['auth', 'configure-docker', '--registry', 'r.example'], { ...env, DOCKER_CONFIG: docker, REGISTRY_AUTH_FILE: auth }).status, 0);
    assert.deepEqual(readJson(join(docker, 'config.json')).credHelpers, { 'r.example': 'latchkey' });
    assert.deepEqual(readJson(auth).credHelpers, { 'r.example': 'latchkey' });
    assert.equal(latchkey(['auth', 'configure-docker', '--registry', 'r.example'], env).status, 0);
    assert.deepEqual(readJson(join(env.XDG_CONFIG_HOME!, 'containers', 'auth.json')).credHelpers, { 'r.example': 'latchkey' });
  });

  it('leaves a file that is not a JSON object alone, and refuses a host that is not one', () => {
    const { dir, env } = tempHome();
    mkdirSync(join(dir, '.docker'));
    writeFileSync(join(dir, '.docker', 'config.json'), '{"auths": ');
    const r = latchkey(['auth', 'configure-docker', '--registry', 'r.example'], env);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /is not a JSON object: left unchanged/);
    assert.equal(readFileSync(join(dir, '.docker', 'config.json'), 'utf8'), '{"auths": ');
    const bad = latchkey(['auth', 'configure-docker', '--registry', 'bad host:port'], env);
    assert.equal(bad.status, 2);
    assert.equal(latchkey(['auth', 'configure-docker'], env).status, 2);
  });

  it('docker-credential-latchkey: store and erase do nothing, list prints {}, get without a login says what to do', () => {
    const { env } = tempHome();
    const helper = join(dirname(builtBinary()), 'docker-credential-latchkey.cjs');
    const call = (action: string, input: string) => spawnSync(process.execPath, [helper, action], { env: { PATH: process.env.PATH!, ...env }, input, encoding: 'utf8' });
    assert.equal(call('store', '{"ServerURL":"r.example","Username":"u","Secret":"s"}').status, 0);
    assert.equal(call('erase', 'r.example').status, 0);
    const list = call('list', '');
    assert.equal(list.status, 0);
    assert.equal(list.stdout, '{}\n');
    const get = call('get', 'r.example\n');
    assert.equal(get.status, 1);
    assert.match(get.stderr, /no workload login/);
    assert.equal(get.stdout, '');
  });
});
