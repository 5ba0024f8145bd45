// The AWS identity token, built the way the seed builds it with curl, in one call: an STS
// GetCallerIdentity request signed (SigV4, by @smithy/signature-v4) with the caller's AWS
// credentials, with the binding headers Chainguard-Identity and Chainguard-Audience signed
// too, serialized as an HTTP/1.1 request head and base64-encoded. It is never sent to AWS
// by us; the Latchkey server forwards it to STS. See docs/aws-token.md.
//
// Every token is a new request: a fresh amz-sdk-invocation-id (the AWS SDKs' own per-request
// UUID) is signed with it, so two tokens signed in the same second with the same credentials
// still differ, and the server, which accepts each signed request once, accepts both.

import { randomUUID } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
// Leaf modules of the AWS context, not its index (which would bring the server's STS client).
import {
  GLOBAL_ENDPOINT_REGION, HEADER, PARAM_ACTION, PARAM_VERSION, STS_ACTION, STS_SERVICE, STS_VERSION,
} from '../aws/constants.js';
import { isAwsRegion, resolveStsHost } from '../aws/sts-hosts.js';

type SignerInit = ConstructorParameters<typeof SignatureV4>[0];
/** Static credentials or a provider (e.g. fromNodeProviderChain()). */
export type AwsCredentialsSource = SignerInit['credentials'];

export interface AwsTokenRequest {
  /** The assumable identity's UIDP (Chainguard-Identity). */
  identity: string;
  /** The issuer URL the token is for: the `issuer` of its discovery (Chainguard-Audience). */
  audience: string;
  /** Sign for sts.REGION.amazonaws.com; undefined for the global sts.amazonaws.com (us-east-1). */
  region?: string;
  credentials: AwsCredentialsSource;
  /** The signing time; now by default (tests freeze it). */
  signingDate?: Date;
  /** The request's amz-sdk-invocation-id; a new random UUID by default (tests freeze it). */
  invocationId?: string;
}

export interface StsEndpoint {
  host: string;
  /** The SigV4 signing region. */
  region: string;
}

/**
 * The STS host and signing region: the global sts.amazonaws.com (us-east-1), or
 * sts.REGION.amazonaws.com (.com.cn in China), checked against the allow-list the server uses.
 */
export function stsEndpoint(region?: string): StsEndpoint {
  if (region === undefined) return { host: 'sts.amazonaws.com', region: GLOBAL_ENDPOINT_REGION };
  if (!isAwsRegion(region)) throw new TypeError(`"${region}" is not an AWS region name such as us-east-1`);
  const host = `sts.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
  if (resolveStsHost(host)?.region !== region) throw new TypeError(`Latchkey accepts no STS endpoint for region ${region}`);
  return { host, region };
}

/** Header names as the seed spells them (SigV4 signs them lowercase either way). */
function displayName(name: string): string {
  return name.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('-');
}

function checkHeaderValue(name: string, value: string): void {
  // A CR or LF would let a value add its own header lines to the request head.
  if (!value || /[\x00-\x1f\x7f]/.test(value)) throw new TypeError(`${name} must be non-empty printable text`);
}

/** The parts of a request that go into its head. */
export interface RequestHead {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
}

/** The signed request as an HTTP/1.1 request head: request line, headers, blank line (no body). */
export function serializeRequestHead(req: RequestHead): string {
  const query = new URLSearchParams(req.query as Record<string, string> | undefined).toString();
  const lines = [`${req.method} ${req.path}${query ? `?${query}` : ''} HTTP/1.1`];
  const names = Object.keys(req.headers);
  // Host first, as HTTP clients write it; the rest in the order they were set and signed.
  for (const name of [...names.filter((n) => n === HEADER.host), ...names.filter((n) => n !== HEADER.host)]) {
    lines.push(`${displayName(name)}: ${req.headers[name]}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** The signed GetCallerIdentity request (exported for tests). */
export async function signGetCallerIdentity(r: AwsTokenRequest): Promise<RequestHead> {
  checkHeaderValue('the identity', r.identity);
  checkHeaderValue('the audience', r.audience);
  const endpoint = stsEndpoint(r.region);
  const request = new HttpRequest({
    method: 'POST',
    protocol: 'https:',
    hostname: endpoint.host,
    path: '/',
    query: { [PARAM_ACTION]: STS_ACTION, [PARAM_VERSION]: STS_VERSION },
    headers: {
      [HEADER.host]: endpoint.host,
      accept: 'application/json',
      [HEADER.chainguardIdentity]: r.identity,
      [HEADER.chainguardAudience]: r.audience,
      'amz-sdk-invocation-id': r.invocationId ?? randomUUID(),
    },
  });
  const signer = new SignatureV4({
    service: STS_SERVICE,
    region: endpoint.region,
    credentials: r.credentials,
    sha256: Hash.bind(null, 'sha256'),
    // The seed's curl request has no x-amz-content-sha256; STS does not need it.
    applyChecksum: false,
  });
  return signer.sign(request, { signingDate: r.signingDate ?? new Date() });
}

/** The base64 token (standard alphabet, as `base64 -w0` in the seed). */
export async function buildAwsToken(r: AwsTokenRequest): Promise<string> {
  const signed = await signGetCallerIdentity(r);
  return Buffer.from(serializeRequestHead(signed), 'utf8').toString('base64');
}
