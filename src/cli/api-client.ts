// The one HTTP client of the CLI: JSON in and out, a timeout, -v tracing (method, URL,
// status: never a header value), and every failure turned into a CliError a person can act on.

import { CliError } from './cli-error.js';
import type { CliContext } from './context.js';
import { explainApiError, type Operation } from './explain-api-error.js';
import { VERSION } from './version.js';

export type { Operation } from './explain-api-error.js';

const TIMEOUT_MS = 30_000;

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  /** A JSON body. */
  json?: unknown;
  /** A form body (application/x-www-form-urlencoded). */
  form?: Record<string, string | undefined>;
  /** A bearer credential for this request only (e.g. the identity token on /sts/exchange). */
  bearer?: string;
  /** What the request is for, to explain a refusal. */
  op: Operation;
}

export interface ApiClientOptions {
  /** Base URL, e.g. platform.api. */
  base: string;
  /** Which server this is, for "cannot reach" messages. */
  server: 'api' | 'issuer';
  /** Supplies the bearer token for every request (the IAM routes). */
  token?: () => Promise<string>;
  /** The UIDP the token is for, to say who lacks a role binding. */
  caller?: string;
}

const fix = {
  api: 'is `latchkey serve` running? set its URL with `latchkey config set platform.api URL`',
  issuer: 'is `latchkey serve` running? set its URL with `latchkey config set platform.api URL` (and platform.issuer, if the issuer is elsewhere)',
};

const isAbsolute = (path: string): boolean => /^https?:\/\//.test(path);

/** `path` is relative to the base, or an absolute URL taken from the issuer's discovery. */
function urlOf(base: string, path: string, query?: Record<string, string | undefined>): string {
  const u = isAbsolute(path) ? new URL(path) : new URL(base + path);
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.append(k, v);
  return u.href;
}

/**
 * Why fetch failed, from the network error it wraps (`cause`). fetch's own message is never
 * used: for a header it refuses, it quotes the header's value (a token).
 */
function describeNetworkError(err: unknown): string {
  const e = err as { name?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  return e.cause?.message ?? e.cause?.code ?? 'the request could not be sent';
}

/** A value an HTTP header can carry as a token: visible ASCII, no spaces or line feeds. */
const HEADER_TOKEN = /^[\x21-\x7e]+$/;

export class ApiClient {
  private readonly ctx: CliContext;
  private readonly opts: ApiClientOptions;

  constructor(ctx: CliContext, opts: ApiClientOptions) {
    this.ctx = ctx;
    this.opts = opts;
  }

  /** Sends one request; resolves to the parsed JSON body (undefined for an empty one). */
  async send<T = unknown>(req: ApiRequest): Promise<T> {
    const url = urlOf(this.opts.base, req.path, req.query);
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': `latchkey-cli/${VERSION}` };
    // The session's token goes to the configured base only, never to an advertised absolute URL.
    const bearer = req.bearer ?? (this.opts.token && !isAbsolute(req.path) ? await this.opts.token() : undefined);
    if (bearer !== undefined && !HEADER_TOKEN.test(bearer)) {
      throw new CliError('INPUT_INVALID', `cannot ${req.op.what}: the token has spaces, line feeds or other characters an HTTP header cannot carry`,
        { hint: 'a token is one line of visible characters: check how it was made or copied' });
    }
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    let body: string | undefined;
    if (req.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.json);
    } else if (req.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(req.form)) if (v !== undefined) form.append(k, v);
      body = form.toString();
    }
    const started = this.ctx.now();
    this.ctx.debug(`> ${req.method} ${url}`);
    let res: Response;
    try {
      res = await this.ctx.fetch(url, { method: req.method, headers, body, redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (err) {
      const label = this.opts.server === 'api' ? 'API' : 'issuer';
      throw new CliError('UNREACHABLE', `cannot reach the Latchkey ${label} at ${this.opts.base}: ${describeNetworkError(err)}`,
        { hint: fix[this.opts.server], details: [`${req.method} ${url}`] });
    }
    const text = await res.text();
    this.ctx.debug(`< ${res.status} ${res.statusText} (${this.ctx.now() - started} ms)`);
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
      if (res.ok) {
        throw new CliError('BAD_RESPONSE', `cannot ${req.op.what}: ${this.opts.base} answered ${res.status} with a body that is not JSON`,
          { hint: `check that ${this.opts.base} is a Latchkey server`, details: [`${req.method} ${url} -> ${res.status}`] });
      }
    }
    if (!res.ok) {
      throw explainApiError({
        status: res.status,
        body: parsed,
        op: req.op,
        caller: this.opts.caller,
        trace: `${req.method} ${url} -> ${res.status}`,
        retryAfter: res.headers.get('retry-after') ?? undefined,
      });
    }
    return parsed as T;
  }

  get<T>(path: string, query: Record<string, string | undefined>, op: Operation): Promise<T> {
    return this.send<T>({ method: 'GET', path, query, op });
  }

  /** Every item of a paged list (following nextPageToken). */
  async listAll<T>(path: string, query: Record<string, string | undefined>, op: Operation): Promise<T[]> {
    const items: T[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < 1000; page++) {
      const res = await this.get<{ items?: T[]; nextPageToken?: string }>(path, { ...query, pageToken }, op);
      if (!Array.isArray(res?.items)) {
        throw new CliError('BAD_RESPONSE', `cannot ${op.what}: the server's answer has no "items" list`);
      }
      items.push(...res.items);
      pageToken = res.nextPageToken || undefined;
      if (!pageToken) break;
    }
    return items;
  }
}
