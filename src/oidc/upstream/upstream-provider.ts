// One upstream OpenID Connect provider, through openid-client: discovery (validated, cached,
// retried after a failure), the authorization URL (state, nonce, PKCE S256), and the code
// exchange whose ID token openid-client verifies in full — signature against the provider's JWKS
// (refetched on an unknown `kid`), `iss`, `aud`, `exp`, `iat` and `nonce`; UserInfo only when
// the ID token has no email, and only for the same `sub`.

import * as client from 'openid-client';
import { checkUpstreamUrl, type OidcProviderConfig } from '../../config/index.js';
import { LatchkeyError } from '../../errors/index.js';
import type { UpstreamErrorCode } from './errors.js';
import { UpstreamFetchError, type UpstreamFetch } from './upstream-fetch.js';

/** What Latchkey keeps of a verified upstream ID token. */
export interface UpstreamClaims {
  /** The `iss` of the ID token (equal to the configured issuer). */
  issuer: string;
  subject: string;
  /** Present only when the provider sent one. */
  email?: string;
  /** True only when the provider says `email_verified: true` (a boolean, not a string). */
  emailVerified: boolean;
  /** A display name: name, preferred_username or the email. */
  name?: string;
}

/** The per-login secrets of one authorization request; the caller stores them. */
export interface UpstreamChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface UpstreamProviderOptions {
  provider: OidcProviderConfig;
  /** Latchkey's callback, registered at the provider. */
  redirectUri: string;
  fetch: UpstreamFetch;
  timeoutMs: number;
}

/** Discovery failures are retried, but not more often than this. */
const RETRY_AFTER_FAILURE_MS = 5_000;

export class UpstreamProvider {
  readonly name: string;
  readonly displayName: string;
  #config: Promise<client.Configuration> | undefined;
  #failedAt = 0;
  #lastFailure: LatchkeyError | undefined;

  constructor(private readonly o: UpstreamProviderOptions) {
    this.name = o.provider.name;
    this.displayName = o.provider.displayName;
  }

  /** The URL to send the person's browser to; the caller keeps `checks` for finish(). */
  async authorizationUrl(checks: UpstreamChecks): Promise<URL> {
    const config = await this.#configuration();
    return client.buildAuthorizationUrl(config, {
      redirect_uri: this.o.redirectUri,
      response_type: 'code',
      scope: ['openid', ...this.o.provider.scopes].join(' '),
      state: checks.state,
      nonce: checks.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
    });
  }

  /**
   * Finishes a sign-in from the callback's query string: checks the authorization response
   * (state, RFC 9207 `iss`), exchanges the code with the PKCE verifier, and verifies the ID token.
   * Parses attacker-controlled input (the query, and everything the upstream answers).
   */
  async finish(callbackQuery: URLSearchParams, checks: UpstreamChecks): Promise<UpstreamClaims> {
    const config = await this.#configuration();
    const current = new URL(this.o.redirectUri);
    current.search = callbackQuery.toString();
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, current, {
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        pkceCodeVerifier: checks.codeVerifier,
        idTokenExpected: true,
      });
    } catch (err) {
      throw this.#refusal(err);
    }
    const idToken = tokens.claims();
    if (!idToken || typeof idToken.sub !== 'string' || !idToken.sub || idToken.sub.length > 255) {
      throw this.#error('UPSTREAM_ID_TOKEN_INVALID', `the ID token from ${this.name} has no usable subject`);
    }
    let claims: Record<string, unknown> & { iss: string; sub: string } = idToken;
    // Conformant providers put scope claims in UserInfo, not in the ID token (OIDC Core §5.4).
    if (idToken.email === undefined && config.serverMetadata().userinfo_endpoint) {
      try {
        const info = await client.fetchUserInfo(config, tokens.access_token, idToken.sub); // checks info.sub === sub
        claims = { ...info, iss: idToken.iss, sub: idToken.sub };
      } catch (err) {
        const e = this.#refusal(err);
        if (e.code !== 'UPSTREAM_ID_TOKEN_INVALID') throw e;
        throw this.#error('UPSTREAM_ID_TOKEN_INVALID', `the UserInfo answer of ${this.name} was refused (it must describe the same subject as the ID token)`, err);
      }
    }
    const email = typeof claims.email === 'string' && claims.email.length <= 320 ? claims.email : undefined;
    const name = [claims.name, claims.preferred_username, email].find((v): v is string => typeof v === 'string' && v.length > 0);
    return {
      issuer: claims.iss,
      subject: claims.sub,
      ...(email ? { email } : {}),
      emailVerified: email !== undefined && claims.email_verified === true,
      ...(name ? { name: name.slice(0, 100) } : {}),
    };
  }

  /** Discovery once; a failure is remembered briefly, then retried. */
  #configuration(): Promise<client.Configuration> {
    if (!this.#config) {
      if (this.#lastFailure && Date.now() - this.#failedAt < RETRY_AFTER_FAILURE_MS) return Promise.reject(this.#lastFailure);
      this.#config = this.#discover().catch((err: unknown) => {
        this.#config = undefined;
        this.#failedAt = Date.now();
        this.#lastFailure = err instanceof LatchkeyError ? err : this.#refusal(err, 'discovery');
        throw this.#lastFailure;
      });
    }
    return this.#config;
  }

  async #discover(): Promise<client.Configuration> {
    const p = this.o.provider;
    let issuer: URL;
    try {
      issuer = checkUpstreamUrl(p.issuer, `the issuer of ${this.name}`);
    } catch (err) {
      throw this.#error('UPSTREAM_INSECURE', (err as Error).message);
    }
    const metadata: Partial<client.ClientMetadata> = { redirect_uris: [this.o.redirectUri] };
    if (p.idTokenAlg) metadata.id_token_signed_response_alg = p.idTokenAlg;
    const auth = p.clientSecret ? client.ClientSecretBasic(p.clientSecret) : client.None();
    const execute = [client.enableNonRepudiationChecks];
    // openid-client refuses http unless told; our fetch still refuses every non-loopback http URL.
    if (issuer.protocol === 'http:') execute.push(client.allowInsecureRequests);
    const config = await client.discovery(issuer, p.clientId, metadata, auth, {
      [client.customFetch]: this.o.fetch,
      timeout: Math.ceil(this.o.timeoutMs / 1000),
      execute,
    });
    const m = config.serverMetadata();
    for (const key of ['authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const) {
      const v = m[key];
      if (typeof v !== 'string') throw this.#error('UPSTREAM_DISCOVERY_INVALID', `the discovery document of ${this.name} has no ${key}`);
      try {
        checkUpstreamUrl(v, `the ${key} of ${this.name}`);
      } catch (err) {
        throw this.#error('UPSTREAM_DISCOVERY_INVALID', (err as Error).message);
      }
    }
    const methods = m.code_challenge_methods_supported;
    if (Array.isArray(methods) && !methods.includes('S256')) {
      throw this.#error('UPSTREAM_DISCOVERY_INVALID', `${this.name} does not support PKCE S256, which Latchkey requires`);
    }
    return config;
  }

  /** Maps what openid-client or our fetch threw to one of our codes. */
  #refusal(err: unknown, stage: 'discovery' | 'exchange' = 'exchange'): LatchkeyError<UpstreamErrorCode> {
    if (err instanceof LatchkeyError) return err as LatchkeyError<UpstreamErrorCode>;
    const fetchErr = findCause(err, (e): e is UpstreamFetchError => e instanceof UpstreamFetchError);
    if (fetchErr) {
      const code: UpstreamErrorCode = fetchErr.reason === 'insecure' ? 'UPSTREAM_INSECURE'
        : fetchErr.reason === 'redirect' ? 'UPSTREAM_REDIRECTED' : 'UPSTREAM_UNAVAILABLE';
      const fix = fetchErr.reason === 'redirect' && stage === 'discovery'
        ? `: configure the issuer of ${this.name} exactly as its discovery document names it` : '';
      return this.#error(code, `${stage} at ${this.name} failed: ${fetchErr.message}${fix}`, err);
    }
    if (err instanceof client.AuthorizationResponseError) {
      return this.#error('UPSTREAM_DENIED', `${this.name} refused the sign-in (${safeWord(err.error)})`, err);
    }
    if (err instanceof client.ResponseBodyError) {
      return this.#error('UPSTREAM_CODE_REFUSED', `${this.name} refused the code exchange (${safeWord(err.error)}): start the login again`, err);
    }
    if (stage === 'discovery') {
      const code = (err as { code?: string }).code;
      const why = code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED'
        ? `its issuer does not match the configured ${this.o.provider.issuer}` : 'it is not a valid discovery document';
      const status = (err as { cause?: { status?: number } }).cause?.status;
      if (typeof status === 'number' && status >= 500) {
        return this.#error('UPSTREAM_UNAVAILABLE', `discovery at ${this.name} failed: it answered ${status}`, err);
      }
      return this.#error('UPSTREAM_DISCOVERY_INVALID', `discovery at ${this.name} failed: ${why}`, err);
    }
    return this.#error('UPSTREAM_ID_TOKEN_INVALID', `the ID token from ${this.name} was refused: ${idTokenProblem(err)}`, err);
  }

  #error(code: UpstreamErrorCode, message: string, cause?: unknown): LatchkeyError<UpstreamErrorCode> {
    const detail = cause ? { provider: this.name, reason: chainMessages(cause) } : { provider: this.name };
    return new LatchkeyError<UpstreamErrorCode>(code, message, detail);
  }
}

/** What failed in the ID token, in words (never its content). */
function idTokenProblem(err: unknown): string {
  const claim = findCause(err, (e): e is { claim: string } => typeof (e as { claim?: unknown })?.claim === 'string')?.claim;
  const messages = chainMessages(err);
  if (claim === 'nonce') return 'its nonce does not belong to this sign-in (a replayed token?)';
  if (claim === 'iss' || claim === 'aud' || claim === 'azp') return `its ${claim} claim is wrong`;
  if (claim === 'exp' || claim === 'iat' || claim === 'nbf' || claim === 'auth_time') return `its ${claim} claim fails the time checks (expired?)`;
  if (/signature/i.test(messages)) return 'its signature does not verify against the provider\'s published keys (forged?)';
  if (/key/i.test(messages)) return 'no key in the provider\'s JWKS matches its signature';
  if (/alg/i.test(messages)) return 'it is signed with an algorithm that is not allowed';
  return 'it did not verify';
}

function findCause<T>(err: unknown, pred: (e: unknown) => e is T): T | undefined {
  for (let e = err, i = 0; e && i < 8; e = (e as { cause?: unknown }).cause, i++) {
    if (pred(e)) return e;
  }
  return undefined;
}

function chainMessages(err: unknown): string {
  const out: string[] = [];
  for (let e = err, i = 0; e && i < 8; e = (e as { cause?: unknown }).cause, i++) {
    if (e instanceof Error) out.push(e.message);
  }
  return out.join(': ').slice(0, 500);
}

/** An OAuth error code from the upstream, fit for our message. */
function safeWord(s: unknown): string {
  return typeof s === 'string' && /^[\w.-]{1,64}$/.test(s) ? s : 'error';
}
