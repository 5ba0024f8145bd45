// A "machine" for end-to-end tests through the built binary: a HOME of its own with the XDG
// directories inside it, `latchkey` on PATH, no AWS set-up of the caller's, and bash scripts run
// on it asynchronously (servers and issuers the tests start answer from this very process).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
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
