// Child processes of a benchmark: started with their output in files (so the harness spends no
// CPU draining pipes while it measures), waited for with a bounded timeout, and stopped by PID
// — only processes this module started, all of them when the harness exits.

import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Proc {
  name: string;
  pid: number;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<Proc>();

function killAll(): void {
  for (const p of running) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    killAll();
    process.exit(130);
  });
}

export interface StartOptions {
  name: string;
  /** Directory for `<name>.out` (stdout and stderr). */
  logDir: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Resolve once the output matches this; the match is returned. */
  ready: RegExp;
  timeoutMs?: number;
}

/** Starts `file args` and waits (bounded) until its output matches `ready`. */
export async function startProcess(file: string, args: string[], o: StartOptions): Promise<{ proc: Proc; match: RegExpMatchArray }> {
  const outPath = join(o.logDir, `${o.name}.out`);
  const fd = openSync(outPath, 'w');
  const child = spawn(file, args, { env: o.env ?? process.env, cwd: o.cwd, stdio: ['ignore', fd, fd], detached: false });
  closeSync(fd);
  let exited = false;
  const exitPromise = new Promise<void>((r) => child.once('exit', () => {
    exited = true;
    running.delete(proc);
    r();
  }));
  const output = () => {
    try {
      return readFileSync(outPath, 'utf8');
    } catch {
      return '';
    }
  };
  const proc: Proc = {
    name: o.name,
    pid: child.pid!,
    child,
    output,
    async stop(graceMs = 10_000) {
      if (exited) return;
      try {
        process.kill(proc.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
      const timer = setTimeout(() => {
        try {
          process.kill(proc.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, graceMs);
      await exitPromise;
      clearTimeout(timer);
    },
  };
  running.add(proc);
  const deadline = Date.now() + (o.timeoutMs ?? 30_000);
  for (;;) {
    const m = output().match(o.ready);
    if (m) return { proc, match: m };
    if (exited) throw new Error(`${o.name} exited before it was ready:\n${output().slice(-3000)}`);
    if (Date.now() > deadline) {
      await proc.stop(1000);
      throw new Error(`${o.name} was not ready within ${o.timeoutMs ?? 30_000} ms:\n${output().slice(-3000)}`);
    }
    await sleep(50);
  }
}

/** Runs a process to completion (bounded), with its output captured. */
export function runToEnd(file: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs: number; input?: string }):
  Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    const timer = setTimeout(() => {
      try {
        process.kill(child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
      reject(new Error(`${file} ${args.join(' ')} did not finish within ${opts.timeoutMs} ms`));
    }, opts.timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}
