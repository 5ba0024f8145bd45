// Runs the built `latchkey` binary (bin/latchkey.cjs → dist/) in a sandboxed HOME.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const BIN = resolve('bin/latchkey.cjs');

/** Fails clearly when the bundle is missing (scripts/test.sh builds before testing). */
export function requireBuilt(): void {
  if (!existsSync(resolve('dist/latchkey.mjs'))) throw new Error('dist/ is missing: run `npm run build` (scripts/test.sh does) before the end-to-end tests');
}

/** A fresh HOME with XDG dirs inside it, and no inherited LATCHKEY_* or AWS_* settings. */
export function sandboxEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), 'latchkey-home-'));
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(LATCHKEY_|AWS_|XDG_)/.test(k)) env[k] = v;
  return {
    ...env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache'),
    XDG_DATA_HOME: join(home, '.local/share'), NO_COLOR: '1', AWS_EC2_METADATA_DISABLED: 'true', ...extra,
  };
}

export interface RunningServer {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  /** Resolves once stderr matches (stdout and stderr are separate pipes: no ordering). */
  waitForStderr(re: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `latchkey serve ARGS` and resolves once it logs its address (bounded wait). */
export function startServe(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 20_000): Promise<RunningServer> {
  requireBuilt();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not start in ${timeoutMs} ms: ${err}`));
    }, timeoutMs);
    const check = () => {
      for (const line of out.split('\n')) {
        if (!line.includes('latchkey serving')) continue;
        const url = (JSON.parse(line) as { address: string }).address;
        clearTimeout(timer);
        resolvePromise({
          child, url, stdout: () => out, stderr: () => err,
          waitForStderr(re, ms = 10_000) {
            return new Promise((res, rej) => {
              const t = setTimeout(() => rej(new Error(`stderr never matched ${re}: ${err}`)), ms);
              const look = () => {
                if (!re.test(err)) return;
                clearTimeout(t);
                child.stderr!.off('data', look);
                res(err);
              };
              child.stderr!.on('data', look);
              look();
            });
          },
          async stop() {
            child.kill('SIGTERM');
            return exited;
          },
        });
        return;
      }
    };
    child.stdout!.on('data', (c: Buffer) => { out += c.toString(); check(); });
    child.stderr!.on('data', (c: Buffer) => { err += c.toString(); });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}: ${err}`));
    });
  });
}

/** Runs the binary to completion. */
export function runLatchkey(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  requireBuilt();
  return new Promise((r) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => { clearTimeout(timer); r({ code, stdout, stderr }); });
    if (child.stdin) child.stdin.end(input);
  });
}
