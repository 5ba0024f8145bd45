// Bounded, deterministic fuzzing of the token parser and checks (checks 1-8): seeded mutations
// of valid tokens. Invariants: (1) the result is a checked request or a LatchkeyError, never
// another exception; (2) an accepted mutation binds to the same host, identity and audience;
// (3) what we would forward verifies under SigV4 exactly when it is, canonically, the original
// request: so every accepted change to a signed header, the target or the body is one STS refuses.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { verifyAwsRequest, type CheckedAwsRequest } from '../../src/aws/index.js';
import { isLatchkeyError } from '../../src/errors/index.js';
import { asReceived, BIND, CAPTURE_KEYS, forwardedSignatureValid, serialize, signedRequest } from './support.js';
import { mulberry32 as prng } from '../support/prng.js';

const ITERATIONS = 5000;

const INTERESTING = ['\r', '\n', '\r\n', '\0', ' ', '\t', ':', '%', '=', '&', '?', '/', '#', ';', ',', '\u007f', '\u00e9', 'A', 'a', '0'];
const LINES = [
  'Host: sts.amazonaws.com.evil.com',
  'Host: sts.amazonaws.com',
  'Transfer-Encoding: chunked',
  'Content-Length: 5',
  'Chainguard-Audience: https://evil.example',
  `Chainguard-Identity: ${BIND.identity}`,
  'X-Amz-Date: 20260115T120100Z',
  'Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260115/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=' + '0'.repeat(64),
  ' folded',
  'POST / HTTP/1.1',
  '',
];

function mutate(text: string, rnd: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const at = () => Math.floor(rnd() * (text.length + 1));
  switch (Math.floor(rnd() * 9)) {
    case 0: {
      const i = at();
      return text.slice(0, i) + String.fromCharCode(Math.floor(rnd() * 256)) + text.slice(i + 1);
    }
    case 1: {
      const i = at();
      return text.slice(0, i) + pick(INTERESTING) + text.slice(i);
    }
    case 2: {
      const i = at();
      return text.slice(0, i) + text.slice(i + 1 + Math.floor(rnd() * 8));
    }
    case 3: {
      const i = at();
      const c = text[i] ?? '';
      return text.slice(0, i) + (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()) + text.slice(i + 1);
    }
    case 4: {
      const lines = text.split('\r\n');
      const i = Math.floor(rnd() * lines.length);
      lines.splice(i, 0, pick(LINES));
      return lines.join('\r\n');
    }
    case 5: {
      const lines = text.split('\r\n');
      const i = Math.floor(rnd() * lines.length);
      lines.splice(i, 0, lines[Math.floor(rnd() * lines.length)] as string);
      return lines.join('\r\n');
    }
    case 6: {
      const lines = text.split('\r\n');
      const i = Math.floor(rnd() * lines.length);
      const j = Math.floor(rnd() * lines.length);
      [lines[i], lines[j]] = [lines[j] as string, lines[i] as string];
      return lines.join('\r\n');
    }
    case 7:
      return text.slice(0, at());
    default: {
      // A digit of the date, the region or a hex digit nudged: a plausible forgery.
      const i = at();
      const c = text.charCodeAt(i);
      return c >= 48 && c <= 57 ? text.slice(0, i) + String((c - 48 + 1) % 10) + text.slice(i + 1) : text;
    }
  }
}

/** What SigV4 actually covers, canonically: target parameters, signed header values, body. */
function canonical(c: CheckedAwsRequest): string {
  const headers = Object.entries(asReceived(c))
    .filter(([n]) => n !== 'authorization')
    .map(([n, v]) => `${n}:${v.trim().replace(/ +/g, ' ')}`)
    .sort();
  const auth = asReceived(c).authorization ?? '';
  const query = (c.target.split('?')[1] ?? '').split('&').map(decodeURIComponent).sort();
  return JSON.stringify({ headers, auth: auth.replace(/,\s*/g, ','), query, body: c.body.split('&').map(decodeURIComponent).sort() });
}

test(`fuzz: ${ITERATIONS} seeded mutations of valid tokens`, async () => {
  const captures = ['curl-seed-recipe.txt', 'botocore-regional.txt'].map((f) =>
    readFileSync(new URL(`../fixtures/aws-tokens/${f}`, import.meta.url)).toString('latin1'),
  );
  const originals = [
    { text: serialize(await signedRequest({ unsignedExtra: { 'User-Agent': 'curl/8.5.0', Accept: '*/*' } })), bind: BIND },
    { text: serialize(await signedRequest({ form: 'body', host: 'sts.eu-west-1.amazonaws.com' })), bind: BIND },
    ...captures.map((text) => ({
      text,
      bind: { identity: '66fe8510254166621680aeb498b0249b66900d34/335917336625376d', audience: 'https://issuer.enforce.dev', now: new Date('2026-11-25T03:36:00Z') },
      keys: CAPTURE_KEYS,
    })),
  ];
  const rnd = prng(0x1a7c4e);
  const stats = { accepted: 0, refused: 0, acceptedChanged: 0 };
  for (let i = 0; i < ITERATIONS; i++) {
    const o = originals[i % originals.length] as (typeof originals)[number] & { keys?: Readonly<Record<string, string>> };
    const base = verifyAwsRequest(Buffer.from(o.text, 'latin1').toString('base64'), o.bind);
    let text = o.text;
    const rounds = 1 + Math.floor(rnd() * 3);
    for (let r = 0; r < rounds; r++) text = mutate(text, rnd);
    let token = Buffer.from(text, 'latin1').toString(rnd() < 0.5 ? 'base64' : 'base64url');
    if (rnd() < 0.05) token = mutate(token, rnd); // sometimes the encoding itself
    let checked: CheckedAwsRequest;
    try {
      checked = verifyAwsRequest(token, o.bind);
    } catch (err) {
      assert.ok(isLatchkeyError(err), `iteration ${i}: non-LatchkeyError ${String(err)} for ${JSON.stringify(text)}`);
      stats.refused++;
      continue;
    }
    stats.accepted++;
    assert.equal(checked.endpoint.host, base.endpoint.host, `iteration ${i}: host changed`);
    const same = canonical(checked) === canonical(base);
    const valid = await forwardedSignatureValid(checked, o.keys);
    if (!same) stats.acceptedChanged++;
    assert.equal(valid, same, `iteration ${i}: signature ${valid ? 'valid' : 'invalid'} but request ${same ? 'unchanged' : 'changed'}: ${JSON.stringify(text)}`);
  }
  // The fuzzer must exercise both sides.
  assert.ok(stats.accepted > ITERATIONS / 20 && stats.refused > ITERATIONS / 4, JSON.stringify(stats));
});
