// Test support for the AWS identity token suite: real SigV4 signing with @smithy/signature-v4
// (fake credentials, frozen clock), serialisation in the shapes real clients produce, and a
// SigV4 check for what a local "STS" receives.

import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import assert from 'node:assert/strict';
import type { CheckedAwsRequest } from '../../src/aws/index.js';
import { isLatchkeyError } from '../../src/errors/index.js';

export const IDENTITY = '66fe8510254166621680aeb498b0249b66900d34/335917336625376d';
export const AUDIENCE = 'https://latchkey.example.test';
/** The frozen clock: every token below is signed at NOW unless a test says otherwise. */
export const NOW = new Date('2026-01-15T12:00:00Z');
export const CREDENTIALS = {
  accessKeyId: 'ASIAFAKEFAKEFAKE0001',
  secretAccessKey: 'fakeSecretKeyForLatchkeyTestsOnly0000000',
  sessionToken: 'FQoGZXIvYXdzEFAKE//session+token==',
};
export const BIND = { identity: IDENTITY, audience: AUDIENCE, now: NOW };

export interface TokenSpec {
  host?: string;
  /** Signing region; default: the host's (us-east-1 for the global endpoint). */
  region?: string;
  /** 'query' (curl, Go SDK) or 'body' (botocore, JS SDK). */
  form?: 'query' | 'body';
  signingDate?: Date;
  identity?: string;
  audience?: string;
  /** Headers added before signing (signed). */
  signedExtra?: Record<string, string>;
  /** Headers added after signing (not signed), e.g. User-Agent. */
  unsignedExtra?: Record<string, string>;
  /** Sign with a session token (default true). */
  sessionToken?: boolean;
  /** Leave the binding headers out of the signature (GHSA-wq26-3j2m-4hvv). */
  unsignedBinding?: boolean;
}

export interface PlainRequest {
  method: string;
  target: string;
  headers: Array<[string, string]>;
  body: string;
}

function regionOf(host: string): string {
  const m = /^sts(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/.exec(host);
  return m ? (m[1] as string) : 'us-east-1';
}

/** A GetCallerIdentity request signed by smithy's SigV4 signer, as a client would send it. */
export async function signedRequest(spec: TokenSpec = {}): Promise<PlainRequest> {
  const host = spec.host ?? 'sts.amazonaws.com';
  const form = spec.form ?? 'query';
  const binding: Record<string, string> = {
    'Chainguard-Identity': spec.identity ?? IDENTITY,
    'Chainguard-Audience': spec.audience ?? AUDIENCE,
  };
  const headers: Record<string, string> = {
    host,
    ...(form === 'body' ? { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' } : {}),
    ...(spec.unsignedBinding ? {} : binding),
    ...spec.signedExtra,
  };
  const body = form === 'body' ? 'Action=GetCallerIdentity&Version=2011-06-15' : '';
  const request = new HttpRequest({
    method: 'POST',
    protocol: 'https:',
    hostname: host,
    path: '/',
    query: form === 'query' ? { Action: 'GetCallerIdentity', Version: '2011-06-15' } : {},
    headers,
    body: form === 'body' ? body : undefined,
  });
  const { sessionToken, ...longTerm } = CREDENTIALS;
  const signer = new SignatureV4({
    credentials: spec.sessionToken === false ? longTerm : { ...longTerm, sessionToken },
    region: spec.region ?? regionOf(host),
    service: 'sts',
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign(request, { signingDate: spec.signingDate ?? NOW });
  const out: Array<[string, string]> = Object.entries(signed.headers).map(([k, v]) => [k, String(v)]);
  if (form === 'body') out.push(['Content-Length', String(body.length)]);
  if (spec.unsignedBinding) for (const [k, v] of Object.entries(binding)) out.push([k, v]);
  for (const [k, v] of Object.entries(spec.unsignedExtra ?? {})) out.push([k, v]);
  const target = form === 'query' ? '/?Action=GetCallerIdentity&Version=2011-06-15' : '/';
  return { method: 'POST', target, headers: out, body };
}

export interface SerializeOptions {
  eol?: '\r\n' | '\n';
  httpVersion?: string;
  /** End the head with a blank line (default true). */
  blankLine?: boolean;
}

/** The request as bytes on the wire (or as curl -v prints it). */
export function serialize(req: PlainRequest, opts: SerializeOptions = {}): string {
  const eol = opts.eol ?? '\r\n';
  const lines = [`${req.method} ${req.target} ${opts.httpVersion ?? 'HTTP/1.1'}`];
  for (const [k, v] of req.headers) lines.push(`${k}: ${v}`);
  let text = lines.join(eol) + eol;
  if (opts.blankLine !== false) text += eol + req.body;
  return text;
}

export function b64(text: string | Buffer): string {
  return Buffer.from(text as string, 'latin1').toString('base64');
}

/** A token for `spec`, serialised with `opts`. */
export async function makeToken(spec: TokenSpec = {}, opts: SerializeOptions = {}): Promise<string> {
  return b64(serialize(await signedRequest(spec), opts));
}

/** The signed seed-shaped request text (curl's query form, CRLF). */
export async function seedText(spec: TokenSpec = {}): Promise<string> {
  return serialize(await signedRequest(spec));
}

function checkRefusal(caught: unknown, code: string, message?: RegExp): Error {
  assert.ok(isLatchkeyError(caught), `expected LatchkeyError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, `expected ${code}, got ${caught.code}: ${caught.message}`);
  if (message) assert.match(caught.message, message);
  return caught;
}

/** Asserts `fn` throws a LatchkeyError with `code` (and returns it). */
export function assertRefused(fn: () => unknown, code: string, message?: RegExp): Error {
  try {
    fn();
  } catch (err) {
    return checkRefusal(err, code, message);
  }
  return checkRefusal(undefined, code, message);
}

/** Asserts `p` rejects with a LatchkeyError with `code` (and returns it). */
export async function assertRejects(p: Promise<unknown>, code: string, message?: RegExp): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return checkRefusal(err, code, message);
  }
  return checkRefusal(undefined, code, message);
}

/** Access key id -> secret, as an STS stand-in knows them. */
export const TEST_KEYS: Readonly<Record<string, string>> = { [CREDENTIALS.accessKeyId]: CREDENTIALS.secretAccessKey };
/** The keys the real-client captures were signed with (AWS's documentation examples). */
export const CAPTURE_KEYS: Readonly<Record<string, string>> = {
  ASIAIOSFODNN7EXAMPLE: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AKIAIOSFODNN7EXAMPLE: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

/**
 * True when a request as received (lowercased header map, body) carries a valid SigV4
 * signature for a key in `keys`: recomputes it over the headers the Authorization lists.
 */
export async function hasValidSignature(
  method: string,
  target: string,
  received: Record<string, string | string[] | undefined>,
  body: string,
  keys: Readonly<Record<string, string>> = TEST_KEYS,
): Promise<boolean> {
  const auth = String(received.authorization ?? '');
  const credential = /Credential=([^/]+)\/(\d{8})\/([^/]+)\/sts\/aws4_request/.exec(auth);
  const signedList = /SignedHeaders=([^,]+)/.exec(auth)?.[1];
  const signature = /Signature=([0-9a-f]{64})/.exec(auth)?.[1];
  if (!credential || !signedList || !signature) return false;
  const [, akid, , region] = credential as unknown as string[];
  // Like STS: the access key id picks the secret; an unknown id never verifies.
  const secretAccessKey = Object.hasOwn(keys, akid as string) ? keys[akid as string] : undefined;
  if (secretAccessKey === undefined) return false;
  const headers: Record<string, string> = {};
  for (const name of signedList.split(';')) {
    const v = received[name];
    if (typeof v !== 'string') return false;
    headers[name] = v;
  }
  const [path, qs] = target.split('?') as [string, string | undefined];
  const query: Record<string, string> = {};
  for (const pair of (qs ?? '').split('&').filter(Boolean)) {
    const [k, v] = pair.split('=') as [string, string];
    query[decodeURIComponent(k)] = decodeURIComponent(v);
  }
  const date = headers['x-amz-date'] as string;
  const signingDate = new Date(
    `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
  );
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: akid as string,
      secretAccessKey,
      ...(headers['x-amz-security-token'] ? { sessionToken: headers['x-amz-security-token'] } : {}),
    },
    region: region as string,
    service: 'sts',
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: false,
  });
  const again = await signer.sign(
    new HttpRequest({ method, protocol: 'https:', hostname: headers.host as string, path, query, headers, body: body || undefined }),
    { signingDate },
  );
  return String(again.headers.authorization ?? again.headers.Authorization).endsWith(`Signature=${signature}`);
}

/** A checked request as the upstream receives it: Host plus the forwarded headers, lowercased. */
export function asReceived(checked: CheckedAwsRequest): Record<string, string> {
  const headers: Record<string, string> = { host: checked.endpoint.host };
  for (const [name, value] of checked.headers) headers[name.toLowerCase()] = value;
  return headers;
}

/** True when the forwarded request still carries a valid signature (as STS would check it). */
export function forwardedSignatureValid(checked: CheckedAwsRequest, keys?: Readonly<Record<string, string>>): Promise<boolean> {
  return hasValidSignature('POST', checked.target, asReceived(checked), checked.body, keys);
}
