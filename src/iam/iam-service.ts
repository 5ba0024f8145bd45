// The IAM context's facade: one object the HTTP layer and operator commands use.

import type { Store } from '../store/contract.js';
import { Authorizer } from './authorizer.js';
import { BindingService } from './binding-service.js';
import { pageLimit, type IamDeps } from './deps.js';
import { GroupService } from './group-service.js';
import { IdentityCache } from './identity-cache.js';
import { IdentityService } from './identity-service.js';
import { RoleService, ensureBuiltinRoles } from './role-service.js';
import type { AuditEvent } from './types.js';

export class IamService {
  readonly authorizer: Authorizer;
  /** Identity records for the exchange, cached like role bindings (authzCacheTtlMs). */
  readonly identityCache: IdentityCache;
  readonly groups: GroupService;
  readonly identities: IdentityService;
  readonly roles: RoleService;
  readonly bindings: BindingService;

  constructor(
    private readonly store: Store,
    private readonly clock: () => Date,
    authzCacheTtlMs: number,
    options: { inviteTtlSeconds?: number } = {},
  ) {
    this.authorizer = new Authorizer(store, clock, authzCacheTtlMs);
    this.identityCache = new IdentityCache(store, clock, authzCacheTtlMs);
    const deps: IamDeps = {
      store, clock, authorizer: this.authorizer, identityCache: this.identityCache,
      inviteTtlSeconds: options.inviteTtlSeconds ?? 7 * 86400,
    };
    this.groups = new GroupService(deps);
    this.identities = new IdentityService(deps);
    this.roles = new RoleService(deps);
    this.bindings = new BindingService(deps, this.roles);
  }

  /** Start-up: built-in roles present and current. */
  async init(): Promise<void> {
    await ensureBuiltinRoles(this.store, this.clock());
  }

  /** Audit events within `group` (the route checks audit.list there), newest first. */
  async audit(group: string, limit?: number): Promise<{ items: AuditEvent[] }> {
    return { items: await this.store.listAudit({ within: group, limit: pageLimit(limit) }) };
  }
}
