// ExchangeAudit (src/sts/exchange-audit.ts) against a real SQLite file: every queued event is
// written, in one transaction per flush, and a large flush leaves the event loop free between
// its statements (better-sqlite3 runs each one synchronously, holding every in-flight request).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { newRootUidp } from '../../src/iam/uidp.js';
import { openStore, type Store } from '../../src/store/index.js';
import { ExchangeAudit } from '../../src/sts/exchange-audit.js';

describe('ExchangeAudit', () => {
  let dir: string;
  let store: Store;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'latchkey-exchange-audit-'));
    store = await openStore(join(dir, 'latchkey.db'));
    await store.migrate();
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function auditCount(): Promise<number> {
    let n = 0;
    let after: string | undefined;
    for (;;) {
      const page = await store.listAudit({ limit: 1000, ...(after ? { after } : {}) });
      n += page.length;
      if (page.length < 1000) return n;
      after = page[page.length - 1]!.id;
    }
  }

  it('writes every event of a 500-event flush and yields to the event loop between statements', async () => {
    const errors: unknown[] = [];
    const audit = new ExchangeAudit(store, () => new Date(), (_l, _m, f) => errors.push(f), { intervalMs: 60_000, maxBatch: 10_000, chunk: 32 });
    const before = await auditCount();
    const identity = newRootUidp();
    for (let i = 0; i < 500; i++) {
      audit.record({ identity: i % 2 ? identity : 'not-a-uidp', remoteAddr: '127.0.0.1', granted: i % 2 === 1, ...(i % 2 ? {} : { code: 'aws_token_malformed' }), details: { n: i } });
    }
    let turns = 0;
    let ticking = true;
    const tick = (): void => { turns++; if (ticking) setImmediate(tick); };
    setImmediate(tick);
    await audit.flush();
    ticking = false;
    assert.deepEqual(errors, []);
    assert.equal(await auditCount(), before + 500);
    // 500 events in statements of 32 = 16 statements, with a turn of the loop between each.
    assert.ok(turns >= 15, `the event loop ran ${turns} times during the flush`);
  });

  it('writes nothing of a flush whose third statement fails (one transaction), keeps the batch and writes it on the next flush', async () => {
    // The real store, except that the third insertAudits of the first transaction throws.
    let transactions = 0;
    const failing: Store = Object.create(store);
    failing.transaction = (fn) => store.transaction((tx) => {
      let calls = 0;
      const first = ++transactions === 1;
      const wrapped = Object.create(tx);
      wrapped.insertAudits = (...args: Parameters<typeof tx.insertAudits>) => {
        if (first && ++calls === 3) return Promise.reject(new Error('disk on fire'));
        return tx.insertAudits(...args);
      };
      return fn(wrapped);
    });
    const errors: Array<{ err?: unknown; pending?: number }> = [];
    const audit = new ExchangeAudit(failing, () => new Date(), (_l, _m, f) => errors.push(f), { intervalMs: 60_000, maxBatch: 10_000, chunk: 4 });
    const before = await auditCount();
    for (let i = 0; i < 10; i++) audit.record({ identity: null, remoteAddr: null, granted: false, code: 'x', details: {} });
    await audit.flush();
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]!.err), /disk on fire/);
    assert.equal(errors[0]!.pending, 10, 'the failed batch is kept');
    assert.equal(audit.pending, 10);
    assert.equal(await auditCount(), before, 'the first two statements were rolled back');
    // The next flush writes the kept batch and the new record.
    audit.record({ identity: null, remoteAddr: null, granted: false, code: 'x', details: {} });
    await audit.flush();
    assert.equal(await auditCount(), before + 11);
    assert.equal(audit.pending, 0);
    assert.equal(audit.droppedTotal, 0);
  });

  it('writes a retried batch once when its first commit landed but was reported as failed', async () => {
    let transactions = 0;
    const lying: Store = Object.create(store);
    lying.transaction = async (fn) => {
      const r = await store.transaction(fn);
      if (++transactions === 1) throw new Error('Connection terminated unexpectedly');
      return r;
    };
    const audit = new ExchangeAudit(lying, () => new Date(), () => {}, { intervalMs: 60_000 });
    const before = await auditCount();
    for (let i = 0; i < 7; i++) audit.record({ identity: null, remoteAddr: null, granted: false, code: 'x', details: {} });
    await audit.flush();
    assert.equal(audit.pending, 7, 'kept: the outcome was unknown');
    await audit.flush();
    assert.equal(audit.pending, 0);
    assert.equal(await auditCount(), before + 7, 'no record written twice');
  });

  it('keeps at most maxPending records while the database is away, counts and logs what it dropped', async () => {
    const down: Store = Object.create(store);
    down.transaction = () => Promise.reject(new Error('database away'));
    const logs: Array<{ level: string; msg: string; fields: { dropped?: number } }> = [];
    const audit = new ExchangeAudit(down, () => new Date(), (level, msg, fields) => logs.push({ level, msg, fields }), {
      intervalMs: 60_000, maxPending: 5,
    });
    for (let i = 0; i < 8; i++) audit.record({ identity: null, remoteAddr: null, granted: true, details: { n: i } });
    await audit.flush();
    assert.equal(audit.pending, 5);
    assert.equal(audit.droppedTotal, 3);
    const dropped = logs.filter((l) => /dropped/.test(l.msg));
    assert.equal(dropped.length, 1);
    assert.equal(dropped[0]!.fields.dropped, 3);
    await audit.close();
    assert.equal(audit.droppedTotal, 8, 'what close() could not write is counted too');
    assert.equal(audit.pending, 0);
  });
});
