// --log-requests: per-request access lines only when asked for; refusals are logged either way.

import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { it } from 'node:test';
import { api, startTestServer } from './support/test-server.js';

async function logLinesOf(flags: Record<string, string>): Promise<Array<{ msg?: string }>> {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const s = await startTestServer({ flags, logger: { level: 'info', stream } });
  try {
    assert.equal((await api(s, 'GET', '/healthz')).status, 200);
    assert.equal((await api(s, 'GET', '/iam/v1/groups')).status, 401);
  } finally {
    await s.stop(true);
  }
  return lines.map((l) => JSON.parse(l) as { msg?: string });
}

it('logs each request only with --log-requests, and refusals either way', async () => {
  const quiet = await logLinesOf({});
  assert.ok(quiet.some((l) => l.msg === 'request refused'), 'a refusal is logged');
  assert.ok(!quiet.some((l) => l.msg === 'incoming request' || l.msg === 'request completed'), 'no access lines by default');

  const verbose = await logLinesOf({ logRequests: 'true' });
  assert.equal(verbose.filter((l) => l.msg === 'request completed').length, 2, 'one line per request');
  assert.ok(verbose.some((l) => l.msg === 'request refused'));
});
