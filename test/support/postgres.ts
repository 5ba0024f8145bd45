// Starts a real, throwaway PostgreSQL server for tests: initdb in a fresh temp directory,
// listening on 127.0.0.1 only, on a free port, with its unix socket inside that directory.
//
// Running as root (CI, containers): initdb and postgres refuse to run as root, so both run
// as the `postgres` OS user (via runuser, or su) with the temp directory chowned to it.
//
// The cluster's default collation is ICU "en-US" with punctuation ignorable (ka-shifted):
// "/" does not sort before "0" there, so a store that forgot `COLLATE "C"` on its id columns
// fails the descendant range scans instead of passing by luck of a C-locale machine.

import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

export interface PostgresServer {
  /** Superuser URL of the `postgres` database, e.g. postgres://postgres@127.0.0.1:54321/postgres */
  url: string;
  /** Creates an empty database on this server and returns its URL. */
  createDatabase(): Promise<string>;
  /** Stops this server (fast shutdown) and removes its directory. Idempotent. */
  stop(): Promise<void>;
  /** Fault injection: `pg_ctl stop -m immediate` (a crash: connections reset); start() brings it back. */
  crash(): void;
  /** Starts the server again after crash(), on the same port and data. */
  restart(): Promise<void>;
  /** Fault injection: SIGSTOP the postmaster and every backend (connections stay open, nothing answers). */
  freeze(): void;
  /** SIGCONT what freeze() stopped. */
  thaw(): void;
}

const READY_ATTEMPTS = 100;
const READY_DELAY_MS = 100;

/** Starts a fresh PostgreSQL server; call stop() when done (e.g. in an `after` hook). */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = findPostgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'postgres.log');
  const asServerUser = serverUserFor(dir);
  const run = (cmd: string, args: string[]) => {
    const [file, argv] = asServerUser(cmd, args);
    const r = spawnSync(file, argv, { encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) {
      const tail = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
      throw new Error(`${cmd} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout}\n${tail}`);
    }
  };
  let stopped = false;
  const pgCtlStop = (mode: 'fast' | 'immediate') => {
    const [file, argv] = asServerUser(join(bin, 'pg_ctl'), ['-D', data, '-m', mode, '-w', 'stop']);
    spawnSync(file, argv, { timeout: 60_000 });
  };
  // If the test process exits without calling stop(), leave neither a server nor its files behind.
  let frozen: number[] = [];
  const onExit = () => {
    if (stopped) return;
    if (frozen.length > 0) signalAll(frozen, 'SIGCONT');
    pgCtlStop('immediate');
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    run(join(bin, 'initdb'), [
      '-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync', '--no-instructions',
      ...(supportsIcu(bin) ? ['--locale-provider=icu', '--icu-locale=en-US-u-ka-shifted', '--locale=C.UTF-8'] : ['--locale=C.UTF-8']),
    ]);
    process.on('exit', onExit);
    const startOn = (p: number) => {
      const options = [
        '-c listen_addresses=127.0.0.1', `-p ${p}`, `-k ${dir}`,
        '-F', '-c synchronous_commit=off', '-c full_page_writes=off', '-c max_connections=200',
      ].join(' ');
      run(join(bin, 'pg_ctl'), ['-D', data, '-l', log, '-w', '-t', '60', '-o', options, 'start']);
    };
    const port = await startOnFreePort(startOn);
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    await waitUntilReady(url);
    return {
      url,
      createDatabase: () => createDatabase(url),
      async stop() {
        if (stopped) return;
        stopped = true;
        process.off('exit', onExit);
        if (frozen.length > 0) signalAll(frozen, 'SIGCONT');
        pgCtlStop('fast');
        rmSync(dir, { recursive: true, force: true });
      },
      crash: () => pgCtlStop('immediate'),
      async restart() {
        startOn(port);
        await waitUntilReady(url);
      },
      freeze() {
        const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
        frozen = [postmaster, ...childrenOf(postmaster)];
        signalAll(frozen, 'SIGSTOP');
      },
      thaw() {
        signalAll(frozen, 'SIGCONT');
        frozen = [];
      },
    };
  } catch (err) {
    process.off('exit', onExit);
    onExit();
    stopped = true;
    throw err;
  }
}

/** The pids whose parent is `pid` (from /proc). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      // /proc/PID/stat: "pid (comm) state ppid ...": comm may hold spaces, so read after the last ')'.
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(e));
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

function signalAll(pids: number[], signal: NodeJS.Signals): void {
  for (const p of pids) {
    try {
      process.kill(p, signal);
    } catch {
      /* exited meanwhile */
    }
  }
}

/** Creates an empty database on the server at `serverUrl` and returns its URL. */
export async function createDatabase(serverUrl: string): Promise<string> {
  const name = `t_${randomBytes(8).toString('hex')}`;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** The directory holding initdb and pg_ctl: on PATH, else the newest /usr/lib/postgresql/N/bin. */
function findPostgresBin(): string {
  const candidates = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(debian, v, 'bin')));
  }
  for (const c of candidates) {
    // Resolve symlinks (/usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb) to find pg_config too.
    if (existsSync(join(c, 'initdb')) && existsSync(join(c, 'pg_ctl'))) return dirname(realpathSync(join(c, 'initdb')));
  }
  throw new Error('PostgreSQL server binaries not found: install postgresql (initdb, pg_ctl) or put them on PATH');
}

type CommandWrapper = (cmd: string, args: string[]) => [file: string, args: string[]];

/**
 * How to run the server binaries: directly, or, when we are root, as the `postgres` OS user
 * (which then owns `dir`): through runuser where it exists, else through su.
 */
function serverUserFor(dir: string): CommandWrapper {
  if (process.getuid?.() !== 0) return (cmd, args) => [cmd, args];
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(dir, id('-u'), id('-g'));
  if (spawnSync('runuser', ['--help']).status === 0) return (cmd, args) => ['runuser', ['-u', 'postgres', '--', cmd, ...args]];
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  return (cmd, args) => ['su', ['postgres', '-s', '/bin/sh', '-c', [cmd, ...args].map(quote).join(' ')]];
}

function supportsIcu(bin: string): boolean {
  const r = spawnSync(join(bin, 'pg_config'), ['--configure'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('--with-icu');
}

/** Runs `start` on a free port; tries another port if someone took that one in between. */
async function startOnFreePort(start: (port: number) => void): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      start(port);
      return port;
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(url: string): Promise<void> {
  let last: unknown;
  for (let i = 0; i < READY_ATTEMPTS; i++) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('select 1');
      return;
    } catch (err) {
      last = err;
      await sleep(READY_DELAY_MS);
    } finally {
      await client.end().catch(() => {});
    }
  }
  throw new Error(`PostgreSQL did not become ready: ${String(last)}`);
}
