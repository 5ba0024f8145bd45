// Runs the built `latchkey` binary the way a user does (node bin/latchkey.cjs), with HOME and
// the XDG directories in a fresh temp dir. scripts/test.sh builds before any test runs; when
// dist/ is missing (a single test file run by hand) it is built here, under a lock. Either
// way the build is copied aside, so nothing that happens to dist/ later can pull it away.
// Tests never rebuild an existing dist/: other test processes may be running it.

import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../../..');
let built: string | undefined;

function withLock<T>(fn: () => T): T {
  const lock = join(ROOT, '.tmp', 'cli-build.lock');
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) rmSync(lock, { recursive: true, force: true });
      spawnSync('sleep', ['0.2']);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Path of a private copy of bin/latchkey.cjs over a fresh build. */
export function builtBinary(): string {
  if (built) return built;
  mkdirSync(join(ROOT, '.tmp'), { recursive: true }); // gitignored: absent on a fresh clone
  const copy = mkdtempSync(join(ROOT, '.tmp', 'cli-bin-'));
  withLock(() => {
    if (!existsSync(join(ROOT, 'dist', 'latchkey.mjs'))) {
      const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`scripts/build.mjs failed:\n${r.stderr}`);
    }
    cpSync(join(ROOT, 'dist'), join(copy, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'bin'), join(copy, 'bin'), { recursive: true });
  });
  process.on('exit', () => rmSync(copy, { recursive: true, force: true }));
  built = join(copy, 'bin', 'latchkey.cjs');
  return built;
}

/** A fresh HOME with XDG_CONFIG_HOME and XDG_CACHE_HOME inside it. */
export function tempHome(): { dir: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-cli-'));
  return { dir, env: { HOME: dir, XDG_CONFIG_HOME: join(dir, 'config'), XDG_CACHE_HOME: join(dir, 'cache') } };
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a run: PATH and the given variables only (no LATCHKEY_* leaks in). */
function cleanEnv(env: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env };
}

/** Runs `latchkey ARGS` synchronously (for commands that talk to no server in this process). */
export function latchkey(args: string[], env: Record<string, string>, input?: string): RunResult {
  const r = spawnSync(process.execPath, [builtBinary(), ...args], { env: cleanEnv(env), encoding: 'utf8', input, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `latchkey ARGS` without blocking the event loop (for a server in this process). */
export function latchkeyAsync(args: string[], env: Record<string, string>, input = ''): Promise<RunResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [builtBinary(), ...args], { env: cleanEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}
