// Verifies a SigV4-signed request the way AWS does, in AWS's order and with AWS's error codes.
// The signature itself is recomputed by @smithy/signature-v4, never by hand; this file only
// decides what smithy is given, and checks smithy signed exactly what the client said it signed.

import { createHash, timingSafeEqual } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { AwsFault, AWS_MESSAGES } from './aws-fault.js';
import { HEADER, SIGV4_CLOCK_SKEW_MS, SIGV4_TERMINATOR } from './constants.js';
import type { CredentialRecord } from './credential-store.js';
import { parseAuthorization, type SigV4Authorization } from './parse-authorization.js';
import { parseSigV4Query } from './parse-sigv4-query.js';
import type { ReceivedRequest } from './received-request.js';

export interface VerifySigV4Options {
  /** The signing name the credential scope must carry, e.g. `sts`. */
  service: string;
  /** The verifier's clock reading (the ±15 minute window is measured from it). */
  now: Date;
  lookup: (accessKeyId: string) => CredentialRecord | undefined;
}

export interface VerifiedSigV4 {
  record: CredentialRecord;
  authorization: SigV4Authorization;
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

function mismatch(reason: string, message: string = AWS_MESSAGES.signatureMismatch): AwsFault {
  return new AwsFault('SignatureDoesNotMatch', message, { reason });
}

function amzDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** The one value of a header SigV4 reads; duplicates are refused. */
function single(req: ReceivedRequest, name: string, code: 'IncompleteSignature' | 'InvalidClientTokenId'): string | undefined {
  const values = req.headers.get(name);
  if (values && values.length > 1) {
    throw new AwsFault(code, code === 'InvalidClientTokenId' ? AWS_MESSAGES.invalidToken : `Header '${name}' must appear only once`);
  }
  return values?.[0];
}

function parseAmzDate(value: string): Date {
  const m = AMZ_DATE.exec(value);
  const d = m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : undefined;
  if (!d || amzDate(d) !== value) {
    throw new AwsFault('IncompleteSignature', `X-Amz-Date must be in the ISO 8601 basic format YYYYMMDD'T'HHMMSS'Z'`);
  }
  return d;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Checks `req`'s Authorization header and returns the credential it was signed with.
 * Order (as AWS reports): header syntax; the access key; its session token; the token's
 * expiry; the request time within ±15 min; the credential scope; then the signature.
 * @throws AwsFault with AWS's code and message.
 */
export async function verifySigV4(req: ReceivedRequest, opts: VerifySigV4Options): Promise<VerifiedSigV4> {
  const header = single(req, HEADER.authorization, 'IncompleteSignature');
  if (header === undefined) throw new AwsFault('MissingAuthenticationToken', AWS_MESSAGES.missingAuth);
  const auth = parseAuthorization(header);

  const dateValue = single(req, HEADER.amzDate, 'IncompleteSignature');
  if (dateValue === undefined) {
    // AWS also accepts a signed Date header; smithy always signs x-amz-date, so the emulator can't.
    throw new AwsFault('IncompleteSignature', "Authorization header requires existence of a 'X-Amz-Date' header.");
  }
  const signedAt = parseAmzDate(dateValue);

  const record = opts.lookup(auth.accessKeyId);
  if (!record) throw new AwsFault('InvalidClientTokenId', AWS_MESSAGES.invalidToken, { reason: 'unknown access key' });
  const token = single(req, HEADER.securityToken, 'InvalidClientTokenId');
  if (record.sessionToken !== undefined ? token === undefined || !sameSecret(token, record.sessionToken) : token !== undefined) {
    throw new AwsFault('InvalidClientTokenId', AWS_MESSAGES.invalidToken, { reason: 'session token missing or not this key\'s' });
  }
  if (record.expiresAt && record.expiresAt.getTime() <= opts.now.getTime()) {
    throw new AwsFault('ExpiredToken', AWS_MESSAGES.expiredToken);
  }

  const now = opts.now.getTime();
  if (signedAt.getTime() < now - SIGV4_CLOCK_SKEW_MS) {
    throw mismatch('request time too old',
      `Signature expired: ${dateValue} is now earlier than ${amzDate(new Date(now - SIGV4_CLOCK_SKEW_MS))} (${amzDate(opts.now)} - 15 min.)`);
  }
  if (signedAt.getTime() > now + SIGV4_CLOCK_SKEW_MS) {
    throw mismatch('request time in the future',
      `Signature not yet current: ${dateValue} is still later than ${amzDate(new Date(now + SIGV4_CLOCK_SKEW_MS))} (${amzDate(opts.now)} + 15 min.)`);
  }

  const { scope } = auth;
  if (scope.date !== dateValue.slice(0, 8)) {
    throw mismatch('scope date',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.date}' != '${dateValue.slice(0, 8)}', from '${dateValue}'.`);
  }
  if (scope.service !== opts.service) {
    throw mismatch('scope service', `Credential should be scoped to correct service: '${opts.service}'. `);
  }
  if (scope.terminator !== SIGV4_TERMINATOR) {
    throw mismatch('scope terminator', `Credential should be scoped with a valid terminator: '${SIGV4_TERMINATOR}', not '${scope.terminator}'. `);
  }
  if (!REGION.test(scope.region)) {
    throw mismatch('scope region', `Credential should be scoped to a valid region. `);
  }

  if (!auth.signedHeaders.includes(HEADER.host)) {
    throw new AwsFault('IncompleteSignature', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  if (!auth.signedHeaders.includes(HEADER.amzDate)) {
    throw new AwsFault('IncompleteSignature', "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.");
  }
  // Only the headers the client signed go to smithy; each repeated header's values are trimmed
  // and comma-joined in arrival order, as SigV4 specifies. Values go in as received (no Host
  // rewriting: the client may have signed `sts.amazonaws.com` while connecting to 127.0.0.1).
  const headers = Object.create(null) as Record<string, string>;
  for (const name of auth.signedHeaders) {
    const values = req.headers.get(name);
    if (!values) throw mismatch(`signed header '${name}' is not in the request`);
    headers[name] = values.map((v) => v.trim()).join(',');
  }
  const claimedHash = headers[HEADER.contentSha256];
  if (claimedHash !== undefined && claimedHash !== createHash('sha256').update(req.body).digest('hex')) {
    // smithy would trust this header as the payload hash; AWS checks it against the body.
    throw mismatch('x-amz-content-sha256 does not match the body');
  }

  const expected = await smithySignature(req, auth, headers, signedAt, record);
  if (!expected) throw mismatch('smithy signed a different header set than the client listed');
  if (!timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(auth.signature, 'hex'))) {
    throw mismatch('signature differs');
  }
  return { record, authorization: auth };
}

/**
 * The signature smithy computes for this request with the key's secret, or undefined when
 * smithy's SignedHeaders would differ from the client's (a header smithy drops or adds, such
 * as a signed `date`, or a list that was not in canonical order).
 *
 * Options that matter: no session token in the credentials (smithy would add the header —
 * it is signed only when the client signed it, and then it is among `headers`);
 * `applyChecksum: false` (no x-amz-content-sha256 added); `uriEscapePath: true` (AWS's
 * rule for every service but S3: the wire path, normalised and escaped once more);
 * `signableHeaders` = the client's list, so headers smithy never signs by default
 * (user-agent, ...) still count when the client signed them; `signingDate` = X-Amz-Date.
 */
async function smithySignature(
  req: ReceivedRequest,
  auth: SigV4Authorization,
  headers: Record<string, string>,
  signedAt: Date,
  record: CredentialRecord,
): Promise<string | undefined> {
  const signer = new SignatureV4({
    service: auth.scope.service,
    region: auth.scope.region,
    credentials: { accessKeyId: record.accessKeyId, secretAccessKey: record.secretAccessKey },
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: true,
    applyChecksum: false,
  });
  const request = new HttpRequest({
    method: req.method,
    protocol: 'https:',
    hostname: headers[HEADER.host] ?? '',
    path: req.path,
    query: parseSigV4Query(req.rawQuery),
    headers,
    body: req.body.length > 0 ? req.body : undefined,
  });
  const signed = await signer.sign(request, {
    signingDate: signedAt,
    signingRegion: auth.scope.region,
    signingService: auth.scope.service,
    signableHeaders: new Set(auth.signedHeaders),
    unsignableHeaders: new Set(),
  });
  const ours = parseAuthorization(String(signed.headers[HEADER.authorization]));
  return ours.signedHeaders.join(';') === auth.signedHeaders.join(';') ? ours.signature : undefined;
}
