// Roles: the built-in owner/editor/viewer, and custom roles defined in a group.

import { LatchkeyError } from '../errors/index.js';
import type { Store, TreeFilter } from '../store/contract.js';
import type { Actor } from './actor.js';
import type { Caller } from './authorizer.js';
import { BUILTIN_ROLES, builtinRoleId, isCapability, type Capability } from './capabilities.js';
import { pageLimit, type IamDeps } from './deps.js';
import type { IamErrorCode } from './errors.js';
import { recordAudit } from './record-audit.js';
import type { Role } from './types.js';
import { isSelfOrAncestor, newChildUidp } from './uidp.js';
import { checkDescription, checkName, invalid, notFound } from './validate.js';
import { visibleParts } from './visible-page.js';

export interface RoleInput {
  name?: unknown;
  description?: unknown;
  capabilities?: unknown;
}

export interface RoleListQuery extends TreeFilter {
  id?: string;
  name?: string;
  /** Only built-in roles. */
  builtinOnly?: boolean;
  limit?: number;
}

/** Inserts the built-in roles when missing and brings their capabilities up to date. */
export async function ensureBuiltinRoles(store: Store, now: Date): Promise<void> {
  for (const b of BUILTIN_ROLES) {
    const id = builtinRoleId(b.name);
    const cur = await store.getRole(id);
    const role: Role = {
      id, parentId: null, name: b.name, description: b.description, capabilities: [...b.capabilities],
      createdAt: cur?.createdAt ?? now.toISOString(), updatedAt: now.toISOString(),
    };
    if (!cur) {
      try {
        await store.insertRole(role);
      } catch (err) {
        if (!(err instanceof LatchkeyError && err.code === 'STORE_CONFLICT')) throw err; // another replica won
      }
    } else if (cur.capabilities.join() !== role.capabilities.join() || cur.description !== role.description) {
      await store.updateRole(role);
    }
  }
}

function checkCapabilities(v: unknown): Capability[] {
  if (!Array.isArray(v) || v.length === 0) throw invalid('capabilities must be a non-empty list, e.g. ["identity.list","groups.list"]');
  for (const c of v) if (!isCapability(c)) throw invalid(`unknown capability ${JSON.stringify(c)}; see GET /iam/v1/roles for the built-in roles' capabilities`);
  return [...new Set(v as Capability[])].sort();
}

export class RoleService {
  constructor(private readonly d: IamDeps) {}

  async create(actor: Actor, parent: string, input: RoleInput): Promise<Role> {
    const name = checkName('role', input.name);
    const description = checkDescription(input.description);
    const capabilities = checkCapabilities(input.capabilities);
    if (BUILTIN_ROLES.some((b) => b.name === name)) throw new LatchkeyError<IamErrorCode>('ALREADY_EXISTS', `"${name}" is a built-in role; choose another name`);
    if (!(await this.d.store.getGroup(parent))) throw notFound('parent group', parent);
    await this.d.authorizer.requireDefine(actor.caller, 'create', parent, capabilities);
    const now = this.d.clock().toISOString();
    const role: Role = { id: newChildUidp(parent), parentId: parent, name, description, capabilities, createdAt: now, updatedAt: now };
    await this.d.store.transaction(async (tx) => {
      await tx.insertRole(role);
      await recordAudit(tx, actor, this.d.clock(), 'roles.create', role.id, null, { name, capabilities });
    });
    return role;
  }

  /** A role visible to `caller`: built-in, or custom where the caller holds roles.list. */
  async get(caller: Caller, id: string): Promise<Role> {
    const r = await this.d.store.getRole(id);
    if (!r || (r.parentId !== null && !(await this.d.authorizer.can(caller, 'roles.list', r.parentId)))) throw notFound('role', id);
    return r;
  }

  async update(actor: Actor, id: string, input: RoleInput): Promise<Role> {
    const r = await this.d.store.transaction(async (tx) => {
      const cur = await tx.getRole(id);
      if (!cur) throw notFound('role', id);
      if (cur.parentId === null) throw new LatchkeyError<IamErrorCode>('FAILED_PRECONDITION', `"${cur.name}" is a built-in role and cannot be changed; create a custom role instead`);
      const next: Role = {
        ...cur,
        name: input.name === undefined ? cur.name : checkName('role', input.name),
        description: input.description === undefined ? cur.description : checkDescription(input.description),
        capabilities: input.capabilities === undefined ? cur.capabilities : checkCapabilities(input.capabilities),
        updatedAt: this.d.clock().toISOString(),
      };
      // Every binding of this role sits at or below its group: holding each capability there
      // means the change gives no one anything the caller does not hold where they are bound.
      await this.d.authorizer.requireDefine(actor.caller, 'update', cur.parentId, next.capabilities, tx);
      await tx.updateRole(next);
      await recordAudit(tx, actor, this.d.clock(), 'roles.update', id, null, { name: next.name, capabilities: next.capabilities });
      return next;
    });
    await this.d.changed([{ cache: 'bindings' }]);
    return r;
  }

  async delete(actor: Actor, id: string): Promise<void> {
    await this.d.store.transaction(async (tx) => {
      const cur = await tx.getRole(id);
      if (!cur) throw notFound('role', id);
      if (cur.parentId === null) throw new LatchkeyError<IamErrorCode>('FAILED_PRECONDITION', `"${cur.name}" is a built-in role and cannot be deleted`);
      await tx.deleteRole(id);
      await recordAudit(tx, actor, this.d.clock(), 'roles.delete', id, null, { name: cur.name });
    });
    await this.d.changed([{ cache: 'bindings' }]);
  }

  /** Built-in roles, plus custom roles where the caller holds roles.list. */
  async list(caller: Caller, q: RoleListQuery): Promise<{ items: Role[] }> {
    const limit = pageLimit(q.limit);
    if (q.id !== undefined) {
      try {
        const r = await this.get(caller, q.id);
        return { items: !q.name || r.name === q.name ? [r] : [] };
      } catch {
        return { items: [] };
      }
    }
    const items = await this.d.store.listRoles({ builtinOnly: true, name: q.name, limit });
    const positional = q.childrenOf !== undefined || q.descendantsOf !== undefined;
    if (positional) items.length = 0;
    if (!q.builtinOnly) {
      const scopes = await this.d.authorizer.scopesWith(caller, 'roles.list');
      for (const part of visibleParts(scopes, q, false)) {
        if ('self' in part) continue;
        items.push(...(await this.d.store.listRoles({ ...part, name: q.name, limit })));
      }
    }
    items.sort((a, b) => (a.id < b.id ? -1 : 1));
    return { items: items.slice(0, limit) };
  }

  /** Checks that `roleId` may be bound in `group`: built-in, or defined at or above it. */
  async bindable(roleId: string, group: string): Promise<Role> {
    const r = await this.d.store.getRole(roleId);
    if (!r || (r.parentId !== null && !isSelfOrAncestor(r.parentId, group))) {
      throw invalid(`role ${roleId} does not exist in ${group} or above it; list roles with \`latchkey iam roles list\``);
    }
    return r;
  }
}
