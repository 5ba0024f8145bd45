// ExchangeAudit (src/sts/exchange-audit.ts) against a real SQLite file: every queued event is
// written, in one transaction per flush, and a large flush leaves the event loop free between
// its statements (better-sqlite3 runs each one synchronously, holding every in-flight request).
// Refusals are counted per identity × code × window, and written only for identities that exist.
// While the database is away, what could not be written is kept (bounded) and written later.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { IamService, OPERATOR, type AuditEvent } from '../../src/iam/index.js';
import { newChildUidp, newRootUidp } from '../../src/iam/uidp.js';
import { openStore, type Store } from '../../src/store/index.js';
import { ExchangeAudit, REFUSAL_WINDOW_MS, type ExchangeAuditLog } from '../../src/sts/exchange-audit.js';
import { RefusalTally } from '../../src/sts/refusal-tally.js';

describe('ExchangeAudit', () => {
  let dir: string;
  let store: Store;
  let org: string;
  let real: string;
  let otherReal: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'latchkey-exchange-audit-'));
    store = await openStore(join(dir, 'latchkey.db'));
    await store.migrate();
    const iam = new IamService(store, () => new Date(), 0);
    await iam.init();
    org = (await iam.groups.createOrganization(OPERATOR, { name: 'acme' })).id;
    const rule = { aws_account: '123456789012', arn: 'arn:aws:sts::123456789012:assumed-role/r/s', userId: 'AROAX:s' };
    real = (await iam.identities.create(OPERATOR, org, { name: 'real', awsIdentity: rule })).identity.id;
    otherReal = (await iam.identities.create(OPERATOR, org, { name: 'other', awsIdentity: rule })).identity.id;
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Every exchange record in the table. */
  async function exchangeEvents(): Promise<AuditEvent[]> {
    const out: AuditEvent[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await store.listAudit({ limit: 1000, ...(after ? { after } : {}) });
      out.push(...page.filter((e) => e.action.startsWith('sts.')));
      if (page.length < 1000) return out;
      after = page[page.length - 1]!.id;
    }
  }
  /** A log that keeps the errors it is given. */
  const collect = (errors: unknown[]): ExchangeAuditLog => (_level, _msg, fields) => { if (fields.err !== undefined) errors.push(fields.err); };
  const granted = (identity: string, n = 0) => ({ identity, remoteAddr: '127.0.0.1', granted: true, details: { n } });
  const refused = (identity: unknown, code: string, remoteAddr = '127.0.0.1') => ({ identity, remoteAddr, granted: false, code, details: { message: 'no' } });

  it('writes every event of a 500-event flush and yields to the event loop between statements', async () => {
    const errors: unknown[] = [];
    const audit = new ExchangeAudit(store, () => new Date(), collect(errors), { intervalMs: 60_000, maxBatch: 10_000, chunk: 32 });
    const before = (await exchangeEvents()).length;
    for (let i = 0; i < 500; i++) audit.record(granted(real, i));
    let turns = 0;
    let ticking = true;
    const tick = (): void => { turns++; if (ticking) setImmediate(tick); };
    setImmediate(tick);
    await audit.flush();
    ticking = false;
    assert.deepEqual(errors, []);
    assert.equal((await exchangeEvents()).length, before + 500);
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
    const logged: Array<{ err?: unknown; pending?: unknown }> = [];
    const audit = new ExchangeAudit(failing, () => new Date(), (_l, _m, f) => logged.push(f), { intervalMs: 60_000, maxBatch: 10_000, chunk: 4 });
    const before = (await exchangeEvents()).length;
    for (let i = 0; i < 10; i++) audit.record(granted(real, i));
    await audit.flush();
    assert.equal(logged.length, 1);
    assert.match(String(logged[0]!.err), /disk on fire/);
    assert.equal(logged[0]!.pending, 10, 'the failed batch is kept');
    assert.equal(audit.pending, 10);
    assert.equal((await exchangeEvents()).length, before, 'the first two statements were rolled back');
    // The next flush writes the kept batch and the new record.
    audit.record(granted(real));
    await audit.flush();
    assert.equal((await exchangeEvents()).length, before + 11);
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
    const before = (await exchangeEvents()).length;
    for (let i = 0; i < 7; i++) audit.record(granted(real, i));
    await audit.flush();
    assert.equal(audit.pending, 7, 'kept: the outcome was unknown');
    await audit.flush();
    assert.equal(audit.pending, 0);
    assert.equal((await exchangeEvents()).length, before + 7, 'no record written twice');
  });

  it('keeps at most maxPending records while the database is away, counts and logs what it dropped', async () => {
    const down: Store = Object.create(store);
    down.transaction = () => Promise.reject(new Error('database away'));
    const logs: Array<{ level: string; msg: string; fields: { dropped?: unknown } }> = [];
    let told = 0;
    const audit = new ExchangeAudit(down, () => new Date(), (level, msg, fields) => logs.push({ level, msg, fields: fields as { dropped?: unknown } }), {
      intervalMs: 60_000, maxPending: 5, onDropped: (n) => { told += n; },
    });
    for (let i = 0; i < 8; i++) audit.record(granted(real, i));
    await audit.flush();
    assert.equal(audit.pending, 5);
    assert.equal(audit.droppedTotal, 3);
    const dropped = logs.filter((l) => /dropped/.test(l.msg));
    assert.equal(dropped.length, 1);
    assert.equal(dropped[0]!.fields.dropped, 3);
    await audit.close();
    assert.equal(audit.droppedTotal, 8, 'what close() could not write is counted too');
    assert.equal(told, 8, 'and told to the metric');
    assert.equal(audit.pending, 0);
  });

  it('writes nothing for thousands of refusals naming identities that do not exist', async () => {
    const errors: unknown[] = [];
    const audit = new ExchangeAudit(store, () => new Date(), collect(errors), { intervalMs: 60_000, maxBatch: 10_000, chunk: 32 });
    const before = (await exchangeEvents()).length;
    const inTheOrg = newChildUidp(org); // a UIDP under a real organization, of no identity
    const elsewhere = newRootUidp();
    for (let i = 0; i < 3000; i++) {
      audit.record(refused(inTheOrg, i % 2 ? 'IDENTITY_NOT_FOUND' : 'AWS_TOKEN_MALFORMED'));
      audit.record(refused(elsewhere, 'IDENTITY_NOT_FOUND'));
      audit.record(refused(`not-a-uidp-${i}`, 'EXCHANGE_BAD_REQUEST'));
      audit.record(refused(newChildUidp(org), 'IDENTITY_NOT_FOUND'));
    }
    await audit.flush(true);
    assert.deepEqual(errors, []);
    assert.equal((await exchangeEvents()).length, before, '12,000 refusals, 0 rows');
    assert.deepEqual(await store.listAudit({ within: org, limit: 1000 }).then((es) => es.filter((e) => e.action === 'sts.exchange.denied')), []);
  });

  it('counts refusals of a real identity per code and window; granted exchanges stay one row each', async () => {
    let now = Math.ceil(Date.parse('2026-03-01T00:00:00Z') / REFUSAL_WINDOW_MS) * REFUSAL_WINDOW_MS;
    const errors: unknown[] = [];
    const audit = new ExchangeAudit(store, () => new Date(now), collect(errors), { intervalMs: 60_000, maxBatch: 10_000, chunk: 32 });
    const before = new Set((await exchangeEvents()).map((e) => e.id));
    const fresh = async () => (await exchangeEvents()).filter((e) => !before.has(e.id));
    const step = (3 * REFUSAL_WINDOW_MS) / 3000; // 3000 attempts spread over three windows
    for (let i = 0; i < 3000; i++) {
      audit.record(refused(real, i % 3 ? 'AWS_TOKEN_MALFORMED' : 'AWS_ARN_MISMATCH', `10.0.0.${i % 20}`));
      if (i % 300 === 0) audit.record(granted(real, i));
      if (i % 1000 === 999) {
        // Mid-way flushes write the granted ones, and no refusal until its window has ended.
        const windowsEnded = Math.floor((i + 1) / 1000) - 1;
        await audit.flush();
        const denied = (await fresh()).filter((e) => e.action === 'sts.exchange.denied');
        assert.equal(denied.length, windowsEnded * 2, `after ${i + 1} attempts`);
      }
      now += step;
    }
    await audit.flush();
    const rows = await fresh();
    assert.deepEqual(errors, []);
    assert.equal(rows.filter((e) => e.action === 'sts.exchange').length, 10, 'granted: one row each');
    const denied = rows.filter((e) => e.action === 'sts.exchange.denied');
    assert.equal(denied.length, 6, 'three windows × two codes');
    assert.equal(denied.reduce((n, e) => n + (e.details.count as number), 0), 3000, 'the counts sum to the attempts');
    for (const e of denied) {
      assert.equal(e.target, real);
      assert.equal(e.group, org);
      assert.equal(e.details.windowSeconds, REFUSAL_WINDOW_MS / 1000);
      assert.ok((e.details.first as string) <= (e.details.last as string));
      assert.equal(Math.floor(Date.parse(e.details.first as string) / REFUSAL_WINDOW_MS), Math.floor(Date.parse(e.details.last as string) / REFUSAL_WINDOW_MS), 'one window');
      assert.equal((e.details.remoteAddrs as string[]).length, 10, 'a few of the addresses, capped');
      assert.equal(e.details.message, 'no');
    }
    assert.deepEqual(new Set(denied.map((e) => e.details.code)), new Set(['AWS_TOKEN_MALFORMED', 'AWS_ARN_MISMATCH']));
  });

  it('writes an open window on close, and a full tally at once', async () => {
    const now = Date.parse('2026-04-01T00:00:10Z');
    const audit = new ExchangeAudit(store, () => new Date(now), () => {}, { intervalMs: 60_000, maxBatch: 10_000, chunk: 32 });
    const before = new Set((await exchangeEvents()).map((e) => e.id));
    const fresh = async () => (await exchangeEvents()).filter((e) => !before.has(e.id) && e.target === otherReal);
    audit.record(refused(otherReal, 'STS_REJECTED'));
    await audit.flush();
    assert.equal((await fresh()).length, 0, 'the window is still open');
    await audit.flush(true);
    assert.deepEqual((await fresh()).map((e) => e.details.count), [1], 'written on close');
    // 10,000 distinct (mostly made-up) identities fill the tally: it is written without waiting.
    audit.record(refused(otherReal, 'STS_REJECTED'));
    for (let i = 0; i < 9_999; i++) audit.record(refused(newChildUidp(org), 'IDENTITY_NOT_FOUND'));
    await audit.flush(); // waits for the drain already under way; the window is still open
    assert.deepEqual((await fresh()).map((e) => e.details.count), [1, 1]);
  });

  it('keeps refusal aggregates whose identity could not be checked while the database was away', async () => {
    const now = Date.parse('2026-05-01T00:00:10Z');
    let away = true;
    const flaky: Store = Object.create(store);
    flaky.getIdentity = (id) => (away ? Promise.reject(new Error('database away')) : store.getIdentity(id));
    const audit = new ExchangeAudit(flaky, () => new Date(now), () => {}, { intervalMs: 60_000 });
    audit.record(refused(otherReal, 'AWS_ARN_MISMATCH'));
    await audit.flush(true);
    assert.equal(audit.pending, 1, 'the aggregate is kept');
    away = false;
    await audit.flush();
    assert.equal(audit.pending, 0);
    const rows = (await exchangeEvents()).filter((e) => e.target === otherReal && e.details.code === 'AWS_ARN_MISMATCH');
    assert.deepEqual(rows.map((e) => e.details.count), [1]);
  });
});

describe('RefusalTally', () => {
  it('keeps one aggregate per identity, code and window, and says when it is full', () => {
    const tally = new RefusalTally(1000, 3);
    const t = (ms: number) => new Date(ms);
    assert.equal(tally.add('a', 'X', t(0), null, {}), false);
    assert.equal(tally.add('a', 'X', t(999), '1.2.3.4', {}), false);
    assert.equal(tally.add('a', 'Y', t(10), null, {}), false);
    assert.equal(tally.add('a', 'X', t(1000), null, {}), true, 'a third aggregate: full');
    assert.deepEqual(tally.take(t(999), false), []);
    const first = tally.take(t(1000), false);
    assert.deepEqual(first.map((r) => [r.code, r.count, r.first, r.last, r.remoteAddrs]), [
      ['X', 2, t(0).toISOString(), t(999).toISOString(), ['1.2.3.4']],
      ['Y', 1, t(10).toISOString(), t(10).toISOString(), []],
    ]);
    assert.equal(tally.size, 1);
    assert.deepEqual(tally.take(t(1001), true).map((r) => r.count), [1]);
    assert.equal(tally.size, 0);
  });
});
