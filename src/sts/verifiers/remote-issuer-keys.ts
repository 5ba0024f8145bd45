// Parses attacker-influenced bytes (an issuer's answers): the public keys of the issuers that
// claim-match identities trust, from the issuer's OpenID Connect discovery document and its
// jwks_uri. Strict JSON objects, capped in size and time; https only (plain http to
// loopback only when allowed: --dev or the explicit setting), redirects never followed.
// Cached per issuer for `cacheTtlMs`; a refetch asked for an unknown kid happens at most once
// per `refetchIntervalMs`, so a flood of tokens with made-up kids cannot hammer the issuer. When
// a refetch fails, the keys already held keep serving for up to `maxStaleMs` (an issuer's blip
// does not stop its workloads); one request at a time per issuer goes out.

import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { isLoopbackHost } from '../../config/loopback.js';
import { LatchkeyError } from '../../errors/index.js';
import { createUpstreamFetch, UpstreamFetchError } from '../../oidc/upstream/upstream-fetch.js';
import type { StsErrorCode } from '../errors.js';

export interface IssuerFetchPolicy {
  /** Total time of one request (discovery or JWKS). */
  timeoutMs: number;
  /** Accept http:// issuers and jwks_uri on loopback addresses (development, tests). */
  allowLoopbackHttp: boolean;
  cacheTtlMs: number;
  refetchIntervalMs: number;
  /** Largest discovery document or JWKS accepted. */
  maxBytes?: number;
  /** How long keys may be served past their TTL while the issuer cannot be reached (default 24h). */
  maxStaleMs?: number;
}

/** The keys of one issuer, ready for jose. */
export interface IssuerKeySet {
  jwks: JSONWebKeySet;
  getKey: ReturnType<typeof createLocalJWKSet>;
  fetchedAt: number;
}

const MAX_ISSUERS = 512;
const MAX_KEYS = 100;

function refuse(code: StsErrorCode, message: string, detail?: Record<string, unknown>): LatchkeyError<StsErrorCode> {
  return new LatchkeyError<StsErrorCode>(code, message, detail);
}

export class RemoteIssuerKeys {
  #cache = new Map<string, IssuerKeySet>();
  #inflight = new Map<string, Promise<IssuerKeySet>>();
  #fetch: ReturnType<typeof createUpstreamFetch>;
  #onStale: ((issuer: string, err: LatchkeyError) => void) | undefined;

  constructor(private readonly policy: IssuerFetchPolicy, private readonly clock: () => Date) {
    this.#fetch = createUpstreamFetch({ timeoutMs: policy.timeoutMs, maxBytes: policy.maxBytes ?? 256 * 1024 });
  }

  /**
   * The keys of `issuer` (an iss the identity's rule has already accepted). With `refresh`, a
   * new copy unless the cached one is younger than refetchIntervalMs.
   */
  async keys(issuer: string, refresh = false): Promise<IssuerKeySet> {
    const now = this.clock().getTime();
    const hit = this.#cache.get(issuer);
    if (hit) {
      const age = now - hit.fetchedAt;
      if (refresh ? age < this.policy.refetchIntervalMs : age < this.policy.cacheTtlMs) return hit;
    }
    let pending = this.#inflight.get(issuer);
    if (!pending) {
      pending = this.#load(issuer).finally(() => this.#inflight.delete(issuer));
      this.#inflight.set(issuer, pending);
    }
    if (!hit) return pending;
    try {
      return await pending;
    } catch (err) {
      const stale = this.clock().getTime() - hit.fetchedAt < (this.policy.maxStaleMs ?? 86_400_000);
      if (!stale || !(err instanceof LatchkeyError)) throw err;
      this.#onStale?.(issuer, err);
      return hit;
    }
  }

  /** Called when held keys are served because the issuer could not be reached. */
  onStale(fn: (issuer: string, err: LatchkeyError) => void): void {
    this.#onStale = fn;
  }

  close(): Promise<void> {
    return this.#fetch.close();
  }

  async #load(issuer: string): Promise<IssuerKeySet> {
    const base = this.#checkUrl(issuer, 'the issuer');
    const discoveryUrl = `${base.href.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const discovery = await this.#getJson(discoveryUrl, issuer, 'discovery');
    if (discovery.issuer !== issuer) {
      throw refuse('ISSUER_DISCOVERY_INVALID', "the issuer's discovery document names another issuer", { issuer });
    }
    if (typeof discovery.jwks_uri !== 'string') {
      throw refuse('ISSUER_DISCOVERY_INVALID', "the issuer's discovery document has no jwks_uri", { issuer });
    }
    const jwksUrl = this.#checkUrl(discovery.jwks_uri, "the issuer's jwks_uri");
    const jwks = await this.#getJson(jwksUrl.href, issuer, 'JWKS');
    if (!Array.isArray(jwks.keys) || jwks.keys.length > MAX_KEYS || !jwks.keys.every((k) => typeof k === 'object' && k !== null && !Array.isArray(k))) {
      throw refuse('ISSUER_DISCOVERY_INVALID', `the issuer's JWKS is not {"keys": [...]} with at most ${MAX_KEYS} keys`, { issuer });
    }
    const set = { keys: jwks.keys } as JSONWebKeySet;
    const entry = { jwks: set, getKey: createLocalJWKSet(set), fetchedAt: this.clock().getTime() };
    if (this.#cache.size >= MAX_ISSUERS) this.#cache.delete(this.#cache.keys().next().value as string);
    this.#cache.delete(issuer);
    this.#cache.set(issuer, entry);
    return entry;
  }

  #checkUrl(raw: string, what: string): URL {
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      throw refuse('ISSUER_DISCOVERY_INVALID', `${what} is not a URL`);
    }
    const loopback = isLoopbackHost(u.hostname.replace(/^\[|\]$/g, ''));
    if (u.username || u.password || u.hash) throw refuse('ISSUER_INSECURE', `${what} must not carry credentials or a fragment`, { url: u.origin });
    if (u.protocol === 'https:') return u;
    if (u.protocol === 'http:' && loopback && this.policy.allowLoopbackHttp) return u;
    throw refuse('ISSUER_INSECURE', u.protocol === 'http:' && loopback
      ? `${what} uses plain http: allowed on loopback only with --dev or --workload-issuer-allow-loopback-http`
      : `${what} must use https`, { url: u.origin });
  }

  async #getJson(url: string, issuer: string, what: string): Promise<Record<string, unknown>> {
    let res: Response;
    try {
      res = await this.#fetch(url, { method: 'GET', headers: { accept: 'application/json' } } as never);
    } catch (err) {
      if (err instanceof UpstreamFetchError) {
        const code: StsErrorCode = err.reason === 'redirect' ? 'ISSUER_REDIRECTED' : err.reason === 'insecure' ? 'ISSUER_INSECURE' : 'ISSUER_UNAVAILABLE';
        const why = err.reason === 'redirect' ? 'answered with a redirect (never followed)'
          : err.reason === 'too-large' ? 'answered with too many bytes'
            : 'did not answer in time';
        throw refuse(code, `the issuer's ${what} ${why}; try again later or ask its owner`, { issuer, reason: err.reason });
      }
      throw err;
    }
    if (res.status !== 200) {
      throw refuse(res.status >= 500 || res.status === 429 ? 'ISSUER_UNAVAILABLE' : 'ISSUER_DISCOVERY_INVALID',
        `the issuer's ${what} answered HTTP ${res.status}`, { issuer });
    }
    let v: unknown;
    try {
      v = JSON.parse(await res.text());
    } catch {
      throw refuse('ISSUER_DISCOVERY_INVALID', `the issuer's ${what} is not JSON`, { issuer });
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw refuse('ISSUER_DISCOVERY_INVALID', `the issuer's ${what} is not a JSON object`, { issuer });
    return v as Record<string, unknown>;
  }
}
