// Parses attacker-controlled input: a parsed token request, checked for meaning (spec checks
// 3-8) before anything is sent to STS. Returns the allow-listed endpoint and exactly what to
// forward: the signed headers and the body as signed, nothing else of the client's.

import {
  HEADER,
  HEADER_DISPLAY,
  HOP_BY_HOP_HEADERS,
  MAX_FUTURE_SECONDS,
  MAX_PAST_SECONDS,
  type AwsPartition,
} from './constants.js';
import { checkParameters } from './check-parameters.js';
import { checkTarget } from './check-target.js';
import { forLog, refuse } from './errors.js';
import { parseAmzDate } from './parse-amz-date.js';
import type { AwsRequestHeader, ParsedAwsRequest } from './parse-aws-token.js';
import { parseAuthorization } from './parse-authorization.js';
import { resolveStsHost, type StsEndpoint } from './sts-hosts.js';

/** What a token must be bound to, and the server's view of time and policy. */
export interface AwsRequestExpectation {
  /** The UIDP of the identity being assumed (Chainguard-Identity must equal it). */
  identity: string;
  /** This issuer's URL (Chainguard-Audience must equal it). */
  audience: string;
  /** The server clock. */
  now: Date;
  /** Partitions whose STS endpoints are allowed; default ['aws']. */
  partitions?: readonly AwsPartition[];
  /** How old X-Amz-Date may be, at most 900 (the default). */
  maxPastSeconds?: number;
  /** How far ahead X-Amz-Date may be, at most 300 (the default). */
  maxFutureSeconds?: number;
}

/** A request that passed checks 1-8: the endpoint it is for and what to send there. */
export interface CheckedAwsRequest {
  readonly endpoint: StsEndpoint;
  /** The request target exactly as signed (`/` or `/?Action=...`). */
  readonly target: string;
  /**
   * What to send besides Host: Authorization and the signed headers except Host, as the
   * client spelled them, in the client's order.
   */
  readonly headers: ReadonlyArray<readonly [name: string, value: string]>;
  /** The body exactly as signed ('' for the query form). */
  readonly body: string;
  /** X-Amz-Date. */
  readonly signedAt: Date;
  /** For the log: the access key id (not a secret) of the signer. */
  readonly accessKeyId: string;
  /** The SigV4 signature (64 hex digits): what names this request for one-time use. Never log it. */
  readonly signature: string;
  /** The last moment this request is accepted: X-Amz-Date plus the accepted age. */
  readonly acceptedUntil: Date;
}

/** A header name for a message: ours as the seed spells them, a client's capped. */
function display(lname: string): string {
  return HEADER_DISPLAY.get(lname) ?? forLog(lname, 40);
}

/** SigV4's canonical header value: trimmed, runs of spaces collapsed to one. */
export function canonicalHeaderValue(v: string): string {
  return v.trim().replace(/ {2,}/g, ' ');
}

function all(req: ParsedAwsRequest, lname: string): AwsRequestHeader[] {
  return req.headers.filter((h) => h.lname === lname);
}

/** The one header named `lname`, or throws MISSING / DUPLICATE. */
function single(req: ParsedAwsRequest, lname: string): AwsRequestHeader {
  const found = all(req, lname);
  if (found.length > 1) throw refuse('AWS_TOKEN_DUPLICATE_HEADER', `${display(lname)} header appears more than once`);
  const h = found[0];
  if (h === undefined) throw refuse('AWS_TOKEN_MISSING_HEADER', `${display(lname)} header is missing`);
  return h;
}

function checkHost(req: ParsedAwsRequest, partitions: readonly AwsPartition[]): StsEndpoint {
  const found = all(req, HEADER.host);
  if (found.length > 1) throw refuse('AWS_TOKEN_DUPLICATE_HEADER', 'Host header appears more than once');
  const host = found[0];
  if (host === undefined) throw refuse('AWS_TOKEN_HOST_NOT_ALLOWED', 'Host header is missing');
  const endpoint = resolveStsHost(host.value);
  if (endpoint === undefined) {
    throw refuse('AWS_TOKEN_HOST_NOT_ALLOWED', 'Host is not an STS endpoint', { host: forLog(host.value) });
  }
  if (!partitions.includes(endpoint.partition)) {
    throw refuse('AWS_TOKEN_HOST_NOT_ALLOWED', 'Host is an STS endpoint of a partition this server does not allow', {
      host: endpoint.host,
    });
  }
  return endpoint;
}

function boundedWindow(value: number | undefined, max: number, name: string): number {
  if (value === undefined) return max;
  if (!Number.isFinite(value) || value < 0 || value > max) throw new TypeError(`${name} must be between 0 and ${max}`);
  return value;
}

/**
 * Spec checks 3-8, in order. Throws AwsTokenError naming the first failed check.
 *
 * @example
 *   const checked = checkAwsRequest(parseAwsToken(token), { identity, audience, now: new Date() });
 */
export function checkAwsRequest(req: ParsedAwsRequest, expect: AwsRequestExpectation): CheckedAwsRequest {
  const partitions = expect.partitions ?? ['aws'];
  const maxPast = boundedWindow(expect.maxPastSeconds, MAX_PAST_SECONDS, 'maxPastSeconds');
  const maxFuture = boundedWindow(expect.maxFutureSeconds, MAX_FUTURE_SECONDS, 'maxFutureSeconds');

  // 3. POST to "/"; 4. the parameters.
  const { query } = checkTarget(req);
  checkParameters(req, query);

  // 5. An allow-listed host.
  const endpoint = checkHost(req, partitions);

  // 6. One Authorization header, scoped to sts in the host's region, signing the binding.
  const authHeaders = all(req, HEADER.authorization);
  if (authHeaders.length > 1) throw refuse('AWS_TOKEN_DUPLICATE_HEADER', 'Authorization header appears more than once');
  const authHeader = authHeaders[0];
  if (authHeader === undefined) throw refuse('AWS_TOKEN_BAD_AUTHORIZATION', 'Authorization header is missing');
  const auth = parseAuthorization(authHeader.value);
  if (auth.region !== endpoint.region) {
    throw refuse(
      'AWS_TOKEN_REGION_MISMATCH',
      endpoint.kind === 'global'
        ? 'Credential scope region must be us-east-1 for sts.amazonaws.com'
        : "Credential scope region does not match the Host's region",
      { host: endpoint.host, scopeRegion: auth.region },
    );
  }
  const signed = new Set(auth.signedHeaders);
  if (!signed.has(HEADER.host)) throw refuse('AWS_TOKEN_HEADER_NOT_SIGNED', 'Host header is not signed');
  if (!signed.has(HEADER.xAmzDate)) throw refuse('AWS_TOKEN_HEADER_NOT_SIGNED', 'X-Amz-Date header is not signed');
  if (!signed.has(HEADER.chainguardIdentity)) {
    throw refuse('AWS_TOKEN_IDENTITY_NOT_SIGNED', 'identity header (Chainguard-Identity) is not signed');
  }
  if (!signed.has(HEADER.chainguardAudience)) {
    throw refuse('AWS_TOKEN_AUDIENCE_NOT_SIGNED', 'audience header (Chainguard-Audience) is not signed');
  }
  for (const name of auth.signedHeaders) {
    if (HOP_BY_HOP_HEADERS.has(name) || name === HEADER.authorization) {
      throw refuse('AWS_TOKEN_BAD_AUTHORIZATION', `SignedHeaders lists ${display(name)}, which cannot be forwarded as signed`);
    }
  }

  // 7. Every header we read, and every header we forward, is signed and appears once; the
  // binding headers say what we expect. (Content-Length is exempt: it only frames the body,
  // which the signature covers through its hash, and the parser held it to the body's length.)
  for (const name of auth.signedHeaders) single(req, name);
  // A session token must be signed too. Unsigned, we would drop it (we forward only signed
  // headers) and STS would refuse with a confusing error; and nothing should ride along
  // unsigned next to a credential. Every real client (curl -H, botocore, the SDKs) signs it.
  if (all(req, HEADER.xAmzSecurityToken).length > 0 && !signed.has(HEADER.xAmzSecurityToken)) {
    throw refuse('AWS_TOKEN_HEADER_NOT_SIGNED', 'X-Amz-Security-Token header is not signed');
  }
  if (req.body.length > 0 && !signed.has(HEADER.contentType)) {
    throw refuse('AWS_TOKEN_HEADER_NOT_SIGNED', 'Content-Type header is not signed');
  }
  const identity = single(req, HEADER.chainguardIdentity);
  if (canonicalHeaderValue(identity.value) !== expect.identity) {
    throw refuse('AWS_TOKEN_IDENTITY_MISMATCH', 'identity header does not name the identity requested', {
      signed: forLog(identity.value),
    });
  }
  const audience = single(req, HEADER.chainguardAudience);
  if (canonicalHeaderValue(audience.value) !== expect.audience) {
    throw refuse('AWS_TOKEN_AUDIENCE_MISMATCH', `audience header does not name this issuer: sign Chainguard-Audience: ${expect.audience}`, {
      signed: forLog(audience.value),
    });
  }

  // 8. Time.
  const dateHeader = single(req, HEADER.xAmzDate);
  const signedAt = parseAmzDate(dateHeader.value);
  if (signedAt === undefined) throw refuse('AWS_TOKEN_BAD_DATE', 'X-Amz-Date is not YYYYMMDDTHHMMSSZ');
  if (dateHeader.value.slice(0, 8) !== auth.scopeDate) {
    throw refuse('AWS_TOKEN_BAD_DATE', "Credential scope date does not match X-Amz-Date's date");
  }
  const age = (expect.now.getTime() - signedAt.getTime()) / 1000;
  if (age > maxPast) throw refuse('AWS_TOKEN_EXPIRED', `request was signed more than ${maxPast} seconds ago`, { age });
  if (-age > maxFuture) {
    throw refuse('AWS_TOKEN_NOT_YET_VALID', `request is signed more than ${maxFuture} seconds in the future`, { age });
  }

  return {
    endpoint,
    target: req.target,
    headers: req.headers
      .filter((h) => h.lname === HEADER.authorization || (signed.has(h.lname) && h.lname !== HEADER.host))
      .map((h) => [h.name, h.value] as const),
    body: req.body,
    signedAt,
    accessKeyId: auth.accessKeyId,
    signature: auth.signature,
    acceptedUntil: new Date(signedAt.getTime() + maxPast * 1000),
  };
}
