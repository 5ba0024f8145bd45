// Parses attacker-controlled input: the SigV4 Authorization header value (spec check 6),
// `AWS4-HMAC-SHA256 Credential=<akid>/<yyyymmdd>/<region>/sts/aws4_request,
// SignedHeaders=<a;b;c>, Signature=<64 hex>`, each component exactly once.

import { isTokenChar } from './parse-aws-token.js';
import { MAX_HEADER_LINES, SIGV4_ALGORITHM, SIGV4_TERMINATOR, STS_SERVICE } from './constants.js';
import { refuse } from './errors.js';
import { isAwsRegion } from './sts-hosts.js';

export interface SigV4Authorization {
  readonly accessKeyId: string;
  /** The credential scope's date, `YYYYMMDD`. */
  readonly scopeDate: string;
  readonly region: string;
  readonly service: string;
  /** Lowercase header names, strictly ascending as SigV4 requires. */
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

function bad(message: string): never {
  throw refuse('AWS_TOKEN_BAD_AUTHORIZATION', message);
}

function isWord(s: string, max: number): boolean {
  if (s.length === 0 || s.length > max) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95)) return false;
  }
  return true;
}

function isDigits(s: string, n: number): boolean {
  if (s.length !== n) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function isLowerHex(s: string, n: number): boolean {
  if (s.length !== n) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

function parseCredential(v: string): Pick<SigV4Authorization, 'accessKeyId' | 'scopeDate' | 'region' | 'service'> {
  const parts = v.split('/');
  if (parts.length !== 5) bad('Credential must be <access key id>/<date>/<region>/sts/aws4_request');
  const [accessKeyId, scopeDate, region, service, terminator] = parts as [string, string, string, string, string];
  if (!isWord(accessKeyId, 128)) bad('Credential has a malformed access key id');
  if (!isDigits(scopeDate, 8)) bad('Credential scope date is not YYYYMMDD');
  if (!isAwsRegion(region)) bad('Credential scope region is not a region name');
  if (service !== STS_SERVICE) bad('Credential scope service must be sts');
  if (terminator !== SIGV4_TERMINATOR) bad('Credential scope must end in aws4_request');
  return { accessKeyId, scopeDate, region, service };
}

function parseSignedHeaders(v: string): string[] {
  const names = v.split(';');
  if (names.length > MAX_HEADER_LINES) bad('SignedHeaders lists too many headers');
  for (let i = 0; i < names.length; i++) {
    const n = names[i] as string;
    if (n.length === 0) bad('SignedHeaders has an empty name');
    for (let j = 0; j < n.length; j++) {
      const c = n.charCodeAt(j);
      if (!isTokenChar(c) || (c >= 65 && c <= 90)) bad('SignedHeaders names must be lowercase header names');
    }
    if (i > 0 && !((names[i - 1] as string) < n)) bad('SignedHeaders must be sorted and without repeats');
  }
  return names;
}

/** Parses an Authorization header value, or throws AWS_TOKEN_BAD_AUTHORIZATION. */
export function parseAuthorization(value: string): SigV4Authorization {
  const prefix = `${SIGV4_ALGORITHM} `;
  if (!value.startsWith(prefix)) bad('Authorization must use AWS4-HMAC-SHA256');
  const seen = new Map<string, string>();
  for (const raw of value.slice(prefix.length).split(',')) {
    const part = raw.trim();
    const eq = part.indexOf('=');
    if (eq <= 0) bad('Authorization has a component that is not Name=value');
    const key = part.slice(0, eq);
    if (key !== 'Credential' && key !== 'SignedHeaders' && key !== 'Signature') {
      bad('Authorization may only have Credential, SignedHeaders and Signature');
    }
    if (seen.has(key)) bad(`Authorization has more than one ${key}`);
    seen.set(key, part.slice(eq + 1));
  }
  const credential = seen.get('Credential');
  const signedHeaders = seen.get('SignedHeaders');
  const signature = seen.get('Signature');
  if (credential === undefined) bad('Authorization has no Credential');
  if (signedHeaders === undefined) bad('Authorization has no SignedHeaders');
  if (signature === undefined) bad('Authorization has no Signature');
  if (!isLowerHex(signature, 64)) bad('Signature must be 64 lowercase hex digits');
  return { ...parseCredential(credential), signedHeaders: parseSignedHeaders(signedHeaders), signature };
}
