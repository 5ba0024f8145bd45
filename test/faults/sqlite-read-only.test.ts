// SQLite on a read-only file: the database a first server wrote, then served by a second
// server through a read-only bind mount of its directory (we run as root, CI too; a plain
// chmod does not stop root). Reads and exchanges are served, writes are refused with 503
// STORE_UNAVAILABLE and a Retry-After (never a 500), /readyz is unready, nothing is corrupted.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { createStsClient } from '../../src/aws/index.js';
import { startTestServer, tokenFor } from '../support/test-server.js';
import { request, startLoadTarget, waitForReadyz, type LoadTarget } from './mixed-load.js';

/** A directory and a read-only bind mount of it; or why this machine does not let us. */
function readOnlyView(): { rw: string; ro: string; root: string } | { why: string } {
  if (process.getuid?.() !== 0) return { why: 'a read-only bind mount needs root' };
  const root = mkdtempSync(join(tmpdir(), 'latchkey-ro-'));
  const rw = join(root, 'rw');
  const ro = join(root, 'ro');
  mkdirSync(rw);
  mkdirSync(ro);
  const bind = spawnSync('mount', ['--bind', rw, ro], { encoding: 'utf8' });
  const remount = bind.status === 0 ? spawnSync('mount', ['-o', 'remount,bind,ro', ro], { encoding: 'utf8' }) : bind;
  if (remount.status !== 0) {
    if (bind.status === 0) spawnSync('umount', [ro]);
    rmSync(root, { recursive: true, force: true });
    return { why: `a read-only bind mount failed: ${remount.stderr.trim()}` };
  }
  return { rw, ro, root };
}

const view = readOnlyView();

describe('SQLite on a read-only file', { skip: 'why' in view ? view.why : false }, () => {
  const { rw, ro, root } = view as { rw: string; ro: string; root: string };
  let writer: LoadTarget;
  let t: LoadTarget;
  /** Holds the WAL's -shm and -wal files in place, as a reader of a read-only WAL database needs. */
  let holder: Database.Database;

  before(async () => {
    writer = await startLoadTarget({ dir: rw });
    const { org, identity } = writer;
    await writer.s.stop();
    holder = new Database(join(rw, 'latchkey.db'));
    holder.pragma('journal_mode = WAL');
    const s = await startTestServer({
      dir: ro,
      sts: createStsClient({ overrides: { 'sts.amazonaws.com': writer.sts.url, 'sts.us-east-1.amazonaws.com': writer.sts.url } }),
      // One-time use off: see postgres-faults.test.ts (with it on, exchanges need a write).
      flags: { authzCacheTtl: '0', oneTimeCredentials: 'false' },
    });
    t = { s, sts: writer.sts, org, identity, apiToken: await tokenFor(s, identity), granted: 0, close: () => s.stop() };
  });
  after(async () => {
    await t?.close();
    await writer?.sts.close();
    holder?.close();
    spawnSync('umount', [ro]);
    rmSync(root, { recursive: true, force: true });
  });

  it('serves reads and exchanges, refuses writes with 503 + Retry-After, is unready; integrity ok', async () => {
    assert.equal(t.s.store.backend, 'sqlite');
    for (let i = 0; i < 3; i++) {
      const read = await request(t, 'iam-read');
      assert.equal(read.status, 200, 'reads are served');
      const exchange = await request(t, 'exchange');
      assert.equal(exchange.status, 200, 'exchanges are served (their audit record is kept for later)');
      const write = await request(t, 'iam-write');
      assert.equal(write.status, 503, `a write answered ${write.status} ${write.code ?? ''}`);
      assert.equal(write.code, 'STORE_UNAVAILABLE');
      assert.match(write.retryAfter ?? '', /^[1-9][0-9]*$/);
    }
    assert.ok((await waitForReadyz(t, 503, 3000)) !== undefined, '/readyz is unready while writes fail');
    assert.ok(Object.keys(t.s.store.health.errors.byCode).some((c) => c.startsWith('SQLITE_READONLY')), JSON.stringify(t.s.store.health.errors));
    assert.deepEqual(holder.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
  });
});
