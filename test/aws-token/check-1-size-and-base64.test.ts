// Spec check 1: a size cap on the encoded token and on the decoded request; strict base64.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAwsToken, verifyAwsRequest } from '../../src/aws/index.js';
import { assertRefused, b64, BIND, seedText } from './support.js';

test('check 1 accepts standard and URL-safe base64, padded or not', async () => {
  // A body length chosen so the encoding needs padding (and has + / characters).
  const text = await seedText({ signedExtra: { 'X-Amz-User-Agent': 'aws-sdk-js/3 ??>>~~' } });
  const bytes = Buffer.from(text, 'latin1');
  const std = bytes.toString('base64');
  const url = bytes.toString('base64url');
  assert.ok(/[+/]/.test(std) && /[-_]/.test(url), 'fixture exercises both alphabets');
  for (const token of [std, std.replace(/=+$/, ''), url, url + '='.repeat((4 - (url.length % 4)) % 4)]) {
    assert.equal(verifyAwsRequest(token, BIND).endpoint.host, 'sts.amazonaws.com');
  }
});

test('check 1 refuses an encoded token over the cap, before decoding it', () => {
  assertRefused(() => parseAwsToken('A'.repeat(8193)), 'AWS_TOKEN_TOO_LARGE');
  assertRefused(() => parseAwsToken('!'.repeat(8193)), 'AWS_TOKEN_TOO_LARGE');
  assertRefused(() => parseAwsToken('A'.repeat(1028), { maxTokenBytes: 1024 }), 'AWS_TOKEN_TOO_LARGE');
});

test('check 1 accepts a token exactly at the cap (which bounds the decoded request at 3/4 of it)', async () => {
  const token = b64(await seedText());
  const parsed = parseAwsToken(token, { maxTokenBytes: token.length });
  assert.equal(parsed.method, 'POST');
  assertRefused(() => parseAwsToken(token, { maxTokenBytes: token.length - 1 }), 'AWS_TOKEN_TOO_LARGE');
});

test('check 1 refuses whitespace, other characters, mixed alphabets and bad padding', async () => {
  const token = b64(await seedText());
  const cases: Record<string, string> = {
    empty: '',
    'trailing newline': `${token}\n`,
    'inner space': `${token.slice(0, 10)} ${token.slice(10)}`,
    'CRLF line wrap': `${token.slice(0, 76)}\r\n${token.slice(76)}`,
    'non-base64 character': `${token.slice(0, 10)}*${token.slice(11)}`,
    'mixed alphabets': `${token.slice(0, 10)}+_${token.slice(12)}`,
    'padding in the middle': `${token.slice(0, 8)}==${token.slice(10)}`,
    'three padding characters': 'QQ===',
    'padding on a full group': 'QUFB=',
    'truncated group': 'QUFBQ',
    'non-zero padding bits': 'QR==',
    'non-zero padding bits, unpadded': 'QUFBQR',
    'unicode look-alike': `${token.slice(0, 10)}\u0410${token.slice(11)}`,
  };
  for (const [name, bad] of Object.entries(cases)) {
    const err = assertRefused(() => parseAwsToken(bad), 'AWS_TOKEN_BAD_BASE64');
    assert.ok(!err.message.includes(bad.slice(0, 12)) || bad.length < 12, `${name}: message must not echo the token`);
  }
});
