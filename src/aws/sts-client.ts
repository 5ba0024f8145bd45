// The outbound side: sends a checked token request to STS and reads its answer. Our own
// undici Agent (so no proxy from the environment and no global dispatcher), keep-alive,
// connect/headers/body timeouts plus one overall deadline, no redirects (undici follows none
// without its redirect interceptor), and a cap on the answer's size.

import { isIP } from 'node:net';
import { Agent, type Dispatcher } from 'undici';
import { HEADER } from './constants.js';
import type { CheckedAwsRequest } from './check-aws-request.js';
import { AwsTokenError, refuse } from './errors.js';
import { parseStsResponse, type CallerIdentity } from './parse-sts-response.js';
import { RETRYABLE_STS_ERROR_CODES, stsErrorCode } from './sts-error-code.js';
import { resolveStsHost } from './sts-hosts.js';

/** Asks STS who signed a checked request. */
export interface StsClient {
  getCallerIdentity(req: CheckedAwsRequest): Promise<CallerIdentity>;
}

export interface StsClientOptions {
  /**
   * Where to send requests for an allow-listed host instead of `https://<host>/`, e.g. a VPC
   * endpoint or a local emulator: `{ "sts.amazonaws.com": "http://127.0.0.1:4566/" }`.
   * `http:` only for loopback addresses; no path, query, fragment or userinfo.
   */
  overrides?: Record<string, string>;
  /** TCP + TLS connect timeout (default 3000 ms). */
  connectTimeoutMs?: number;
  /** Deadline for the whole exchange, answer body included (default 10000 ms). */
  totalTimeoutMs?: number;
  /** Cap on the answer body (default 65536 bytes). */
  maxResponseBytes?: number;
  /** An undici dispatcher to use instead of our own Agent (tests); it is not closed by close(). */
  dispatcher?: Dispatcher;
}

const DEFAULTS = { connectTimeoutMs: 3000, totalTimeoutMs: 10_000, maxResponseBytes: 65_536 };
const DEFAULT_RETRY_AFTER_SECONDS = 1;
const MAX_RETRY_AFTER_SECONDS = 300;

function positiveInt(v: number | undefined, fallback: number, name: string): number {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v <= 0) throw new TypeError(`createStsClient: ${name} must be a positive integer`);
  return v;
}

function isLoopback(hostname: string): boolean {
  const h = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

function checkOverrides(overrides: Record<string, string>): Map<string, URL> {
  const out = new Map<string, URL>();
  for (const [host, raw] of Object.entries(overrides)) {
    if (resolveStsHost(host) === undefined) {
      throw new TypeError(`createStsClient: override key ${JSON.stringify(host)} is not an STS endpoint host`);
    }
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new TypeError(`createStsClient: override for ${host} is not a URL`);
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
      throw new TypeError(`createStsClient: override for ${host} must be https (http only for loopback)`);
    }
    if (url.username || url.password || url.search || url.hash || url.pathname !== '/') {
      throw new TypeError(`createStsClient: override for ${host} must be an origin: no path, query or userinfo`);
    }
    out.set(host, url);
  }
  return out;
}

function unavailable(message: string, detail: Record<string, unknown>, retryAfterSeconds?: number): AwsTokenError {
  return new AwsTokenError('STS_UNAVAILABLE', message, detail, retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS);
}

function retryAfter(header: string | string[] | undefined): number {
  const v = Array.isArray(header) ? header[0] : header;
  if (v === undefined || !/^[0-9]{1,6}$/.test(v)) return DEFAULT_RETRY_AFTER_SECONDS;
  return Math.min(Math.max(Number(v), 1), MAX_RETRY_AFTER_SECONDS);
}

async function readCapped(body: Dispatcher.ResponseData['body'], max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    const b = chunk as Buffer;
    total += b.length;
    if (total > max) {
      body.destroy();
      throw refuse('STS_BAD_RESPONSE', `STS answered with more than ${max} bytes`);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks, total);
}

function errorName(err: unknown): string {
  if (err instanceof Error) return (err as { code?: unknown }).code ? String((err as { code?: unknown }).code) : err.name;
  return typeof err;
}

/**
 * Creates an STS client with its own connection pool; call close() at shutdown.
 *
 * @example
 *   const sts = createStsClient({ overrides: { 'sts.amazonaws.com': 'http://127.0.0.1:4566/' } });
 *   const caller = await sts.getCallerIdentity(checked);
 */
export function createStsClient(opts: StsClientOptions = {}): StsClient & { close(): Promise<void> } {
  const connectTimeoutMs = positiveInt(opts.connectTimeoutMs, DEFAULTS.connectTimeoutMs, 'connectTimeoutMs');
  const totalTimeoutMs = positiveInt(opts.totalTimeoutMs, DEFAULTS.totalTimeoutMs, 'totalTimeoutMs');
  const maxResponseBytes = positiveInt(opts.maxResponseBytes, DEFAULTS.maxResponseBytes, 'maxResponseBytes');
  const overrides = checkOverrides(opts.overrides ?? {});
  const own = opts.dispatcher
    ? undefined
    : new Agent({
        connect: { timeout: connectTimeoutMs },
        headersTimeout: totalTimeoutMs,
        bodyTimeout: totalTimeoutMs,
        keepAliveTimeout: 30_000,
        // Bounded sockets per STS origin; excess requests queue under the overall deadline.
        connections: 64,
      });
  const dispatcher: Dispatcher = opts.dispatcher ?? (own as Agent);

  async function getCallerIdentity(req: CheckedAwsRequest): Promise<CallerIdentity> {
    const { host, partition } = req.endpoint;
    const url = overrides.get(host) ?? new URL(`https://${host}/`);
    // The signed Host goes out as signed even when connecting elsewhere; undici computes
    // Content-Length from the body (the parser held a signed one to the same value).
    const headers: string[] = [HEADER.host, host];
    for (const [name, value] of req.headers) headers.push(name, value);
    const signal = AbortSignal.timeout(totalTimeoutMs);
    const detail = { host, url: url.origin };
    // servername: TLS to an override URL is checked against that URL's host (undici's
    // Request takes the option; its .d.ts omits it).
    const options: Dispatcher.RequestOptions & { servername?: string } = {
      origin: url.origin,
      path: req.target,
      method: 'POST',
      headers,
      body: req.body,
      signal,
      headersTimeout: totalTimeoutMs,
      bodyTimeout: totalTimeoutMs,
    };
    const bare = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(bare) === 0) options.servername = bare;
    let res: Dispatcher.ResponseData;
    try {
      res = await dispatcher.request(options);
    } catch (err) {
      throw unavailable('STS did not answer', { ...detail, error: errorName(err) });
    }
    let bytes: Buffer;
    try {
      bytes = await readCapped(res.body, maxResponseBytes);
    } catch (err) {
      if (err instanceof AwsTokenError) throw err;
      throw unavailable('STS did not finish its answer', { ...detail, error: errorName(err) });
    }
    const status = res.statusCode;
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw refuse('STS_BAD_RESPONSE', 'STS answered with bytes that are not UTF-8', { ...detail, status });
    }
    if (status === 200) {
      const type = res.headers['content-type'];
      return parseStsResponse(text, Array.isArray(type) ? type[0] : type, partition);
    }
    if (status >= 300 && status < 400) throw unavailable('STS answered with a redirect', { ...detail, status });
    if (status === 429 || status >= 500) {
      throw unavailable('STS is unavailable or throttling', { ...detail, status }, retryAfter(res.headers['retry-after']));
    }
    if (status >= 400 && status < 500) {
      const code = stsErrorCode(text);
      if (code !== undefined && RETRYABLE_STS_ERROR_CODES.has(code)) {
        throw unavailable('STS is throttling', { ...detail, status, stsCode: code }, retryAfter(res.headers['retry-after']));
      }
      throw refuse('STS_REJECTED', 'STS refused the signed request', { ...detail, status, stsCode: code });
    }
    throw refuse('STS_BAD_RESPONSE', 'STS answered with an unexpected status', { ...detail, status });
  }

  return {
    getCallerIdentity,
    async close() {
      await own?.close();
    },
  };
}
