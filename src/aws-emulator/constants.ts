// Every header name, path, limit and wire constant the AWS emulator uses, in one place.

/** SigV4 request headers (lower case, as Node reports them). */
export const HEADER = {
  authorization: 'authorization',
  host: 'host',
  amzDate: 'x-amz-date',
  securityToken: 'x-amz-security-token',
  contentSha256: 'x-amz-content-sha256',
  contentType: 'content-type',
  accept: 'accept',
  imdsToken: 'x-aws-ec2-metadata-token',
  imdsTokenTtl: 'x-aws-ec2-metadata-token-ttl-seconds',
  forwardedFor: 'x-forwarded-for',
} as const;

/** Response header carrying the request id, as real STS sends it. */
export const REQUEST_ID_HEADER = 'x-amzn-RequestId';

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
export const SIGV4_TERMINATOR = 'aws4_request';
/** AWS accepts a request whose X-Amz-Date is within this much of its own clock, either way. */
export const SIGV4_CLOCK_SKEW_MS = 15 * 60 * 1000;

export const STS_SERVICE = 'sts';
export const STS_VERSION = '2011-06-15';
export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
export const STS_ACTION = 'GetCallerIdentity';

/** Largest request body the emulator reads (a GetCallerIdentity body is ~45 bytes). */
export const MAX_BODY_BYTES = 64 * 1024;

export const IMDS_TOKEN_PATH = '/latest/api/token';
export const IMDS_CREDENTIALS_PATH = '/latest/meta-data/iam/security-credentials';
export const IMDS_MAX_TOKEN_TTL_SECONDS = 21600;

/** Default lifetime of issued credentials, and the headroom after which IMDS/ECS rotate them. */
export const DEFAULT_CREDENTIAL_TTL_SECONDS = 3600;
export const ROTATE_BEFORE_EXPIRY_MS = 5 * 60 * 1000;
