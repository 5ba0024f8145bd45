// STS's answer, parsed strictly: exactly one result, a 12-digit Account, an Arn of that account
// in the endpoint's partition, a UserId; JSON or a tiny fixed XML shape.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseStsResponse } from '../../src/aws/index.js';
import { ACCOUNT, ARN, jsonIdentity, USER_ID, xmlIdentity } from './fake-sts.js';
import { assertRefused } from './support.js';

const expected = { account: ACCOUNT, arn: ARN, userId: USER_ID, partition: 'aws' };

test('parses the JSON and XML answers (with or without an XML declaration or Content-Type)', () => {
  assert.deepEqual(parseStsResponse(jsonIdentity(), 'application/json', 'aws'), expected);
  assert.deepEqual(parseStsResponse(jsonIdentity(), 'application/json; charset=utf-8', 'aws'), expected);
  assert.deepEqual(parseStsResponse(xmlIdentity(), 'text/xml', 'aws'), expected);
  assert.deepEqual(parseStsResponse(`<?xml version="1.0" encoding="UTF-8"?>\n${xmlIdentity()}`, 'text/xml', 'aws'), expected);
  assert.deepEqual(parseStsResponse(xmlIdentity(), undefined, 'aws'), expected);
  assert.deepEqual(parseStsResponse(jsonIdentity(), undefined, 'aws'), expected);
  const root = `arn:aws:iam::${ACCOUNT}:root`;
  assert.equal(parseStsResponse(jsonIdentity(root, ACCOUNT, ACCOUNT), 'application/json', 'aws').arn, root);
  const gov = `arn:aws-us-gov:sts::${ACCOUNT}:assumed-role/r/s`;
  assert.equal(parseStsResponse(xmlIdentity(gov), 'text/xml', 'aws-us-gov').partition, 'aws-us-gov');
  assert.equal(parseStsResponse(xmlIdentity(ARN.replace('ci-runner', 'a&amp;b')), 'text/xml', 'aws').arn, ARN.replace('ci-runner', 'a&b'));
});

test('refuses answers that are not exactly one well-formed result', () => {
  const result = (r: unknown) => JSON.stringify({ GetCallerIdentityResponse: { GetCallerIdentityResult: r } });
  const json: string[] = [
    '',
    'null',
    '[]',
    '{"GetCallerIdentityResponse":{}}',
    result({ Account: ACCOUNT, Arn: ARN }),
    result({ Account: ACCOUNT, Arn: ARN, UserId: USER_ID, Extra: 'x' }),
    result({ Account: Number(ACCOUNT), Arn: ARN, UserId: USER_ID }),
    result({ Account: '12345678901', Arn: ARN.replace(ACCOUNT, '12345678901'), UserId: USER_ID }),
    result({ Account: ACCOUNT, Arn: ARN.replace(ACCOUNT, '210987654321'), UserId: USER_ID }),
    result({ Account: ACCOUNT, Arn: `arn:aws:s3:::${ACCOUNT}`, UserId: USER_ID }),
    result({ Account: ACCOUNT, Arn: `arn:aws:iam:us-east-1:${ACCOUNT}:root`, UserId: USER_ID }),
    result({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:`, UserId: USER_ID }),
    result({ Account: ACCOUNT, Arn: ARN, UserId: '' }),
    result({ Account: ACCOUNT, Arn: `${ARN} `, UserId: USER_ID }),
    result({ Account: ACCOUNT, Arn: ARN.replace('arn:aws:', 'arn:aws-us-gov:'), UserId: USER_ID }),
    // Repeated keys: JSON.parse would silently keep the last one.
    `{"GetCallerIdentityResponse":{"GetCallerIdentityResult":{"Account":"${ACCOUNT}","Arn":"${ARN}","UserId":"${USER_ID}","Arn":"arn:aws:iam::${ACCOUNT}:root"}}}`,
    `{"GetCallerIdentityResponse":{"GetCallerIdentityResult":{"Account":"${ACCOUNT}","Arn":"x","UserId":"y"},"GetCallerIdentityResult":{"Account":"${ACCOUNT}","Arn":"${ARN}","UserId":"${USER_ID}"}}}`,
    `{"GetCallerIdentityResponse":{"GetCallerIdentityResult":{"Account":"${ACCOUNT}","\\u0041rn":"${ARN}","Arn":"${ARN}","UserId":"${USER_ID}"}}}`,
  ];
  for (const body of json) assertRefused(() => parseStsResponse(body, 'application/json', 'aws'), 'STS_BAD_RESPONSE');

  const xml: string[] = [
    '<GetCallerIdentityResponse/>',
    xmlIdentity().replace('<Account>', '<Account>1'),
    xmlIdentity().replace('</GetCallerIdentityResult>', `<Arn>${ARN}</Arn></GetCallerIdentityResult>`),
    xmlIdentity().replace('</GetCallerIdentityResponse>', `<GetCallerIdentityResult><Arn>${ARN}</Arn><UserId>u</UserId><Account>${ACCOUNT}</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`),
    xmlIdentity().replace('<UserId>', '<!-- c --><UserId>'),
    xmlIdentity().replace(ARN, `<![CDATA[${ARN}]]>`),
    `<!DOCTYPE x [<!ENTITY a "b">]>${xmlIdentity()}`,
    xmlIdentity().replace('ci-runner', '&#97;'),
    xmlIdentity().replace('ci-runner', '&a;'),
    xmlIdentity().replace('xmlns="https://sts.amazonaws.com/doc/2011-06-15/"', 'xmlns="urn:other"'),
    xmlIdentity().replace('<Arn>', '<sts:Arn>').replace('</Arn>', '</sts:Arn>'),
    xmlIdentity().replace('<Arn>', '<Arn x="1">'),
    xmlIdentity().replace('</GetCallerIdentityResponse>', ''),
    `${xmlIdentity()}<x/>`,
    xmlIdentity().replace('<UserId>', 'text<UserId>'),
    xmlIdentity().replace(`<UserId>${USER_ID}</UserId>`, `<UserId><b>${USER_ID}</b></UserId>`),
  ];
  for (const body of xml) assertRefused(() => parseStsResponse(body, 'text/xml', 'aws'), 'STS_BAD_RESPONSE');
  assertRefused(() => parseStsResponse(jsonIdentity(), 'text/html', 'aws'), 'STS_BAD_RESPONSE');
  assertRefused(() => parseStsResponse(xmlIdentity(), 'text/xml', 'aws-cn'), 'STS_BAD_RESPONSE', /partition/);
});

test('refuses deeply nested or huge XML without recursion trouble', () => {
  const deep = `${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}`;
  assertRefused(() => parseStsResponse(deep, 'text/xml', 'aws'), 'STS_BAD_RESPONSE');
  const wide = `<GetCallerIdentityResponse>${'<x/>'.repeat(1000)}</GetCallerIdentityResponse>`;
  assertRefused(() => parseStsResponse(wide, 'text/xml', 'aws'), 'STS_BAD_RESPONSE');
});
