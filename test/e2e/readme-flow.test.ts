// The README's flow, run as written against `latchkey serve --dev`: its id.json, step 2's
// commands and step 3's by-hand curl pipeline for the dev server, through bash with curl and
// jq. The only change made to the README's text is the two addresses (the test's server
// listens on free ports, not 8080 and 8081). Then the `export` lines `serve --dev` prints,
// with Debian's AWS CLI: `aws sts get-caller-identity`, the seed's first step.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { builtBinary } from '../cli/support/cli-binary.js';

const README = readFileSync(resolve('README.md'), 'utf8');

/** The first fenced block of `lang` after `marker` in the README. */
function blockAfter(marker: string, lang: string): string {
  const at = README.indexOf(marker);
  assert.ok(at >= 0, `README has no "${marker}"`);
  const m = new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(README.slice(at));
  assert.ok(m, `no ${lang} block after "${marker}"`);
  return m[1]!;
}

interface Shell {
  home: string;
  env: Record<string, string>;
}

/** A user's shell: HOME of its own, `latchkey` on PATH, no AWS settings of the caller's. */
function shell(): Shell {
  const home = mkdtempSync(join(tmpdir(), 'latchkey-readme-'));
  const bin = join(home, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'latchkey'), `#!/bin/sh\nexec "${process.execPath}" "${builtBinary()}" "$@"\n`, { mode: 0o755 });
  return {
    home,
    env: {
      PATH: `${bin}:/usr/local/bin:/usr/bin:/bin`, HOME: home,
      XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache'),
      AWS_CONFIG_FILE: join(home, 'no-aws-config'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-aws-credentials'),
      NO_PROXY: '*',
    },
  };
}

function bash(s: Shell, script: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn('bash', ['-c', `set -euo pipefail\ncd "$HOME"\n${script}`], { env: s.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.stdin.end();
    const timer = setTimeout(() => child.kill(), 120_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      done({ status, stdout, stderr });
    });
  });
}

describe('the README against latchkey serve --dev', () => {
  let server: ChildProcess;
  let banner = '';
  let api = '';
  let emulator = '';
  let identity = '';
  const user = shell();

  before(async () => {
    const data = mkdtempSync(join(tmpdir(), 'latchkey-readme-server-'));
    server = spawn(process.execPath, [builtBinary(), 'serve', '--dev', '--port', '0', '--dev-aws-port', '0'], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: data, XDG_DATA_HOME: data },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    await new Promise<void>((ready, fail) => {
      const timer = setTimeout(() => fail(new Error(`latchkey serve --dev did not start:\n${banner}`)), 60_000);
      server.stderr!.on('data', (d: Buffer) => {
        banner += d.toString();
        const a = /dev server at http:\/\/([\d.:]+)/.exec(banner);
        const e = /AWS emulator at http:\/\/([\d.:]+)/.exec(banner);
        if (a && e && banner.includes('(plain http')) {
          [api, emulator] = [a[1]!, e[1]!];
          clearTimeout(timer);
          ready();
        }
      });
      server.on('exit', (code) => fail(new Error(`latchkey serve --dev exited (${code}):\n${banner}`)));
    });
  });

  after(() => {
    server?.kill();
  });

  /** The README's text with the dev server's two default addresses replaced by the test's. */
  const here = (text: string): string => text.replaceAll('127.0.0.1:8080', api).replaceAll('127.0.0.1:8081', emulator);

  it('steps 1 to 3: id.json, the owner\'s commands, the dev pipeline, exactly as written', async () => {
    assert.notEqual(api, '127.0.0.1:8080'); // the substitution below is real
    writeFileSync(join(user.home, 'id.json'), blockAfter('**1. Describe the AWS workload**', 'json'));
    const step2 = blockAfter('**2. Create the identity', 'sh');
    const pipeline = blockAfter('<!-- dev-pipeline', 'sh');
    assert.match(pipeline, /--connect-to sts\.amazonaws\.com:80:127\.0\.0\.1:8081/);
    assert.doesNotMatch(pipeline, /169\.254\.169\.254|https:\/\/sts/);
    const r = await bash(user, `latchkey config set platform.api http://${api}\n${step2}\n${here(pipeline)}\necho "LATCHKEY_IDENTITY=$LATCHKEY_IDENTITY"`);
    assert.equal(r.status, 0, r.stderr);
    identity = /^LATCHKEY_IDENTITY=([0-9a-f]{40}\/[0-9a-f]{16})$/m.exec(r.stdout)?.[1] ?? '';
    assert.ok(identity, r.stdout);
    assert.match(r.stdout, new RegExp(`^${identity} +aws-instance +aws`, 'm'));
    assert.match(r.stdout, new RegExp(`Successfully exchanged token\\.\\nValid! Id: ${identity}\\n`));
  });

  it('a token bound to another audience is refused with the audience the server expects', async () => {
    assert.ok(identity, 'the first test found no identity');
    const wrong = here(blockAfter('<!-- dev-pipeline', 'sh')).replace(`Chainguard-Audience: http://${api}`, 'Chainguard-Audience: https://elsewhere.example');
    assert.match(wrong, /elsewhere/);
    const r = await bash(user, `export LATCHKEY_IDENTITY=${identity}\n${wrong}`);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`audience header does not name this issuer: sign Chainguard-Audience: http://${api.replace(/\./g, '\\.')} \\(AWS_TOKEN_AUDIENCE_MISMATCH\\)`));
  });

  it('serve --dev prints the README\'s curl line for its emulator, to the character', () => {
    const printed = /^ {2}(TOK=\$\(curl .*)$/m.exec(banner)?.[1];
    assert.ok(printed, banner);
    const readme = /^TOK=\$\(curl .*--connect-to.*$/m.exec(blockAfter('<!-- dev-pipeline', 'sh'))![0];
    assert.equal(printed, here(readme));
  });

  it('the printed export lines make Debian\'s AWS CLI answer `aws sts get-caller-identity` from the emulator', async (t) => {
    if (!existsSync('/usr/bin/aws')) return t.skip('/usr/bin/aws is missing: scripts/test.sh installs Debian\'s awscli');
    const exports = banner.split('\n').filter((l) => l.startsWith('  export ')).map((l) => l.trim());
    assert.deepEqual(exports.map((l) => l.split('=')[0]), [
      'export AWS_EC2_METADATA_SERVICE_ENDPOINT', 'export AWS_ENDPOINT_URL_STS', 'export AWS_DATA_PATH', 'export AWS_REGION',
    ]);
    const s = shell();
    const r = await bash(s, `${exports.join('\n')}\n/usr/bin/aws sts get-caller-identity --output json`);
    assert.equal(r.status, 0, r.stderr);
    const who = JSON.parse(r.stdout) as { Account: string; Arn: string; UserId: string };
    assert.equal(who.Account, '123456789012');
    assert.equal(who.Arn, 'arn:aws:sts::123456789012:assumed-role/latchkey-dev-role/i-0123456789abcdef0');
    assert.match(who.UserId, /^AROA[A-Z0-9]+:i-0123456789abcdef0$/);
    // The same lines serve latchkey's own AWS login (the AWS SDK for JavaScript's chain).
    assert.ok(identity, 'the first test found no identity');
    const login = await bash(s, `${exports.join('\n')}\nlatchkey auth login --api http://${api} --identity ${identity} --identity-provider aws`);
    assert.equal(login.status, 0, login.stderr);
    assert.equal(login.stdout, `Successfully exchanged token.\nValid! Id: ${identity}\n`);
  });
});
