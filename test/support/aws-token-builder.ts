// Builds AWS identity tokens for tests: a GetCallerIdentity request signed with
// @smithy/signature-v4 (never by hand), serialized as an HTTP/1.1 request head, base64.
// Options let a test break exactly one thing after (or before) signing. Like the AWS SDKs
// (and the CLI), each token signs a fresh amz-sdk-invocation-id, so two tokens built in the
// same second are two requests: the server accepts each signed request once.

import { randomUUID } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

export interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface BuildOptions {
  identity: string;
  audience: string;
  host?: string;
  region?: string;
  date?: Date;
  /** Query-string form (curl) or form body (SDKs). */
  form?: 'query' | 'body';
  /** Raw query string / body parameters to sign instead of the standard pair. */
  params?: string;
  /** Headers to sign in addition to the binding headers (lowercase names). */
  extraSigned?: Record<string, string>;
  /** Binding headers to leave out of the signature (added after signing). */
  unsigned?: Array<'chainguard-identity' | 'chainguard-audience'>;
  /** Binding headers to leave out altogether. */
  omit?: Array<'chainguard-identity' | 'chainguard-audience'>;
  /** Raw header lines appended after signing (duplicates, extras). */
  appendLines?: string[];
  eol?: '\r\n' | '\n';
  alphabet?: 'std' | 'url';
  /** The signed amz-sdk-invocation-id: a new UUID by default; false for none (curl's request). */
  invocationId?: string | false;
}

export async function buildAwsToken(creds: Creds, o: BuildOptions): Promise<string> {
  const host = o.host ?? 'sts.amazonaws.com';
  const region = o.region ?? 'us-east-1';
  const params = o.params ?? 'Action=GetCallerIdentity&Version=2011-06-15';
  const form = o.form ?? 'query';
  const invocation: Record<string, string> = o.invocationId === false ? {} : { 'amz-sdk-invocation-id': o.invocationId ?? randomUUID() };
  const headers: Record<string, string> = { host, accept: 'application/json', ...invocation, ...o.extraSigned };
  const late: Record<string, string> = {};
  for (const [name, value] of [['chainguard-identity', o.identity], ['chainguard-audience', o.audience]] as const) {
    if (o.omit?.includes(name)) continue;
    if (o.unsigned?.includes(name)) late[name] = value;
    else headers[name] = value;
  }
  if (form === 'body') headers['content-type'] = 'application/x-www-form-urlencoded; charset=utf-8';
  const query: Record<string, string> = {};
  if (form === 'query') for (const [k, v] of new URLSearchParams(params)) query[k] = v;
  const req = new HttpRequest({
    method: 'POST', protocol: 'https:', hostname: host, path: '/', query, headers,
    body: form === 'body' ? params : undefined,
  });
  const signer = new SignatureV4({ credentials: creds, region, service: 'sts', sha256: Hash.bind(null, 'sha256'), uriEscapePath: true, applyChecksum: false });
  const signed = await signer.sign(req, { signingDate: o.date ?? new Date() });
  const eol = o.eol ?? '\r\n';
  const target = form === 'query' ? `/?${params}` : '/';
  const lines = [`POST ${target} HTTP/1.1`];
  for (const [k, v] of Object.entries({ ...signed.headers, ...late })) lines.push(`${k}: ${v}`);
  if (form === 'body') lines.push(`content-length: ${Buffer.byteLength(params)}`);
  lines.push(...(o.appendLines ?? []));
  const text = lines.join(eol) + eol + eol + (form === 'body' ? params : '');
  const b64 = Buffer.from(text, 'utf8').toString('base64');
  return o.alphabet === 'url' ? b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') : b64;
}
