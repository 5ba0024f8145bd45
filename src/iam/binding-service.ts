// Role bindings: identity × role × group. A binding grants the role's capabilities on its
// group and every descendant. People who have not logged in yet are bound by email
// (a pending binding that their first login turns into a real one).

import { randomBytes } from 'node:crypto';
import type { TreeFilter } from '../store/contract.js';
import type { Actor } from './actor.js';
import type { Caller } from './authorizer.js';
import { pageLimit, type IamDeps } from './deps.js';
import { recordAudit } from './record-audit.js';
import type { RoleService } from './role-service.js';
import type { PendingBinding, RoleBinding } from './types.js';
import { isRootUidp, newChildUidp, parentOf, rootOf } from './uidp.js';
import { checkUidp, invalid, notFound } from './validate.js';
import { pageOver, visibleParts, type PageResult } from './visible-page.js';

export interface BindingInput {
  identity?: unknown;
  email?: unknown;
  role?: unknown;
}

export interface BindingListQuery extends TreeFilter {
  id?: string;
  identity?: string;
  role?: string;
  limit?: number;
  after?: string;
}

export interface BindingView extends RoleBinding {
  roleName?: string;
  identityName?: string;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

export class BindingService {
  constructor(private readonly d: IamDeps, private readonly roles: RoleService) {}

  async create(actor: Actor, group: string, input: BindingInput): Promise<RoleBinding | PendingBinding> {
    const role = checkUidp('role', input.role);
    if (!(await this.d.store.getGroup(group))) throw notFound('group', group);
    await this.roles.bindable(role, group);
    if (input.email !== undefined) {
      if (input.identity !== undefined) throw invalid('give either identity or email, not both');
      if (typeof input.email !== 'string' || !EMAIL.test(input.email)) throw invalid('email must be an email address');
      return this.#createPending(actor, group, input.email.toLowerCase(), role);
    }
    const identity = checkUidp('identity', input.identity);
    const who = await this.d.store.getIdentity(identity);
    if (!who) throw notFound('identity', identity);
    if (!isRootUidp(identity) && rootOf(identity) !== rootOf(group)) {
      throw invalid('an assumable identity can only be bound in its own organization');
    }
    const now = this.d.clock().toISOString();
    const b: RoleBinding = { id: newChildUidp(group), group, identity, role, createdAt: now, updatedAt: now };
    await this.d.store.transaction(async (tx) => {
      await tx.insertBinding(b);
      await recordAudit(tx, actor, this.d.clock(), 'role_bindings.create', b.id, null, { identity, role });
    });
    this.d.authorizer.invalidate(identity);
    return b;
  }

  async get(id: string): Promise<RoleBinding> {
    const b = await this.d.store.getBinding(id);
    if (!b) throw notFound('role binding', id);
    return b;
  }

  async update(actor: Actor, id: string, input: BindingInput): Promise<RoleBinding> {
    if (input.identity !== undefined || input.email !== undefined) throw invalid('only the role of a binding can change; delete it and create another to bind someone else');
    const role = checkUidp('role', input.role);
    const group = parentOf(id);
    if (!group) throw invalid('a role binding id has a group UIDP before its last "/"');
    await this.roles.bindable(role, group);
    const next = await this.d.store.transaction(async (tx) => {
      const cur = await tx.getBinding(id);
      if (!cur) throw notFound('role binding', id);
      const b: RoleBinding = { ...cur, role, updatedAt: this.d.clock().toISOString() };
      await tx.updateBinding(b);
      await recordAudit(tx, actor, this.d.clock(), 'role_bindings.update', id, null, { from: cur.role, to: role });
      return b;
    });
    this.d.authorizer.invalidate(next.identity);
    return next;
  }

  async delete(actor: Actor, id: string): Promise<void> {
    const cur = await this.d.store.transaction(async (tx) => {
      const b = await tx.getBinding(id);
      if (!b) throw notFound('role binding', id);
      await tx.deleteBinding(id);
      await recordAudit(tx, actor, this.d.clock(), 'role_bindings.delete', id, null, { identity: b.identity, role: b.role });
      return b;
    });
    this.d.authorizer.invalidate(cur.identity);
  }

  async list(caller: Caller, q: BindingListQuery): Promise<PageResult<BindingView>> {
    const scopes = await this.d.authorizer.scopesWith(caller, 'role_bindings.list');
    let page: PageResult<RoleBinding>;
    if (q.id !== undefined) {
      const b = scopes.length ? await this.d.store.getBinding(q.id) : undefined;
      page = { items: b && (await this.d.authorizer.can(caller, 'role_bindings.list', b.group)) ? [b] : [] };
    } else {
      page = await pageOver(visibleParts(scopes, q, false), { limit: pageLimit(q.limit), after: q.after }, (part, p) =>
        'self' in part ? Promise.resolve([]) : this.d.store.listBindings({ ...part, ...p, identity: q.identity, role: q.role }));
    }
    return { ...page, items: await this.#withNames(page.items) };
  }

  /** Turns the pending bindings for `email` into real bindings of `identity` (first login). */
  async claimPending(identity: string, email: string): Promise<RoleBinding[]> {
    const out: RoleBinding[] = [];
    const pending = await this.d.store.listPendingBindings({ email: email.toLowerCase() });
    for (const p of pending) {
      const now = this.d.clock().toISOString();
      const b: RoleBinding = { id: newChildUidp(p.group), group: p.group, identity, role: p.role, createdAt: now, updatedAt: now };
      await this.d.store.transaction(async (tx) => {
        if (!(await tx.deletePendingBinding(p.id))) return; // claimed concurrently
        // Already bound this way (e.g. bound directly after the email invitation): nothing to add.
        if ((await tx.listBindings({ group: p.group, identity, role: p.role, limit: 1 })).length) return;
        await tx.insertBinding(b);
        await recordAudit(tx, { caller: { sub: identity }, remoteAddr: null }, this.d.clock(), 'role_bindings.create', b.id, null, { identity, role: p.role, claimedFrom: email });
        out.push(b);
      });
    }
    if (out.length) this.d.authorizer.invalidate(identity);
    return out;
  }

  async #createPending(actor: Actor, group: string, email: string, role: string): Promise<PendingBinding> {
    const p: PendingBinding = { id: `${group}/${randomBytes(8).toString('hex')}`, group, email, role, createdAt: this.d.clock().toISOString() };
    await this.d.store.transaction(async (tx) => {
      await tx.insertPendingBinding(p);
      await recordAudit(tx, actor, this.d.clock(), 'role_bindings.create', p.id, null, { email, role, pending: true });
    });
    return p;
  }

  async #withNames(items: RoleBinding[]): Promise<BindingView[]> {
    const roleNames = new Map<string, string | undefined>();
    const out: BindingView[] = [];
    for (const b of items) {
      if (!roleNames.has(b.role)) roleNames.set(b.role, (await this.d.store.getRole(b.role))?.name);
      const identityName = (await this.d.store.getIdentity(b.identity))?.name;
      out.push({ ...b, roleName: roleNames.get(b.role), identityName });
    }
    return out;
  }
}

export function isPending(b: RoleBinding | PendingBinding): b is PendingBinding {
  return 'email' in b;
}

