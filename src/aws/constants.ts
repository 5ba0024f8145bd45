// Every header name, parameter and limit the AWS identity token code uses, in one place.
// Header names are lowercase: that is how SigV4 lists them in SignedHeaders and how the
// parser indexes them.

/** The request headers we read, require or treat specially. */
export const HEADER = {
  host: 'host',
  authorization: 'authorization',
  xAmzDate: 'x-amz-date',
  xAmzSecurityToken: 'x-amz-security-token',
  chainguardIdentity: 'chainguard-identity',
  chainguardAudience: 'chainguard-audience',
  contentType: 'content-type',
  contentLength: 'content-length',
  transferEncoding: 'transfer-encoding',
} as const;

/** How each header is spelled in messages (the seed's spelling). */
export const HEADER_DISPLAY: ReadonlyMap<string, string> = new Map([
  ['host', 'Host'],
  ['authorization', 'Authorization'],
  ['x-amz-date', 'X-Amz-Date'],
  ['x-amz-security-token', 'X-Amz-Security-Token'],
  ['chainguard-identity', 'Chainguard-Identity'],
  ['chainguard-audience', 'Chainguard-Audience'],
  ['content-type', 'Content-Type'],
  ['content-length', 'Content-Length'],
]);

/**
 * Headers that describe one connection, not the request (RFC 9110 §7.6.1) or that our HTTP
 * client refuses to send. A token that signs one of them cannot be forwarded as signed.
 */
export const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
]);

/** The only request parameters a token may carry, with their only allowed values. */
export const STS_ACTION = 'GetCallerIdentity';
export const STS_VERSION = '2011-06-15';
export const PARAM_ACTION = 'Action';
export const PARAM_VERSION = 'Version';

/** The form body's media type (a `charset=utf-8` parameter is allowed). */
export const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';

/** SigV4 Authorization header vocabulary. */
export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
export const SIGV4_TERMINATOR = 'aws4_request';
export const STS_SERVICE = 'sts';
/** The signing region of the global endpoint `sts.amazonaws.com`. */
export const GLOBAL_ENDPOINT_REGION = 'us-east-1';

/** Default caps on attacker-supplied bytes. */
export const DEFAULT_MAX_TOKEN_BYTES = 8192;
export const MAX_HEADER_LINES = 64;

/** Time window around X-Amz-Date (spec check 8); configuration may only tighten it. */
export const MAX_PAST_SECONDS = 15 * 60;
export const MAX_FUTURE_SECONDS = 5 * 60;

/** The partitions this code knows how to allow-list. */
export const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'] as const;
export type AwsPartition = (typeof PARTITIONS)[number];
