// SQLite on a full file system, under a bounded mixed load: a small tmpfs this test mounts
// (we run as root, CI too), filled up with a ballast file while the server runs. Writes are
// refused with 503 STORE_UNAVAILABLE and a Retry-After (never a 500: SQLite rolls back by
// itself on SQLITE_FULL, and the second ROLLBACK must not hide that), reads and exchanges go on,
// /readyz is unready; when the ballast is removed, writes succeed again with no restart, the
// exchange audit records of the outage are written, and `PRAGMA integrity_check` says ok.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { runLoad, startLoadTarget, timeUntilAllSucceed, waitForReadyz, type LoadTarget } from './mixed-load.js';

const TMPFS_SIZE = '16m';

/** Mounts a fresh tmpfs of TMPFS_SIZE; undefined (and why) when this machine does not let us. */
function mountTmpfs(): { dir: string } | { why: string } {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-full-'));
  if (process.getuid?.() !== 0) return { why: 'mounting a tmpfs needs root' };
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_SIZE},mode=0700`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return { why: `mount -t tmpfs failed: ${r.stderr.trim()}` };
  }
  return { dir };
}

/** Writes 64 KiB blocks to `path` until the file system is full. */
function fill(path: string): void {
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(64 * 1024, 1);
  try {
    for (let i = 0; i < 100_000; i++) writeSync(fd, block);
    throw new Error('the file system never filled up');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
    // The last few bytes too: a block that did not fit may leave room for a page.
    const small = Buffer.alloc(512, 1);
    try {
      for (;;) writeSync(fd, small);
    } catch {
      /* full */
    }
  } finally {
    closeSync(fd);
  }
}

const mounted = mountTmpfs();

describe('SQLite on a full file system', { skip: 'why' in mounted ? mounted.why : false }, () => {
  let dir: string;
  let t: LoadTarget;

  before(async () => {
    dir = (mounted as { dir: string }).dir;
    // Exchanges served from the caches while the database cannot be written are what this test
    // is about: that needs one-time use off. With it on (the default), an exchange must write its
    // one-time record, and is refused with 503 STORE_UNAVAILABLE instead (fail closed).
    t = await startLoadTarget({ dir, flags: { oneTimeCredentials: 'false' } });
    assert.ok((await timeUntilAllSucceed(t, 10_000)) !== undefined, 'every kind of request works before the disk fills');
  });
  after(async () => {
    await t?.close();
    if (dir) {
      spawnSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses writes with 503 + Retry-After, serves reads, goes unready; writes again once space is back; integrity ok', async () => {
    const ballast = join(dir, 'ballast');
    fill(ballast);
    const during = await runLoad(t, { workers: 4, maxRequests: 240, maxMs: 4000 });
    const byKind = (k: string) => during.filter((o) => o.kind === k);
    for (const o of during.filter((o) => o.status !== 200 && o.status !== 201)) {
      assert.equal(o.status, 503, `a ${o.kind} answered ${o.status} ${o.code ?? ''}`);
      assert.equal(o.code, 'STORE_UNAVAILABLE', `a ${o.kind} was refused with ${o.code}`);
      assert.match(o.retryAfter ?? '', /^[1-9][0-9]*$/, 'a refusal without Retry-After');
    }
    assert.ok(byKind('iam-write').every((o) => o.status === 503), 'every write was refused while the disk was full');
    assert.ok(byKind('iam-read').every((o) => o.status === 200), 'reads are still served');
    assert.ok(byKind('exchange').every((o) => o.status === 200), 'exchanges (reads, and an audit record kept for later) are still served');
    assert.ok(byKind('jwks').every((o) => o.status === 200));
    assert.ok((await waitForReadyz(t, 503, 3000)) !== undefined, '/readyz is unready while writes fail');
    // ... and stays so with no traffic at all: its probe writes, and that write fails too.
    for (const end = Date.now() + 2500; Date.now() < end; await sleep(100)) {
      assert.equal((await fetch(`${t.s.url}/readyz`)).status, 503, '/readyz stays unready while the disk is full');
    }
    assert.ok(t.s.audit.pending > 0, 'the exchange audit records are kept');
    assert.ok(t.s.store.health.errors.byCode.SQLITE_FULL! > 0, JSON.stringify(t.s.store.health.errors));

    rmSync(ballast);
    const freedAt = Date.now();
    const recovered = await timeUntilAllSucceed(t, 5000);
    assert.ok(recovered !== undefined, 'writes succeed again within 5 s of space coming back');
    assert.ok((await waitForReadyz(t, 200, 5000 - (Date.now() - freedAt))) !== undefined, '/readyz ready again by itself');
    const deadline = Date.now() + 5000;
    while (t.s.audit.pending > 0 && Date.now() < deadline) await sleep(100);
    assert.equal(t.s.audit.pending, 0, 'the kept audit records were written');
    assert.equal(t.s.audit.droppedTotal, 0);

    const check = new Database(join(dir, 'latchkey.db'), { readonly: true });
    try {
      assert.deepEqual(check.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
    } finally {
      check.close();
    }
    const refused = during.filter((o) => o.status === 503).length;
    console.log(`disk full (tmpfs ${TMPFS_SIZE}): ${during.length} requests, ${refused} refused (all 503 STORE_UNAVAILABLE), `
      + `all kinds ok ${recovered} ms after space came back; integrity_check ok; ${JSON.stringify(t.s.store.health.errors)}`);
  });
});
