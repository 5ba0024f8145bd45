// Spec check 4: exactly Action=GetCallerIdentity and Version=2011-06-15, once each across query
// and body, case-sensitive names, nothing else, strict percent-decoding.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { verifyAwsRequest } from '../../src/aws/index.js';
import { assertRefused, b64, BIND, serialize, signedRequest } from './support.js';

const Q = 'Action=GetCallerIdentity&Version=2011-06-15';

async function withQuery(query: string): Promise<string> {
  return b64(serialize(await signedRequest()).replace(`/?${Q}`, `/?${query}`));
}

async function withBody(body: string, target = '/', contentType?: string): Promise<string> {
  let text = serialize(await signedRequest({ form: 'body' }))
    .replace(/\r\n\r\n.*$/s, `\r\n\r\n${body}`)
    .replace('Content-Length: 43', `Content-Length: ${body.length}`)
    .replace('POST / ', `POST ${target} `);
  if (contentType !== undefined) text = text.replace('application/x-www-form-urlencoded; charset=utf-8', contentType);
  return b64(text);
}

test('check 4 accepts the parameters in either order, percent-encoded, or split over query and body', async () => {
  for (const q of [Q, 'Version=2011-06-15&Action=GetCallerIdentity', 'Action=Get%43allerIdentity&Version=2011%2D06%2d15']) {
    assert.ok(verifyAwsRequest(await withQuery(q), BIND));
  }
  assert.ok(verifyAwsRequest(await withBody('Version=2011-06-15&Action=GetCallerIdentity'), BIND));
  assert.ok(verifyAwsRequest(await withBody('Version=2011-06-15', '/?Action=GetCallerIdentity'), BIND));
  assert.ok(verifyAwsRequest(await withBody(Q, '/', 'application/x-www-form-urlencoded'), BIND));
});

test('check 4 refuses another Action or Version, or a missing one', async () => {
  const cases: Array<[string, RegExp]> = [
    ['Action=AssumeRole&Version=2011-06-15', /Action must be GetCallerIdentity/],
    ['Action=getcalleridentity&Version=2011-06-15', /Action must be GetCallerIdentity/],
    ['Action=GetCallerIdentity%20&Version=2011-06-15', /Action must be GetCallerIdentity/],
    ['Version=2011-06-15', /Action parameter is missing/],
    ['Action=GetCallerIdentity&Version=2011-06-16', /Version must be 2011-06-15/],
    ['Action=GetCallerIdentity', /Version must be 2011-06-15/],
  ];
  for (const [q, message] of cases) {
    const token = await withQuery(q);
    assertRefused(() => verifyAwsRequest(token, BIND), 'AWS_TOKEN_BAD_ACTION', message);
  }
  const none = b64(serialize(await signedRequest()).replace(`/?${Q}`, '/'));
  assertRefused(() => verifyAwsRequest(none, BIND), 'AWS_TOKEN_BAD_ACTION', /missing/);
});

test('check 4 refuses a parameter repeated in the query, the body, or across both', async () => {
  const cases = [
    await withQuery(`${Q}&Action=GetCallerIdentity`),
    await withQuery(`${Q}&Version=2011-06-15`),
    await withQuery(`${Q}&%41ction=GetCallerIdentity`),
    await withBody(`${Q}&Action=GetCallerIdentity`),
    await withBody(Q, `/?${Q}`),
    await withBody('Action=GetCallerIdentity', `/?${Q}`),
  ];
  for (const token of cases) assertRefused(() => verifyAwsRequest(token, BIND), 'AWS_TOKEN_BAD_PARAMETERS', /more than once/);
});

test('check 4 refuses other parameters, other-case names and loose encoding', async () => {
  for (const q of [
    `${Q}&RoleArn=x`,
    'action=GetCallerIdentity&Version=2011-06-15',
    `${Q}&`,
    `&${Q}`,
    `${Q}&Flag`,
    `${Q}&=x`,
    'Action=GetCallerIdentity&Version=2011-06-15=',
    'Action=GetCaller%4Identity&Version=2011-06-15',
    'Action=GetCallerIdentity%00&Version=2011-06-15',
    'Action=GetCallerIdentity%C3%A9&Version=2011-06-15',
    'Action=GetCallerIdentity;Version=2011-06-15',
    'Action=GetCallerIdentity+&Version=2011-06-15',
  ]) {
    const token = await withQuery(q);
    assertRefused(() => verifyAwsRequest(token, BIND), 'AWS_TOKEN_BAD_PARAMETERS');
  }
});

test('check 4 refuses a body that is not a form', async () => {
  for (const type of ['application/json', 'text/plain', 'application/x-www-form-urlencoded; charset=latin1']) {
    const token = await withBody(Q, '/', type);
    assertRefused(() => verifyAwsRequest(token, BIND), 'AWS_TOKEN_BAD_PARAMETERS', /Content-Type/);
  }
  const noType = b64(serialize(await signedRequest({ form: 'body' })).replace(/Content-Type: [^\r]+\r\n/, ''));
  assertRefused(() => verifyAwsRequest(noType, BIND), 'AWS_TOKEN_BAD_PARAMETERS', /Content-Type/);
});
