// Spec check 5: the Host is exactly one allow-listed STS endpoint of a configured partition.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveStsHost, verifyAwsRequest } from '../../src/aws/index.js';
import { assertRefused, b64, BIND, serialize, signedRequest } from './support.js';

test('check 5 accepts each endpoint shape in its partition when that partition is configured', async () => {
  const cases: Array<[string, 'aws' | 'aws-cn' | 'aws-us-gov', string]> = [
    ['sts.amazonaws.com', 'aws', 'us-east-1'],
    ['sts.eu-west-1.amazonaws.com', 'aws', 'eu-west-1'],
    ['sts.ap-southeast-4.amazonaws.com', 'aws', 'ap-southeast-4'],
    ['sts-fips.us-east-2.amazonaws.com', 'aws', 'us-east-2'],
    ['sts.cn-north-1.amazonaws.com.cn', 'aws-cn', 'cn-north-1'],
    ['sts.cn-northwest-1.amazonaws.com.cn', 'aws-cn', 'cn-northwest-1'],
    ['sts.us-gov-west-1.amazonaws.com', 'aws-us-gov', 'us-gov-west-1'],
    ['sts-fips.us-gov-east-1.amazonaws.com', 'aws-us-gov', 'us-gov-east-1'],
  ];
  for (const [host, partition, region] of cases) {
    const token = b64(serialize(await signedRequest({ host })));
    const checked = verifyAwsRequest(token, BIND, { partitions: [partition] });
    assert.deepEqual([checked.endpoint.host, checked.endpoint.partition, checked.endpoint.region], [host, partition, region]);
    // ...and not when only another partition is configured.
    const other = partition === 'aws' ? 'aws-us-gov' : 'aws';
    assertRefused(() => verifyAwsRequest(token, BIND, { partitions: [other] }), 'AWS_TOKEN_HOST_NOT_ALLOWED', /partition/);
  }
});

test('check 5 defaults to the commercial partition only', async () => {
  const gov = b64(serialize(await signedRequest({ host: 'sts.us-gov-west-1.amazonaws.com' })));
  assertRefused(() => verifyAwsRequest(gov, BIND), 'AWS_TOKEN_HOST_NOT_ALLOWED');
  assert.ok(verifyAwsRequest(gov, BIND, { partitions: ['aws', 'aws-us-gov'] }));
});

test('check 5 refuses ports, userinfo, trailing dots, case, look-alikes and other services', async () => {
  const text = serialize(await signedRequest());
  for (const host of [
    'sts.amazonaws.com:443',
    'user@sts.amazonaws.com',
    'sts.amazonaws.com.',
    'STS.amazonaws.com',
    'sts.amazonaws.com.evil.com',
    'evilsts.amazonaws.com',
    'sts.amazonaws.co',
    'sts.amazonaws.com.cn',
    'sts.cn-north-1.amazonaws.com',
    'sts.us-east-1.amazonaws.com.cn',
    'sts-fips.cn-north-1.amazonaws.com.cn',
    'sts.us-iso-east-1.amazonaws.com',
    'iam.amazonaws.com',
    'sts.us-east-1.vpce.amazonaws.com',
    'sts.useast1.amazonaws.com',
    'sts.us-east-123.amazonaws.com',
    'sts..amazonaws.com',
    '127.0.0.1',
    'localhost',
    '',
  ]) {
    assert.equal(resolveStsHost(host), undefined, host);
    assertRefused(
      () => verifyAwsRequest(b64(text.replace('host: sts.amazonaws.com', `host: ${host}`)), BIND),
      'AWS_TOKEN_HOST_NOT_ALLOWED',
    );
  }
});

test('check 5 refuses a missing or repeated Host', async () => {
  const text = serialize(await signedRequest());
  assertRefused(() => verifyAwsRequest(b64(text.replace(/host: [^\r]+\r\n/, '')), BIND), 'AWS_TOKEN_HOST_NOT_ALLOWED', /missing/);
  assertRefused(
    () => verifyAwsRequest(b64(text.replace('host: sts.amazonaws.com', 'host: sts.amazonaws.com\r\nHost: sts.amazonaws.com')), BIND),
    'AWS_TOKEN_DUPLICATE_HEADER',
    /Host/,
  );
});
