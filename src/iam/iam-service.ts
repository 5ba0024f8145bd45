// The IAM context's facade: one object the HTTP layer and operator commands use.

import type { BusNotice, CacheChange, ClusterBus } from '../cluster/index.js';
import type { Store } from '../store/contract.js';
import { Authorizer } from './authorizer.js';
import { BindingService } from './binding-service.js';
import { pageLimit, type IamDeps } from './deps.js';
import { GroupService } from './group-service.js';
import { IdentityCache } from './identity-cache.js';
import { IdentityService } from './identity-service.js';
import { PullTokenService } from './pull-token-service.js';
import { RoleService, ensureBuiltinRoles } from './role-service.js';
import type { AuditEvent } from './types.js';
import type { InvalidationCause } from './invalidation-cause.js';

export interface IamOptions {
  inviteTtlSeconds?: number;
  /** Tells other replicas what changed here, and tells this one what changed there. */
  bus?: ClusterBus;
  /** Counts dropped cache entries (metrics). */
  onInvalidate?: (cache: 'bindings' | 'identities', cause: InvalidationCause) => void;
}

export class IamService {
  readonly authorizer: Authorizer;
  /** Identity records for the exchange, cached like role bindings (authzCacheTtlMs). */
  readonly identityCache: IdentityCache;
  readonly groups: GroupService;
  readonly identities: IdentityService;
  readonly roles: RoleService;
  readonly bindings: BindingService;
  readonly pullTokens: PullTokenService;

  constructor(
    private readonly store: Store,
    private readonly clock: () => Date,
    authzCacheTtlMs: number,
    options: IamOptions = {},
  ) {
    const counted = options.onInvalidate ?? (() => {});
    this.authorizer = new Authorizer(store, clock, authzCacheTtlMs, (cause) => counted('bindings', cause));
    this.identityCache = new IdentityCache(store, clock, authzCacheTtlMs, (cause) => counted('identities', cause));
    const bus = options.bus;
    bus?.subscribe((n) => this.#dropFor(n));
    const deps: IamDeps = {
      store, clock, authorizer: this.authorizer, identityCache: this.identityCache,
      inviteTtlSeconds: options.inviteTtlSeconds ?? 7 * 86400,
      changed: async (changes) => {
        for (const c of changes) this.#drop(c, 'local');
        await bus?.publish(changes);
      },
    };
    this.groups = new GroupService(deps);
    this.identities = new IdentityService(deps);
    this.roles = new RoleService(deps);
    this.bindings = new BindingService(deps, this.roles);
    this.pullTokens = new PullTokenService(deps);
  }

  /** Start-up: built-in roles present and current. */
  async init(): Promise<void> {
    await ensureBuiltinRoles(this.store, this.clock());
  }

  /** A notice from another replica (or 'all' after missed notices): drop what it names. */
  #dropFor(n: BusNotice): void {
    if (n === 'all') {
      this.#drop({ cache: 'bindings' }, 'reconnect');
      this.#drop({ cache: 'identities' }, 'reconnect');
    } else {
      this.#drop(n, 'notify');
    }
  }

  #drop(c: CacheChange, cause: InvalidationCause): void {
    if (c.cache === 'bindings') this.authorizer.invalidate(c.key, cause);
    else if (c.cache === 'identities') this.identityCache.invalidate(c.key, cause);
  }

  /** Audit events within `group` (the route checks audit.list there), newest first. */
  async audit(group: string, limit?: number): Promise<{ items: AuditEvent[] }> {
    return { items: await this.store.listAudit({ within: group, limit: pageLimit(limit) }) };
  }
}
