// Parses attacker-controlled input: the Host of a token's request. The allow-list of STS
// endpoints per partition (spec check 5), decided by exact label structure, never by suffix
// matching or a regular expression.

import { GLOBAL_ENDPOINT_REGION, type AwsPartition } from './constants.js';

/** An allow-listed STS endpoint. */
export interface StsEndpoint {
  readonly host: string;
  readonly partition: AwsPartition;
  /** The region a request to this host must be signed for (us-east-1 for the global one). */
  readonly region: string;
  readonly kind: 'global' | 'regional' | 'fips';
}

const MAX_HOST_LENGTH = 80;
const MAX_REGION_LENGTH = 32;

/** Regions of the AWS ISO partitions share the amazonaws.com shape but not the partition. */
const NOT_COMMERCIAL_PREFIXES = ['cn-', 'us-gov-', 'us-iso-', 'us-isob-', 'us-isof-', 'eu-isoe-'];

function isLowerAlpha(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 97 || c > 122) return false;
  }
  return true;
}

/**
 * True for a syntactically valid AWS region name: two letters, one or more lowercase words,
 * a number of one or two digits (`us-east-1`, `ap-southeast-12`, `us-gov-west-1`).
 */
export function isAwsRegion(s: string): boolean {
  if (s.length > MAX_REGION_LENGTH) return false;
  const parts = s.split('-');
  if (parts.length < 3) return false;
  const first = parts[0] as string;
  const last = parts[parts.length - 1] as string;
  if (first.length !== 2 || !isLowerAlpha(first)) return false;
  for (let i = 1; i < parts.length - 1; i++) if (!isLowerAlpha(parts[i] as string)) return false;
  if (last.length < 1 || last.length > 2) return false;
  for (let i = 0; i < last.length; i++) {
    const c = last.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function partitionOfAmazonawsCom(region: string): AwsPartition | undefined {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  for (const p of NOT_COMMERCIAL_PREFIXES) if (region.startsWith(p)) return undefined;
  return 'aws';
}

/**
 * The STS endpoint `host` names, in any partition, or undefined when it is not one:
 * `sts.amazonaws.com`; `sts.<region>.amazonaws.com` and `sts-fips.<region>.amazonaws.com`
 * (commercial and GovCloud regions); `sts.<cn-region>.amazonaws.com.cn`. Lowercase only; no
 * port, userinfo, trailing dot or extra label.
 */
export function resolveStsHost(host: string): StsEndpoint | undefined {
  if (host.length === 0 || host.length > MAX_HOST_LENGTH) return undefined;
  for (let i = 0; i < host.length; i++) {
    const c = host.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 46)) return undefined;
  }
  const labels = host.split('.');
  if (host === 'sts.amazonaws.com') {
    return { host, partition: 'aws', region: GLOBAL_ENDPOINT_REGION, kind: 'global' };
  }
  const [service, region, l2, l3, l4] = labels as [string, string, string?, string?, string?];
  if (labels.length < 4 || labels.length > 5 || !isAwsRegion(region)) return undefined;
  if (service !== 'sts' && service !== 'sts-fips') return undefined;
  const kind = service === 'sts' ? 'regional' : 'fips';
  if (labels.length === 4 && l2 === 'amazonaws' && l3 === 'com') {
    const partition = partitionOfAmazonawsCom(region);
    return partition ? { host, partition, region, kind } : undefined;
  }
  if (labels.length === 5 && l2 === 'amazonaws' && l3 === 'com' && l4 === 'cn') {
    if (kind !== 'regional' || !region.startsWith('cn-')) return undefined;
    return { host, partition: 'aws-cn', region, kind };
  }
  return undefined;
}
