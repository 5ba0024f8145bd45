// Spec check 2: one strictly formed request. Accepts what real clients produce (CRLF or bare
// LF, a trailing blank line or none, a lone final CR, HTTP/2 in curl's line, any header case);
// refuses pipelining, obs-fold, control bytes, bad names, Transfer-Encoding, bad lengths.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAwsToken, verifyAwsRequest } from '../../src/aws/index.js';
import { assertRefused, b64, BIND, serialize, signedRequest } from './support.js';

const parse = (text: string) => parseAwsToken(b64(text));

test('check 2 accepts every line-ending and blank-line variant, and HTTP/2 and HTTP/1.0', async () => {
  const req = await signedRequest();
  const crlf = serialize(req);
  const variants: Record<string, string> = {
    crlf,
    'crlf, no blank line': serialize(req, { blankLine: false }),
    'crlf, lone final CR': crlf.slice(0, -1),
    'crlf, extra newline at the end': `${crlf}\n`,
    lf: serialize(req, { eol: '\n' }),
    'lf, no blank line': serialize(req, { eol: '\n', blankLine: false }),
    'lf, last line unterminated': serialize(req, { eol: '\n', blankLine: false }).slice(0, -1),
    'HTTP/2': serialize(req, { httpVersion: 'HTTP/2' }),
    'HTTP/1.0': serialize(req, { httpVersion: 'HTTP/1.0' }),
    'upper-case names': crlf.replace(/^([a-z-]+):/gm, (_, n: string) => `${n.toUpperCase()}:`),
  };
  for (const [name, text] of Object.entries(variants)) {
    const checked = verifyAwsRequest(b64(text), BIND);
    assert.equal(checked.body, '', name);
    assert.equal(checked.target, '/?Action=GetCallerIdentity&Version=2011-06-15', name);
  }
});

test('check 2 accepts the form body with a Content-Length, and a Content-Length: 0 query form', async () => {
  const body = await signedRequest({ form: 'body' });
  assert.equal(parse(serialize(body)).body, 'Action=GetCallerIdentity&Version=2011-06-15');
  assert.equal(parse(serialize(body, { eol: '\n' })).body, 'Action=GetCallerIdentity&Version=2011-06-15');
  const query = await signedRequest({ unsignedExtra: { 'Content-Length': '0' } });
  assert.equal(parse(serialize(query)).body, '');
});

test('check 2 refuses a second, pipelined request', async () => {
  const text = serialize(await signedRequest());
  assertRefused(() => parse(text + text), 'AWS_TOKEN_MALFORMED_REQUEST');
  const body = serialize(await signedRequest({ form: 'body' }));
  assertRefused(() => parse(`${body}POST / HTTP/1.1\r\nHost: sts.amazonaws.com\r\n\r\n`), 'AWS_TOKEN_MALFORMED_REQUEST');
});

test('check 2 refuses Content-Length that disagrees with the body, or appears twice', async () => {
  const text = serialize(await signedRequest({ form: 'body' }));
  assertRefused(() => parse(text.replace('Content-Length: 43', 'Content-Length: 44')), 'AWS_TOKEN_MALFORMED_REQUEST');
  assertRefused(() => parse(text.replace('Content-Length: 43', 'Content-Length: 40')), 'AWS_TOKEN_MALFORMED_REQUEST');
  assertRefused(() => parse(text.replace('Content-Length: 43', 'Content-Length: 43\r\nContent-Length: 43')), 'AWS_TOKEN_MALFORMED_REQUEST');
  assertRefused(() => parse(text.replace('Content-Length: 43', 'Content-Length: +43')), 'AWS_TOKEN_MALFORMED_REQUEST');
  assertRefused(() => parse(text.replace('Content-Length: 43', 'Content-Length: 043')), 'AWS_TOKEN_MALFORMED_REQUEST');
  assertRefused(() => parse(text.replace('Content-Length: 43\r\n', '')), 'AWS_TOKEN_MALFORMED_REQUEST');
});

test('check 2 refuses Transfer-Encoding, obs-fold, control bytes and bad names', async () => {
  const text = serialize(await signedRequest());
  const withHeader = (line: string) => text.replace('\r\n', `\r\n${line}\r\n`);
  const cases: Record<string, string> = {
    'Transfer-Encoding': withHeader('Transfer-Encoding: chunked'),
    'obs-fold': text.replace(/(Chainguard-Audience: [^\r]+)\r\n/, '$1\r\n  folded\r\n'),
    'NUL in a value': withHeader('X-A: a\u0000b'),
    'bare CR in a value': withHeader('X-A: a\rb'),
    'DEL in a value': withHeader('X-A: a\u007fb'),
    'non-ASCII in a value': withHeader('X-A: caf\u00e9'),
    'space before the colon': withHeader('X-A : b'),
    'empty name': withHeader(': b'),
    'name with a slash': withHeader('X/A: b'),
    'line without a colon': withHeader('GET / HTTP/1.1'),
    'mixed line endings': text.replace('\r\n', '\n'),
    'leading blank line': `\r\n${text}`,
    'double space in the request line': text.replace('POST ', 'POST  '),
    'unknown HTTP version': text.replace('HTTP/1.1', 'HTTP/3'),
    'lowercase http version': text.replace('HTTP/1.1', 'http/1.1'),
    'empty request': '\r\n',
  };
  for (const [name, bad] of Object.entries(cases)) {
    const err = assertRefused(() => parse(bad), 'AWS_TOKEN_MALFORMED_REQUEST');
    assert.ok(err.message.length > 0, name);
  }
});

test('check 2 refuses more than 64 header lines and body bytes that are not printable', async () => {
  const text = serialize(await signedRequest());
  const many = Array.from({ length: 64 }, (_, i) => `X-Pad-${i}: x`).join('\r\n');
  assertRefused(() => parse(text.replace('\r\n', `\r\n${many}\r\n`)), 'AWS_TOKEN_TOO_LARGE');
  const body = serialize(await signedRequest({ form: 'body' }));
  assertRefused(() => parse(body.replace('Version=2011-06-15', 'Version=2011-06\t15')), 'AWS_TOKEN_MALFORMED_REQUEST');
});
