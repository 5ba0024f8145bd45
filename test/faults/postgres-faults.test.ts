// PostgreSQL going away under a bounded mixed load (exchanges, IAM reads and writes, JWKS), on a
// PostgreSQL server this test starts itself: stopped hard (`pg_ctl stop -m immediate`: every
// connection reset) and frozen (SIGSTOP on the postmaster and every backend: connections stay
// open and nothing answers). The server runs in this very process: an unhandled 'error' event
// or rejection would end the test run itself.
//
// What must hold: every refusal is 503 STORE_UNAVAILABLE with a Retry-After (never a 500,
// never a dropped connection); /readyz goes unready; when PostgreSQL is back every kind of
// request succeeds again within 5 s with no restart. Frozen: refusals come within 2 s (p99)
// and /readyz is unready within 3 s. The authorization cache is on (its default 5 s), so
// exchanges go on being granted from it during the outage: their audit records are kept and
// written when PostgreSQL is back, and every granted exchange ends up in the audit log.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg_ from 'pg';
import { startPostgres, type PostgresServer } from '../support/postgres.js';
import {
  KINDS, percentile, runLoad, startLoadTarget, timeUntilAllSucceed, waitForReadyz, type LoadTarget, type Outcome,
} from './mixed-load.js';

const { Client } = pg_;

/** Every outcome is a success or a 503 STORE_UNAVAILABLE with a Retry-After of at least 1. */
function assertOnlyStoreRefusals(outcomes: Outcome[]): Outcome[] {
  const refused = outcomes.filter((o) => o.status < 200 || o.status >= 300);
  for (const o of refused) {
    assert.equal(o.status, 503, `a ${o.kind} answered ${o.status} ${o.code ?? ''}`);
    assert.equal(o.code, 'STORE_UNAVAILABLE', `a ${o.kind} was refused with ${o.code}`);
    assert.match(o.retryAfter ?? '', /^[1-9][0-9]*$/, `a ${o.kind} refusal without Retry-After`);
  }
  return refused;
}

describe('PostgreSQL faults under load', () => {
  let pg: PostgresServer;
  let t: LoadTarget;

  before(async () => {
    pg = await startPostgres();
    const database = await pg.createDatabase();
    // The test server runs with synchronous_commit off (speed), which loses the last acknowledged
    // commits on a crash; this database keeps PostgreSQL's default, as production does.
    const admin = new Client({ connectionString: pg.url });
    await admin.connect();
    await admin.query(`alter database "${new URL(database).pathname.slice(1)}" set synchronous_commit = on`);
    await admin.end();
    // Exchanges served from the caches while the database cannot be written are what this test
    // is about: that needs one-time use off. With it on (the default), an exchange must write its
    // one-time record, and is refused with 503 STORE_UNAVAILABLE instead (fail closed).
    t = await startLoadTarget({ database, flags: { authzCacheTtl: '5000', oneTimeCredentials: 'false' } });
    // Warm: every kind works before any fault.
    assert.ok((await timeUntilAllSucceed(t, 10_000)) !== undefined, 'every kind of request works before the fault');
  });
  after(async () => {
    await t?.close();
    await pg?.stop();
  });

  it('stopped (-m immediate): 503 STORE_UNAVAILABLE with Retry-After, unready, then all kinds succeed within 5 s of the restart', async () => {
    // The crash lands while requests are in flight (connections checked out, transactions open).
    let crashedAt = 0;
    const load = runLoad(t, { workers: 4, maxRequests: 600, maxMs: 3500 });
    await sleep(500);
    pg.crash();
    crashedAt = Date.now();
    const unreadyAfter = await waitForReadyz(t, 503, 3000);
    assert.ok(unreadyAfter !== undefined, '/readyz went unready');
    const during = await load;
    assert.ok(during.some((o) => o.startedAt < crashedAt && o.status === 200), 'requests succeeded before the crash');
    const refused = assertOnlyStoreRefusals(during);
    assert.ok(refused.length > 0, 'the outage was seen by the load');
    for (const k of ['iam-read', 'iam-write']) {
      assert.ok(refused.some((o) => o.kind === k), `a ${k} was refused during the outage`);
    }
    const grantedInOutage = during.filter((o) => o.kind === 'exchange' && o.status === 200 && o.startedAt > crashedAt).length;
    assert.ok(grantedInOutage > 0, 'exchanges were granted from the cache during the outage');
    assert.ok(t.s.audit.pending > 0, 'their audit records are kept');
    assert.equal((await waitForReadyz(t, 503, 100)) !== undefined, true, 'still unready while stopped');

    await pg.restart();
    const back = Date.now();
    const recovered = await timeUntilAllSucceed(t, 5000);
    assert.ok(recovered !== undefined, 'every kind of request succeeds within 5 s of the restart');
    const readyAfter = await waitForReadyz(t, 200, 5000 - (Date.now() - back));
    assert.ok(readyAfter !== undefined, '/readyz is ready again within 5 s, with no restart of Latchkey');
    // The records kept during the outage are written once the database is back: every granted
    // exchange of this test (warm-up, load, recovery) is in the audit log, once.
    const deadline = Date.now() + 5000;
    while (t.s.audit.pending > 0 && Date.now() < deadline) await sleep(100);
    assert.equal(t.s.audit.pending, 0, 'the kept audit records were written');
    assert.equal(t.s.audit.droppedTotal, 0);
    const rows = [];
    for (let page = await t.s.store.listAudit({ limit: 1000 }); ; page = await t.s.store.listAudit({ limit: 1000, after: page.at(-1)!.id })) {
      rows.push(...page);
      if (page.length < 1000) break;
    }
    assert.equal(rows.filter((e) => e.action === 'sts.exchange' && e.target === t.identity).length, t.granted,
      'one audit record per granted exchange');
    const counts = t.s.store.health.errors;
    assert.ok(counts.unavailable > 0 && Object.keys(counts.byCode).length > 0, JSON.stringify(counts));
    console.log(`stop: ${during.length} requests, ${refused.length} refused (all 503), ${grantedInOutage} exchanges granted from the cache `
      + `during the outage and audited after it, unready after ${unreadyAfter} ms, `
      + `all kinds ok ${recovered} ms after restart, store errors ${JSON.stringify(counts.byCode)}`);
  });

  it('frozen (SIGSTOP): refusals within 2 s (p99), unready within 3 s; thawed: all kinds succeed within 5 s', async () => {
    const frozenAt = Date.now();
    pg.freeze();
    let during: Outcome[];
    let unreadyAfter: number | undefined;
    try {
      [during, unreadyAfter] = await Promise.all([
        runLoad(t, { workers: 4, maxRequests: 200, maxMs: 5000 }),
        waitForReadyz(t, 503, 6000),
      ]);
    } finally {
      pg.thaw();
    }
    const thawedAt = Date.now();
    const refused = assertOnlyStoreRefusals(during);
    assert.ok(refused.length > 0, 'the freeze was seen by the load');
    const p99 = percentile(refused.map((o) => o.ms), 99);
    const max = Math.max(...refused.map((o) => o.ms));
    assert.ok(p99 <= 2000, `p99 of refusals ${p99} ms`);
    assert.ok(unreadyAfter !== undefined && unreadyAfter <= 3000, `unready after ${unreadyAfter} ms`);
    const recovered = await timeUntilAllSucceed(t, 5000);
    assert.ok(recovered !== undefined, 'every kind of request succeeds within 5 s of the thaw');
    assert.ok((await waitForReadyz(t, 200, 5000 - (Date.now() - thawedAt))) !== undefined, '/readyz ready again within 5 s');
    console.log(`freeze: ${during.length} requests in ${thawedAt - frozenAt} ms, ${refused.length} refused (all 503), `
      + `refusal p99 ${p99} ms (max ${max}), unready after ${unreadyAfter} ms, all kinds ok ${recovered} ms after thaw`);
  });
});
