// The token service of the Docker Registry v2 token authentication protocol: credentials and
// scopes in, a registry token out that grants exactly the actions the caller's role bindings
// allow on the group each repository belongs to. Distribution verifies the token with the
// certificate bundle (registry-certificates.ts), its `iss` against its configured issuer and
// its `aud` against its service name.

import { randomUUID } from 'node:crypto';
import { LatchkeyError } from '../errors/index.js';
import type { Authorizer, Caller, Capability } from '../iam/index.js';
import type { SigningKeys, TokenIssuer } from '../oidc/index.js';
import type { Store } from '../store/contract.js';
import type { ExchangeAudit } from '../sts/index.js';
import type { RegistryErrorCode } from './errors.js';
import type { Credentials } from './parse-credentials.js';
import type { RegistryAction, Scope } from './parse-scope.js';
import { repositoryGroup } from './repository-group.js';

/** What each action needs, on the group the repository belongs to. */
const ACTION_CAPABILITIES: Record<Exclude<RegistryAction, '*'>, Capability[]> = {
  pull: ['manifest.list'],
  push: ['manifest.create', 'tag.create'],
  delete: ['manifest.delete'],
};

export interface RegistryTokenDeps {
  store: Store;
  authorizer: Authorizer;
  /** Verifies Latchkey tokens presented as credentials. */
  issuer: TokenIssuer;
  /** The registry's own signing keys (purpose 'registry'). */
  keys: SigningKeys;
  clock: () => Date;
  /** The `iss` of registry tokens: the registry's `auth.token.issuer`. */
  issuerName: string;
  /** Registry service names tokens are issued for; each is also the audience a presented Latchkey token must carry. */
  services: readonly string[];
  ttlSeconds: number;
  /** The caller a pull token's user name and secret stand for, or undefined when they do not verify. */
  verifyPullToken: (username: string, secret: string) => Promise<Caller | undefined>;
  /** Records every token issued, with what it grants, batched like the exchange's. */
  audit?: ExchangeAudit;
}

export interface RegistryTokenRequest {
  service: string;
  scopes: Scope[];
  credentials: Credentials | undefined;
  /** The client's address, for the audit record. */
  remoteAddr?: string | null;
}

export interface RegistryTokenResponse {
  token: string;
  access_token: string;
  expires_in: number;
  issued_at: string;
}

export interface GrantedAccess {
  type: string;
  name: string;
  actions: string[];
}

function unauthenticated(message: string, detail?: Record<string, unknown>): LatchkeyError<RegistryErrorCode> {
  return new LatchkeyError<RegistryErrorCode>('REGISTRY_UNAUTHENTICATED', message, detail);
}

export class RegistryTokenService {
  constructor(private readonly d: RegistryTokenDeps) {}

  /**
   * Issues a token and records it with the access it grants. Refusals are logged, not audited:
   * an unverified credential names no one (the exchange audits refusals by the identity asked
   * for; a registry request names none).
   */
  async token(req: RegistryTokenRequest): Promise<{ response: RegistryTokenResponse; sub: string; access: GrantedAccess[] }> {
    const out = await this.#token(req);
    this.d.audit?.record({
      action: 'registry.token', identity: out.sub, remoteAddr: req.remoteAddr ?? null, granted: true,
      details: { service: req.service, access: out.access },
    });
    return out;
  }

  async #token(req: RegistryTokenRequest): Promise<{ response: RegistryTokenResponse; sub: string; access: GrantedAccess[] }> {
    if (!this.d.services.includes(req.service)) {
      throw new LatchkeyError<RegistryErrorCode>('REGISTRY_UNKNOWN_SERVICE',
        `Latchkey issues no registry tokens for service ${JSON.stringify(req.service.slice(0, 100))}: the server's --registry-services lists the registries it serves`);
    }
    const caller = await this.#authenticate(req.service, req.credentials);
    const access = await this.#grant(caller, req.scopes);
    const { sign } = this.d.keys.current();
    const iat = Math.floor(this.d.clock().getTime() / 1000);
    const token = sign({
      iss: this.d.issuerName, sub: caller.sub, aud: req.service,
      iat, nbf: iat, exp: iat + this.d.ttlSeconds, jti: randomUUID(), access,
    });
    return {
      response: { token, access_token: token, expires_in: this.d.ttlSeconds, issued_at: new Date(iat * 1000).toISOString() },
      sub: caller.sub,
      access,
    };
  }

  async #authenticate(service: string, credentials: Credentials | undefined): Promise<Caller> {
    if (!credentials) {
      throw unauthenticated('no credentials: configure the credential helper (`latchkey auth configure-docker --registry HOST`) or log in with a pull token');
    }
    if (credentials.kind === 'pull_token') {
      const caller = await this.d.verifyPullToken(credentials.username, credentials.secret);
      if (!caller) throw unauthenticated('the pull token is unknown, deleted, expired, or its secret is wrong');
      return caller;
    }
    try {
      const p = await this.d.issuer.verify(credentials.token, service);
      return { sub: p.sub, cap: p.cap };
    } catch (err) {
      if (!(err instanceof LatchkeyError)) throw err;
      const why: Record<string, string> = {
        TOKEN_EXPIRED: 'the Latchkey token has expired: get a fresh one (the credential helper does)',
        TOKEN_WRONG_AUDIENCE: `the Latchkey token was not issued for this registry: its audience must be ${service}`,
      };
      throw unauthenticated(why[err.code] ?? 'the Latchkey token is not valid', { code: err.code });
    }
  }

  async #grant(caller: Caller, scopes: Scope[]): Promise<GrantedAccess[]> {
    const out: GrantedAccess[] = [];
    for (const s of scopes) {
      if (s.type !== 'repository') continue; // the catalog spans every group: never granted
      const group = await repositoryGroup(this.d.store, s.name);
      if (!group) continue;
      const actions: string[] = [];
      for (const a of s.actions) {
        if (a === '*') continue;
        let ok = true;
        for (const cap of ACTION_CAPABILITIES[a]) ok = ok && (await this.d.authorizer.can(caller, cap, group));
        if (ok) actions.push(a);
      }
      if (actions.length) {
        const prev = out.find((e) => e.name === s.name);
        if (prev) prev.actions = [...new Set([...prev.actions, ...actions])];
        else out.push({ type: 'repository', name: s.name, actions });
      }
    }
    return out;
  }
}
