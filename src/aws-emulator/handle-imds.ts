// EC2's instance metadata service, IMDSv2 only: a PUT mints a session token, every GET must
// present one. Serves what the AWS SDKs' and the seed's curl recipe read: the role's
// credentials, the instance id, the region and a minimal identity document.
// Parses attacker-controlled input (any local client's request).

import { randomBytes } from 'node:crypto';
import { HEADER, IMDS_CREDENTIALS_PATH, IMDS_MAX_TOKEN_TTL_SECONDS, IMDS_TOKEN_PATH } from './constants.js';
import { isoSeconds, type IssuedCredentials } from './credential-store.js';
import { json, text, type PlainResponse } from './plain-response.js';
import type { ResolvedPrincipal } from './principals.js';
import type { ReceivedRequest } from './received-request.js';

/** IMDSv2 session tokens: opaque, random, each with its own expiry. */
export class ImdsTokens {
  readonly #expiry = new Map<string, number>();

  mint(now: Date, ttlSeconds: number): string {
    for (const [token, expires] of this.#expiry) if (expires <= now.getTime()) this.#expiry.delete(token);
    const token = randomBytes(42).toString('base64');
    this.#expiry.set(token, now.getTime() + ttlSeconds * 1000);
    return token;
  }

  valid(token: string, now: Date): boolean {
    // A map look-up by value: the tokens are 336-bit random strings, so its timing tells an
    // attacker nothing usable.
    const expires = this.#expiry.get(token);
    return expires !== undefined && expires > now.getTime();
  }
}

export interface ImdsContext {
  now: Date;
  tokens: ImdsTokens;
  /** The instance's principal (principal 0). */
  principal: ResolvedPrincipal;
  region: string;
  /** The instance role's current credentials. */
  credentials: () => IssuedCredentials;
}

const TTL = /^\d{1,5}$/;

function mintToken(req: ReceivedRequest, ctx: ImdsContext): PlainResponse {
  // Real IMDS refuses token requests that went through a proxy.
  if (req.headers.has(HEADER.forwardedFor)) return text(403, 'Forbidden');
  const values = req.headers.get(HEADER.imdsTokenTtl);
  const ttl = values?.length === 1 && TTL.test(values[0]!.trim()) ? Number(values[0]!.trim()) : NaN;
  if (!(ttl >= 1 && ttl <= IMDS_MAX_TOKEN_TTL_SECONDS)) return text(400, 'Bad Request');
  return text(200, ctx.tokens.mint(ctx.now, ttl), { 'X-aws-ec2-metadata-token-ttl-seconds': String(ttl) });
}

function metadata(path: string, ctx: ImdsContext): PlainResponse | undefined {
  const { principal } = ctx;
  const role = principal.roleName;
  const instanceId = principal.sessionName;
  switch (path) {
    case '/latest/meta-data':
    case '/latest/meta-data/':
      return text(200, 'iam/\ninstance-id\nplacement/');
    case '/latest/meta-data/iam':
    case '/latest/meta-data/iam/':
      return text(200, 'security-credentials/');
    case IMDS_CREDENTIALS_PATH:
    case `${IMDS_CREDENTIALS_PATH}/`:
      return text(200, role);
    case `${IMDS_CREDENTIALS_PATH}/${role}`:
    case `${IMDS_CREDENTIALS_PATH}/${role}/`: {
      const c = ctx.credentials();
      return json(200, {
        Code: 'Success',
        LastUpdated: isoSeconds(ctx.now),
        Type: 'AWS-HMAC',
        AccessKeyId: c.accessKeyId,
        SecretAccessKey: c.secretAccessKey,
        Token: c.sessionToken,
        Expiration: c.expiration,
      });
    }
    case '/latest/meta-data/instance-id':
      return text(200, instanceId);
    case '/latest/meta-data/placement/region':
      return text(200, ctx.region);
    case '/latest/meta-data/placement/availability-zone':
      return text(200, `${ctx.region}a`);
    case '/latest/dynamic/instance-identity/document':
      return json(200, {
        accountId: principal.account,
        architecture: 'x86_64',
        availabilityZone: `${ctx.region}a`,
        imageId: 'ami-0123456789abcdef0',
        instanceId,
        instanceType: 't3.micro',
        privateIp: '10.0.0.14',
        region: ctx.region,
        version: '2017-09-30',
      });
    default:
      return undefined;
  }
}

/** Answers a request under `/latest/`. */
export function handleImds(req: ReceivedRequest, ctx: ImdsContext): PlainResponse {
  if (req.path === IMDS_TOKEN_PATH) {
    return req.method === 'PUT' ? mintToken(req, ctx) : text(405, 'Method Not Allowed', { Allow: 'PUT' });
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return text(405, 'Method Not Allowed', { Allow: 'GET' });
  const tokens = req.headers.get(HEADER.imdsToken);
  if (tokens?.length !== 1 || !ctx.tokens.valid(tokens[0]!.trim(), ctx.now)) return text(401, 'Unauthorized');
  return metadata(req.path, ctx) ?? text(404, 'Not Found');
}
