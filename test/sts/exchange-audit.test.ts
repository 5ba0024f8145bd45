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
    const audit = new ExchangeAudit(store, () => new Date(), (e) => errors.push(e), 60_000, 10_000, 32);
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

  it('writes nothing of a flush whose third statement fails (one transaction), and reports the error', async () => {
    // The real store, except that the third insertAudits of a transaction throws.
    const failing: Store = Object.create(store);
    failing.transaction = (fn) => store.transaction((tx) => {
      let calls = 0;
      const wrapped = Object.create(tx);
      wrapped.insertAudits = (events: Parameters<typeof tx.insertAudits>[0]) => {
        if (++calls === 3) return Promise.reject(new Error('disk on fire'));
        return tx.insertAudits(events);
      };
      return fn(wrapped);
    });
    const errors: unknown[] = [];
    const audit = new ExchangeAudit(failing, () => new Date(), (e) => errors.push(e), 60_000, 10_000, 4);
    const before = await auditCount();
    for (let i = 0; i < 10; i++) audit.record({ identity: null, remoteAddr: null, granted: false, code: 'x', details: {} });
    await audit.flush();
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]), /disk on fire/);
    assert.equal(await auditCount(), before, 'the first two statements were rolled back');
    // The next flush (one statement) writes normally.
    audit.record({ identity: null, remoteAddr: null, granted: false, code: 'x', details: {} });
    await audit.flush();
    assert.equal(errors.length, 1);
    assert.equal(await auditCount(), before + 1);
  });
});
