// Role bindings: identity × role × group. A binding grants the role's capabilities on its
// group and every descendant. People who have not logged in yet are invited by email: an
// invitation is a pending binding that their first login claims once, until it expires.
// Every write goes through the Authorizer's Grant rule (you can only grant what you hold).

import { randomBytes } from 'node:crypto';
import { LatchkeyError } from '../errors/index.js';
import type { TreeFilter } from '../store/contract.js';
import { OPERATOR, type Actor } from './actor.js';
import type { Caller } from './authorizer.js';
import { pageLimit, type IamDeps } from './deps.js';
import type { IamErrorCode } from './errors.js';
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
  email?: string;
  role?: string;
  limit?: number;
  after?: string;
}

export interface BindingView extends RoleBinding {
  roleName?: string;
  identityName?: string;
}

/** An invitation as served: marked `pending`, with its email and expiry. */
export interface InvitationView extends PendingBinding {
  pending: true;
  roleName?: string;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

export class BindingService {
  constructor(private readonly d: IamDeps, private readonly roles: RoleService) {}

  /**
   * Binds an identity, or invites an email, to a role in `group`. `inviteTtlSeconds`
   * overrides the configured invitation lifetime (operator bootstrap).
   */
  async create(actor: Actor, group: string, input: BindingInput, opts: { inviteTtlSeconds?: number } = {}): Promise<RoleBinding | InvitationView> {
    const roleId = checkUidp('role', input.role);
    if (!(await this.d.store.getGroup(group))) throw notFound('group', group);
    const role = await this.roles.bindable(roleId, group);
    if (input.email !== undefined) {
      if (input.identity !== undefined) throw invalid('give either identity or email, not both');
      if (typeof input.email !== 'string' || !EMAIL.test(input.email)) throw invalid('email must be an email address');
      await this.d.authorizer.requireGrant(actor.caller, 'create', group, role);
      return this.#createInvitation(actor, group, input.email.toLowerCase(), roleId, role.name, opts.inviteTtlSeconds ?? this.d.inviteTtlSeconds);
    }
    const identity = checkUidp('identity', input.identity);
    const who = await this.d.store.getIdentity(identity);
    if (!who) throw notFound('identity', identity);
    if (!isRootUidp(identity) && rootOf(identity) !== rootOf(group)) {
      throw invalid('an assumable identity can only be bound in its own organization');
    }
    await this.d.authorizer.requireGrant(actor.caller, 'create', group, role);
    const now = this.d.clock().toISOString();
    const b: RoleBinding = { id: newChildUidp(group), group, identity, role: roleId, createdAt: now, updatedAt: now };
    await this.d.store.transaction(async (tx) => {
      await tx.insertBinding(b);
      await recordAudit(tx, actor, this.d.clock(), 'role_bindings.create', b.id, null, { identity, role: roleId });
    });
    await this.d.changed([{ cache: 'bindings', key: identity }]);
    return b;
  }

  /** A role binding or an invitation, by id. */
  async get(id: string): Promise<RoleBinding | InvitationView> {
    const b = await this.d.store.getBinding(id);
    if (b) return b;
    const p = await this.d.store.getPendingBinding(id);
    if (p) return this.#invitationView(p);
    throw notFound('role binding', id);
  }

  async update(actor: Actor, id: string, input: BindingInput): Promise<RoleBinding> {
    if (input.identity !== undefined || input.email !== undefined) throw invalid('only the role of a binding can change; delete it and create another to bind someone else');
    const roleId = checkUidp('role', input.role);
    const group = parentOf(id);
    if (!group) throw invalid('a role binding id has a group UIDP before its last "/"');
    const role = await this.roles.bindable(roleId, group);
    await this.d.authorizer.requireGrant(actor.caller, 'update', group, role);
    const next = await this.d.store.transaction(async (tx) => {
      const cur = await tx.getBinding(id);
      if (!cur) {
        if (await tx.getPendingBinding(id)) {
          throw new LatchkeyError<IamErrorCode>('FAILED_PRECONDITION', `${id} is an invitation, which cannot change: delete it and invite again with the other role`);
        }
        throw notFound('role binding', id);
      }
      const b: RoleBinding = { ...cur, role: roleId, updatedAt: this.d.clock().toISOString() };
      await tx.updateBinding(b);
      await recordAudit(tx, actor, this.d.clock(), 'role_bindings.update', id, null, { from: cur.role, to: roleId });
      return b;
    });
    await this.d.changed([{ cache: 'bindings', key: next.identity }]);
    return next;
  }

  /** Deletes a role binding or an invitation (the route checked role_bindings.delete on its group). */
  async delete(actor: Actor, id: string): Promise<void> {
    const identity = await this.d.store.transaction(async (tx) => {
      const b = await tx.getBinding(id);
      if (b) {
        await tx.deleteBinding(id);
        await recordAudit(tx, actor, this.d.clock(), 'role_bindings.delete', id, null, { identity: b.identity, role: b.role });
        return b.identity;
      }
      const p = await tx.getPendingBinding(id);
      if (!p || !(await tx.deletePendingBinding(id))) throw notFound('role binding', id);
      await recordAudit(tx, actor, this.d.clock(), 'invitation.delete', id, null, { email: p.email, role: p.role });
      return undefined;
    });
    if (identity) await this.d.changed([{ cache: 'bindings', key: identity }]);
  }

  /** Role bindings and invitations the caller may list, merged in id order and paged. */
  async list(caller: Caller, q: BindingListQuery): Promise<PageResult<BindingView | InvitationView>> {
    const scopes = await this.d.authorizer.scopesWith(caller, 'role_bindings.list');
    let page: PageResult<RoleBinding | PendingBinding>;
    if (q.id !== undefined) {
      const b = scopes.length ? await this.d.store.getBinding(q.id) ?? await this.d.store.getPendingBinding(q.id) : undefined;
      page = { items: b && (await this.d.authorizer.can(caller, 'role_bindings.list', b.group)) ? [b] : [] };
    } else {
      page = await pageOver(visibleParts(scopes, q, false), { limit: pageLimit(q.limit), after: q.after }, async (part, p) => {
        if ('self' in part) return [];
        const bindings = q.email !== undefined ? [] : await this.d.store.listBindings({ ...part, ...p, identity: q.identity, role: q.role });
        const invitations = q.identity !== undefined ? [] : await this.d.store.listPendingBindings({ ...part, ...p, email: q.email?.toLowerCase(), role: q.role });
        // Both are id-ordered and ids never collide (random UIDP children): merge, keep `limit`.
        return [...bindings, ...invitations].sort((a, b) => (a.id < b.id ? -1 : 1)).slice(0, p.limit);
      });
    }
    return { ...page, items: await this.#withNames(page.items) };
  }

  /**
   * Claims the invitations for `email` for `identity` (a person's first login with that verified
   * email): each becomes a real binding, once. Expired invitations are removed instead.
   */
  async claimPending(identity: string, email: string): Promise<RoleBinding[]> {
    const out: RoleBinding[] = [];
    const now = this.d.clock();
    const pending = await this.d.store.listPendingBindings({ email: email.toLowerCase() });
    for (const p of pending) {
      if (Date.parse(p.expiresAt) <= now.getTime()) {
        await this.#expire(p);
        continue;
      }
      const at = now.toISOString();
      const b: RoleBinding = { id: newChildUidp(p.group), group: p.group, identity, role: p.role, createdAt: at, updatedAt: at };
      await this.d.store.transaction(async (tx) => {
        if (!(await tx.deletePendingBinding(p.id))) return; // claimed concurrently
        const claimer = { caller: { sub: identity }, remoteAddr: null };
        // Already bound this way (e.g. bound directly after the invitation): nothing to add.
        if ((await tx.listBindings({ group: p.group, identity, role: p.role, limit: 1 })).length) {
          await recordAudit(tx, claimer, now, 'invitation.claim', p.id, null, { email: p.email, role: p.role, binding: null });
          return;
        }
        await tx.insertBinding(b);
        await recordAudit(tx, claimer, now, 'invitation.claim', p.id, null, { email: p.email, role: p.role, binding: b.id, identity });
        out.push(b);
      });
    }
    if (out.length) await this.d.changed([{ cache: 'bindings', key: identity }]);
    return out;
  }

  /** Removes every expired invitation, auditing each; returns how many. Safe on every replica at once. */
  async sweepExpiredInvitations(): Promise<number> {
    const expired = await this.d.store.listPendingBindings({ expiredAt: this.d.clock().toISOString(), limit: 1000 });
    let n = 0;
    for (const p of expired) if (await this.#expire(p)) n++;
    return n;
  }

  async #expire(p: PendingBinding): Promise<boolean> {
    return this.d.store.transaction(async (tx) => {
      if (!(await tx.deletePendingBinding(p.id))) return false; // another replica got there first
      await recordAudit(tx, OPERATOR, this.d.clock(), 'invitation.expire', p.id, null, { email: p.email, role: p.role, expiresAt: p.expiresAt });
      return true;
    });
  }

  async #createInvitation(actor: Actor, group: string, email: string, role: string, roleName: string, ttlSeconds: number): Promise<InvitationView> {
    const now = this.d.clock();
    const p: PendingBinding = {
      id: `${group}/${randomBytes(8).toString('hex')}`, group, email, role,
      createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + ttlSeconds * 1000).toISOString(),
    };
    await this.d.store.transaction(async (tx) => {
      await tx.insertPendingBinding(p);
      await recordAudit(tx, actor, now, 'invitation.create', p.id, null, { email, role, expiresAt: p.expiresAt });
    });
    return { ...p, pending: true, roleName };
  }

  #invitationView(p: PendingBinding, roleName?: string): InvitationView {
    return { ...p, pending: true, ...(roleName !== undefined ? { roleName } : {}) };
  }

  async #withNames(items: Array<RoleBinding | PendingBinding>): Promise<Array<BindingView | InvitationView>> {
    const roleNames = new Map<string, string | undefined>();
    const out: Array<BindingView | InvitationView> = [];
    for (const b of items) {
      if (!roleNames.has(b.role)) roleNames.set(b.role, (await this.d.store.getRole(b.role))?.name);
      if ('email' in b) {
        out.push(this.#invitationView(b, roleNames.get(b.role)));
        continue;
      }
      const identityName = (await this.d.store.getIdentity(b.identity))?.name;
      out.push({ ...b, roleName: roleNames.get(b.role), identityName });
    }
    return out;
  }
}

export function isPending(b: RoleBinding | PendingBinding): b is PendingBinding {
  return 'email' in b;
}
