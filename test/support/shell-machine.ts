// A "machine" for end-to-end tests through the built binary: a HOME of its own with the XDG
// directories inside it, `latchkey` on PATH, no AWS set-up of the caller's, and bash scripts run
// on it asynchronously (servers and issuers the tests start answer from this very process).

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtBinary } from '../cli/support/cli-binary.js';

export interface Machine {
  home: string;
  env: Record<string, string>;
}

export interface ShellResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function machine(prefix: string, extra: Record<string, string> = {}): Machine {
  const home = mkdtempSync(join(tmpdir(), `latchkey-${prefix}-`));
  const bin = join(home, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'latchkey'), `#!/bin/sh\nexec "${process.execPath}" "${builtBinary()}" "$@"\n`, { mode: 0o755 });
  return {
    home,
    env: {
      PATH: `${bin}:/usr/local/bin:/usr/bin:/bin`,
      HOME: home,
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_CACHE_HOME: join(home, 'cache'),
      AWS_CONFIG_FILE: join(home, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-aws-credentials'),
      NO_PROXY: '*',
      ...extra,
    },
  };
}

/** Runs a bash script (set -euo pipefail, in $HOME) on a machine; resolves with its output. */
export function sh(m: Machine, script: string, env: Record<string, string> = {}): Promise<ShellResult> {
  return new Promise((done) => {
    const child = spawn('bash', ['-c', `set -euo pipefail\ncd "$HOME"\n${script}`], { env: { ...m.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.stdin.end();
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

/** The script's stdout, after asserting it exited 0. */
export function ok(r: ShellResult, what: string): string {
  assert.equal(r.status, 0, `${what} failed:\n${r.stderr}`);
  return r.stdout;
}

export interface DevServer {
  child: ChildProcess;
  /** The API's URL and the AWS emulator's, as the banner printed them. */
  api: string;
  emulator: string;
}

/** Starts the built `latchkey serve --dev --port 0` in a data dir of its own; resolves once its banner names both addresses. */
export function startDevServer(prefix: string): Promise<DevServer> {
  const data = mkdtempSync(join(tmpdir(), `latchkey-${prefix}-server-`));
  const child = spawn(process.execPath, [builtBinary(), 'serve', '--dev', '--port', '0'], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: data, XDG_DATA_HOME: data },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let banner = '';
  return new Promise((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`latchkey serve --dev did not start:\n${banner}`)), 60_000);
    child.stderr!.on('data', (d: Buffer) => {
      banner += d.toString();
      const a = /dev server at (http:\/\/[\d.:]+)/.exec(banner);
      const e = /AWS emulator at (http:\/\/[\d.:]+)/.exec(banner);
      if (a && e) {
        clearTimeout(timer);
        ready({ child, api: a[1]!, emulator: e[1]! });
      }
    });
    child.on('exit', (code) => fail(new Error(`latchkey serve --dev exited (${code}):\n${banner}`)));
  });
}
