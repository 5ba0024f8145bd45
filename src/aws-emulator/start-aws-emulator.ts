// Starts the local AWS emulator: one loopback HTTP server serving STS GetCallerIdentity (with
// real SigV4 verification), EC2 IMDSv2 and the ECS/EKS container-credentials endpoint.
//
// node:http rather than the project's framework: SigV4 is computed over the request exactly as
// it arrived (every header value in order, raw target, raw body), which a framework's parsed,
// merged view of the request does not keep.

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { AWS_FAULTS, AwsFault } from './aws-fault.js';
import { DEFAULT_CREDENTIAL_TTL_SECONDS, HEADER, MAX_BODY_BYTES, REQUEST_ID_HEADER } from './constants.js';
import { CredentialStore, type IssuedCredentials } from './credential-store.js';
import { handleContainerCredentials, isContainerCredentialsPath } from './handle-container-credentials.js';
import { handleImds, ImdsTokens } from './handle-imds.js';
import { handleSts } from './handle-sts.js';
import { text, type PlainResponse } from './plain-response.js';
import { resolvePrincipal, type AwsPartition, type EmulatedPrincipal, type ResolvedPrincipal } from './principals.js';
import { readReceivedRequest, type ReceivedRequest } from './received-request.js';
import { callerIdentityBody, errorBody, wantsJson } from './sts-responses.js';

export interface AwsEmulatorOptions {
  /** Loopback address to listen on; default `127.0.0.1`. Anything not loopback is refused. */
  host?: string;
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Who the emulator issues credentials for; principal 0 is the EC2 instance's and the task's role. */
  principals: EmulatedPrincipal[];
  /** Lifetime of issued credentials; default 3600. */
  credentialTtlSeconds?: number;
  /** The emulator's clock (SigV4's ±15 min window, expiries, IMDS token TTLs); default the system's. */
  clock?: () => Date;
  /** Where to report each request's outcome; never given a secret or a session token. */
  log?: (msg: string, fields?: object) => void;
  /** When set, the container-credentials endpoint requires this `Authorization` value
   * (what an SDK sends from AWS_CONTAINER_AUTHORIZATION_TOKEN). */
  containerAuthorizationToken?: string;
}

export interface AwsEmulator {
  /** `http://127.0.0.1:PORT`: the STS endpoint URL, IMDS endpoint and container-credentials base. */
  url: string;
  close(): Promise<void>;
  /**
   * Mints fresh temporary credentials for a principal (default 0), as AssumeRole would.
   * `expired: true` gives credentials whose session already expired (STS answers ExpiredToken).
   */
  issueCredentials(principalIndex?: number, opts?: { ttlSeconds?: number; expired?: boolean }): IssuedCredentials;
  /** The principals with their derived ARNs and ids. */
  principals: readonly ResolvedPrincipal[];
}

const REGION_OF: Record<AwsPartition, string> = { aws: 'us-east-1', 'aws-cn': 'cn-north-1', 'aws-us-gov': 'us-gov-west-1' };

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0) throw new TypeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/**
 * Starts the emulator.
 *
 * @example
 * const aws = await startAwsEmulator({ principals: [parsePrincipalSpec('123456789012:builder')] });
 * const creds = aws.issueCredentials();
 * // aws sts get-caller-identity --endpoint-url ${aws.url} with creds in AWS_* variables
 * await aws.close();
 * @throws TypeError for bad options (non-loopback host, no principals, invalid principal).
 */
export async function startAwsEmulator(opts: AwsEmulatorOptions): Promise<AwsEmulator> {
  const host = opts.host ?? '127.0.0.1';
  if (!isLoopback(host)) throw new TypeError(`the AWS emulator only listens on loopback, not ${JSON.stringify(host)}`);
  const port = opts.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError(`port must be 0..65535, got ${port}`);
  if (!Array.isArray(opts.principals) || opts.principals.length === 0) {
    throw new TypeError('the AWS emulator needs at least one principal');
  }
  const principals = Object.freeze(opts.principals.map(resolvePrincipal));
  const ttl = positiveInteger('credentialTtlSeconds', opts.credentialTtlSeconds, DEFAULT_CREDENTIAL_TTL_SECONDS);
  const clock = opts.clock ?? (() => new Date());
  const log = opts.log ?? (() => {});
  const store = new CredentialStore(clock);
  const imdsTokens = new ImdsTokens();
  const instance = principals[0]!;

  async function route(req: ReceivedRequest, requestId: string): Promise<PlainResponse> {
    const now = clock();
    if (req.path === '/latest' || req.path.startsWith('/latest/')) {
      return handleImds(req, {
        now,
        tokens: imdsTokens,
        principal: instance,
        region: REGION_OF[instance.partition],
        credentials: () => store.current(0, instance, ttl),
      });
    }
    if (isContainerCredentialsPath(req.path)) {
      return handleContainerCredentials(req, {
        principals,
        ...(opts.containerAuthorizationToken !== undefined ? { authorizationToken: opts.containerAuthorizationToken } : {}),
        credentials: (i) => store.current(i, principals[i]!, ttl),
      });
    }
    if (req.path === '/' && (req.method === 'POST' || req.method === 'GET')) {
      const asJson = wantsJson(req.headers.get(HEADER.accept));
      try {
        const { identity, accessKeyId } = await handleSts(req, { now, lookup: (k) => store.lookup(k) });
        log('aws-emulator: sts GetCallerIdentity ok', { requestId, accessKeyId, arn: identity.Arn });
        const { contentType, body } = callerIdentityBody(identity, requestId, asJson);
        return { status: 200, contentType, body };
      } catch (err) {
        if (!(err instanceof AwsFault)) throw err;
        log('aws-emulator: sts refused', { requestId, code: err.code, message: err.message, detail: err.detail });
        const { contentType, body } = errorBody(err.code, err.message, requestId, asJson);
        return { status: AWS_FAULTS[err.code].status, contentType, body };
      }
    }
    return text(404, 'Not Found');
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    let out: PlainResponse;
    try {
      out = await route(await readReceivedRequest(req, MAX_BODY_BYTES), requestId);
    } catch (err) {
      const code = err instanceof AwsFault ? err.code : 'InternalFailure';
      if (!(err instanceof AwsFault)) log('aws-emulator: internal error', { requestId, error: String(err) });
      const message = err instanceof AwsFault ? err.message : 'An internal error occurred';
      const { contentType, body } = errorBody(code, message, requestId, false);
      out = { status: AWS_FAULTS[code].status, contentType, body };
      if (code === 'RequestEntityTooLarge') res.setHeader('Connection', 'close');
    }
    log('aws-emulator: request', { requestId, method: req.method, path: (req.url ?? '').split('?')[0], status: out.status });
    res.writeHead(out.status, {
      ...out.headers,
      'Content-Type': out.contentType,
      'Content-Length': Buffer.byteLength(out.body),
      [REQUEST_ID_HEADER]: requestId,
    });
    res.end(req.method === 'HEAD' ? undefined : out.body);
  }

  const server = createServer({ requestTimeout: 30_000, headersTimeout: 10_000 }, (req, res) => {
    serve(req, res).catch((err: unknown) => {
      log('aws-emulator: failed to answer', { error: String(err) });
      res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  log('aws-emulator: listening', { url, principals: principals.map((p) => p.arn) });

  return {
    url,
    principals,
    issueCredentials(principalIndex = 0, o = {}) {
      const principal = principals[principalIndex];
      if (!principal) throw new TypeError(`no principal at index ${principalIndex} (have ${principals.length})`);
      return store.issue(principal, positiveInteger('ttlSeconds', o.ttlSeconds, ttl), o.expired ?? false);
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
