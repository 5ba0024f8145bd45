// `latchkey serve` starting against a database that does not answer: it retries with back-off,
// one JSON log line per attempt naming host:port/database (never the password), for at most
// --database-wait; then it exits non-zero with a message that says where and why, even with
// --port 0 (whose socket is bound before the database is tried). If the database comes up
// within the wait, the server starts serving.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { BIN, requireBuilt, runLatchkey, sandboxEnv } from '../support/binary.js';
import { startPostgres, type PostgresServer } from '../support/postgres.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const RETRY = 'the database does not answer; retrying';

describe('serve: waiting for the database', () => {
  it('gives up after --database-wait with a clear message and exit status 1, never printing the password', async () => {
    const port = await freePort();
    const url = `postgres://latchkey:hunter2-secret@127.0.0.1:${port}/latchkeydb`;
    const started = Date.now();
    const r = await runLatchkey(['serve', '--port', '0', '--database', url, '--database-wait', '2'], sandboxEnv());
    const took = Date.now() - started;
    assert.equal(r.code, 1, `exit status (null = still running when killed): ${r.stderr}`);
    assert.ok(took < 30_000, `exited after ${took} ms`);
    const retries = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { msg: string; database?: string; attempt?: number })
      .filter((l) => l.msg === RETRY);
    assert.ok(retries.length >= 2, `one line per attempt: ${r.stdout}`);
    for (const l of retries) assert.equal(l.database, `127.0.0.1:${port}/latchkeydb`);
    assert.deepEqual(retries.map((l) => l.attempt), retries.map((_, i) => i + 1));
    assert.match(r.stderr, new RegExp(`^latchkey serve: the database at 127\\.0\\.0\\.1:${port}/latchkeydb did not answer \\(ECONNREFUSED\\) within --database-wait 2s \\(run with -v for details\\)\\n$`));
    assert.doesNotMatch(r.stdout + r.stderr, /hunter2/);

    // The -v it points at exists, and prints the detail.
    const v = await runLatchkey(['serve', '-v', '--port', '0', '--database', url, '--database-wait', '0'], sandboxEnv());
    assert.equal(v.code, 1, v.stderr);
    assert.match(v.stderr, /did not answer \(ECONNREFUSED\)\n  detail: .*ECONNREFUSED/);
    assert.doesNotMatch(v.stderr, /run with -v/);
    assert.doesNotMatch(v.stdout + v.stderr, /hunter2/);
  });

  describe('with a PostgreSQL that comes up during the wait', () => {
    let pg: PostgresServer;
    before(async () => {
      pg = await startPostgres();
    });
    after(async () => {
      await pg?.stop();
    });

    it('retries until it answers, then serves', async () => {
      requireBuilt();
      const db = await pg.createDatabase();
      pg.crash();
      const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--database', db, '--database-wait', '60'], {
        env: sandboxEnv(), stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      const waiters = new Set<() => void>();
      child.stdout!.on('data', (c: Buffer) => { out += c.toString(); for (const w of waiters) w(); });
      child.stderr!.on('data', (c: Buffer) => { err += c.toString(); });
      const seen = (re: RegExp, ms: number) => new Promise<void>((resolve, reject) => {
        const look = () => {
          if (!re.test(out)) return;
          clearTimeout(timer);
          waiters.delete(look);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(look);
          reject(new Error(`never saw ${re}: ${out}${err}`));
        }, ms);
        waiters.add(look);
        look();
      });
      try {
        await seen(new RegExp(RETRY.replace(/[;]/g, '.')), 20_000);
        await pg.restart();
        await seen(/latchkey serving/, 30_000);
        const address = (out.split('\n').map((l) => (l ? JSON.parse(l) : {}) as { msg?: string; address?: string })
          .find((l) => l.msg === 'latchkey serving'))!.address!;
        assert.equal((await fetch(`${address}/readyz`)).status, 200);
      } finally {
        child.kill('SIGTERM');
      }
      assert.equal(await exited, 0, err);
    });
  });
});
