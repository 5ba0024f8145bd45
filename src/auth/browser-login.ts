// The browser half of human login. The CLI (or the device page) sends the person here; we send
// them on to the upstream provider with our own state, nonce and PKCE, tied to their browser by
// a cookie; at our callback the upstream's answer is verified, the person becomes a user identity,
// and either the CLI's loopback callback gets a single-use code, or the device code is approved.

import { LatchkeyError } from '../errors/index.js';
import type { IamService, Identity } from '../iam/index.js';
import type { UpstreamProvider } from '../oidc/upstream/index.js';
import type { AuthStore } from './auth-store.js';
import { checkCliRedirectUri } from './cli-redirect-uri.js';
import { AUTHORIZATION_CODE_TTL_S, CLI_CLIENT_ID, LOGIN_STATE_TTL_S } from './constants.js';
import type { DeviceAuthorization } from './device-authorization.js';
import { OAUTH_ERROR, type AuthErrorCode } from './errors.js';
import { invalidRequest, readParams, required } from './oauth-params.js';
import type { LoginPurpose } from './records.js';
import { PKCE_S256_CHALLENGE, PKCE_VERIFIER, newSecret, pkceMatches, sameSecret, sha256 } from './secrets.js';
import { signInPerson } from './sign-in-person.js';

export interface BrowserLoginDeps {
  store: AuthStore;
  iam: IamService;
  providers: Map<string, UpstreamProvider>;
  device: DeviceAuthorization;
  clock: () => Date;
  issuerUrl: string;
}

/** A validated CLI authorization request (RFC 6749 §4.1.1 with RFC 7636 PKCE). */
export interface CliRequest {
  redirectUri: string;
  state: string;
  codeChallenge: string;
  provider: string | undefined;
}

/** Where /authorize sends the browser: to the upstream, or to a page to pick one. */
export type Begun = { upstream: URL } | { choose: Array<{ name: string; displayName: string }> };

export type Finished =
  | { kind: 'cli'; redirect: URL }
  | { kind: 'device'; person: Identity };

const STATE = /^[\x21-\x7e]{8,512}$/;
const refuse = (code: AuthErrorCode, message: string) => new LatchkeyError<AuthErrorCode>(code, message);

export class BrowserLogin {
  constructor(private readonly d: BrowserLoginDeps) {}

  /**
   * The client and redirect URI of an authorization request. Until these check out, errors are
   * shown in the browser; after, they go back to the redirect URI (RFC 6749 §4.1.2.1).
   * Parses untrusted input.
   */
  clientOf(query: URLSearchParams): { redirectUri: string; state: string | undefined } {
    const p = readParams(query, ['client_id', 'redirect_uri', 'state']);
    if (required(p, 'client_id') !== CLI_CLIENT_ID) throw refuse('AUTH_UNKNOWN_CLIENT', `client_id must be ${CLI_CLIENT_ID}`);
    return { redirectUri: checkCliRedirectUri(required(p, 'redirect_uri')), state: p.state };
  }

  /** The rest of an authorization request: response type, state, PKCE, provider. Parses untrusted input. */
  cliRequest(query: URLSearchParams): CliRequest {
    const { redirectUri } = this.clientOf(query);
    const p = readParams(query, ['response_type', 'state', 'code_challenge', 'code_challenge_method', 'provider']);
    if (p.response_type !== 'code') throw invalidRequest('response_type must be code');
    const state = required(p, 'state');
    if (!STATE.test(state)) throw invalidRequest('state must be 8 to 512 visible ASCII characters');
    if (p.code_challenge === undefined || p.code_challenge_method === undefined) {
      throw refuse('AUTH_PKCE_REQUIRED', 'PKCE is required: send code_challenge and code_challenge_method=S256');
    }
    if (p.code_challenge_method !== 'S256') throw refuse('AUTH_PKCE_REQUIRED', 'code_challenge_method must be S256 (plain is not accepted)');
    if (!PKCE_S256_CHALLENGE.test(p.code_challenge)) throw invalidRequest('code_challenge must be the base64url SHA-256 of the verifier (43 characters)');
    return { redirectUri, state, codeChallenge: p.code_challenge, provider: p.provider };
  }

  /** Starts the upstream sign-in for a CLI, or asks which provider. */
  async beginCli(req: CliRequest, browserSecret: string): Promise<Begun> {
    const provider = this.#pick(req.provider);
    if (!provider) return { choose: [...this.d.providers.values()].map((p) => ({ name: p.name, displayName: p.displayName })) };
    const purpose: LoginPurpose = { kind: 'cli', clientId: CLI_CLIENT_ID, redirectUri: req.redirectUri, state: req.state, codeChallenge: req.codeChallenge };
    return { upstream: await this.#begin(provider, purpose, browserSecret) };
  }

  /** Starts the upstream sign-in that approves a device code (after the person confirmed its user code). */
  async beginDevice(deviceCodeHash: string, providerName: string | undefined, browserSecret: string): Promise<Begun> {
    const provider = this.#pick(providerName);
    if (!provider) return { choose: [...this.d.providers.values()].map((p) => ({ name: p.name, displayName: p.displayName })) };
    return { upstream: await this.#begin(provider, { kind: 'device', deviceCodeHash }, browserSecret) };
  }

  /**
   * The upstream came back. One-time state, same browser, then openid-client verifies the answer.
   * A CLI always gets an answer at its redirect URI (a code, or an error); a device code is denied
   * when the sign-in fails. Parses untrusted input.
   */
  async finish(query: URLSearchParams, browserSecret: string | undefined, remoteAddr: string | null): Promise<Finished> {
    const state = readParams(query, ['state']).state;
    const unknown = refuse('AUTH_STATE_INVALID', 'this sign-in is unknown, already used or expired (it lasts 10 minutes): start again with `latchkey auth login`');
    if (!state) throw unknown;
    const s = await this.d.store.takeLoginState(sha256(state));
    if (!s || Date.parse(s.expiresAt) <= this.d.clock().getTime()) throw unknown;
    if (!browserSecret || !sameSecret(sha256(browserSecret), s.browserHash)) {
      throw refuse('AUTH_STATE_INVALID', 'this sign-in was started in another browser (or its cookie was blocked): start again from this browser');
    }
    const provider = this.d.providers.get(s.provider);
    try {
      if (!provider) throw unknown;
      const claims = await provider.finish(query, { state, nonce: s.nonce, codeVerifier: s.codeVerifier });
      const person = await signInPerson(this.d.iam, claims, remoteAddr);
      if (s.purpose.kind === 'device') {
        await this.d.device.approve(s.purpose.deviceCodeHash, person.id);
        return { kind: 'device', person };
      }
      return { kind: 'cli', redirect: await this.#codeFor(person, s.purpose) };
    } catch (err) {
      if (!(err instanceof LatchkeyError)) throw err;
      if (s.purpose.kind === 'device') {
        await this.d.device.deny(s.purpose.deviceCodeHash);
        throw err;
      }
      return { kind: 'cli', redirect: errorRedirect(s.purpose.redirectUri, s.purpose.state, err, this.d.issuerUrl) };
    }
  }

  /** The token endpoint's authorization_code grant: the identity the code was issued for. Parses untrusted input. */
  async redeem(form: URLSearchParams, clientId: string): Promise<string> {
    const p = readParams(form, ['code', 'redirect_uri', 'code_verifier']);
    const code = required(p, 'code');
    const redirectUri = checkCliRedirectUri(required(p, 'redirect_uri'));
    const verifier = required(p, 'code_verifier', 'AUTH_PKCE_REQUIRED');
    if (!PKCE_VERIFIER.test(verifier)) throw invalidRequest('code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~');
    // Taken (deleted) before any comparison: a wrong verifier or URI burns the code.
    const c = await this.d.store.takeAuthorizationCode(sha256(code));
    if (!c || Date.parse(c.expiresAt) <= this.d.clock().getTime() || c.clientId !== clientId) {
      throw refuse('AUTH_CODE_INVALID', 'the authorization code is unknown, already used or expired: run `latchkey auth login` again');
    }
    if (c.redirectUri !== redirectUri) throw refuse('AUTH_CODE_INVALID', 'redirect_uri does not match the one the code was issued to');
    if (!pkceMatches(verifier, c.codeChallenge)) throw refuse('AUTH_PKCE_MISMATCH', 'code_verifier does not match the code_challenge of the login (PKCE)');
    return c.identity;
  }

  #pick(name: string | undefined): UpstreamProvider | undefined {
    if (this.d.providers.size === 0) {
      throw refuse('AUTH_NO_PROVIDER', 'this server has no upstream identity provider to log in with: the operator configures --oidc-providers');
    }
    if (name !== undefined) {
      const p = this.d.providers.get(name);
      if (!p) throw refuse('AUTH_UNKNOWN_PROVIDER', `no provider is named "${name.slice(0, 40)}": use one of ${[...this.d.providers.keys()].join(', ')}`);
      return p;
    }
    return this.d.providers.size === 1 ? this.d.providers.values().next().value : undefined;
  }

  async #begin(provider: UpstreamProvider, purpose: LoginPurpose, browserSecret: string): Promise<URL> {
    const checks = { state: newSecret(), nonce: newSecret(), codeVerifier: newSecret() };
    const url = await provider.authorizationUrl(checks); // discovery first: nothing is stored if the upstream is down
    const now = this.d.clock();
    await this.d.store.insertLoginState({
      stateHash: sha256(checks.state),
      provider: provider.name,
      nonce: checks.nonce,
      codeVerifier: checks.codeVerifier,
      browserHash: sha256(browserSecret),
      purpose,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + LOGIN_STATE_TTL_S * 1000).toISOString(),
    });
    return url;
  }

  async #codeFor(person: Identity, purpose: Extract<LoginPurpose, { kind: 'cli' }>): Promise<URL> {
    const code = newSecret('lkac_');
    const now = this.d.clock();
    await this.d.store.insertAuthorizationCode({
      codeHash: sha256(code),
      identity: person.id,
      clientId: purpose.clientId,
      redirectUri: purpose.redirectUri,
      codeChallenge: purpose.codeChallenge,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + AUTHORIZATION_CODE_TTL_S * 1000).toISOString(),
    });
    const u = new URL(purpose.redirectUri);
    u.searchParams.set('code', code);
    u.searchParams.set('state', purpose.state);
    u.searchParams.set('iss', this.d.issuerUrl);
    return u;
  }
}

/** An RFC 6749 §4.1.2.1 error answer at the client's redirect URI, with our stable code. */
export function errorRedirect(redirectUri: string, state: string | undefined, err: LatchkeyError, issuerUrl: string): URL {
  const u = new URL(redirectUri);
  u.searchParams.set('error', OAUTH_ERROR[err.code] ?? 'access_denied');
  u.searchParams.set('error_description', err.message);
  u.searchParams.set('latchkey_code', err.code);
  if (state !== undefined) u.searchParams.set('state', state);
  u.searchParams.set('iss', issuerUrl);
  return u;
}
