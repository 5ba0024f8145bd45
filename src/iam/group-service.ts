// Organizations (root groups) and folders (nested groups).

import { LatchkeyError } from '../errors/index.js';
import type { DeletedTree, TreeFilter } from '../store/contract.js';
import type { Actor } from './actor.js';
import type { Caller } from './authorizer.js';
import { pageLimit, type IamDeps } from './deps.js';
import type { IamErrorCode } from './errors.js';
import { recordAudit } from './record-audit.js';
import type { Group } from './types.js';
import { MAX_UIDP_DEPTH, depthOf, newChildUidp, newRootUidp } from './uidp.js';
import { checkDescription, checkName, notFound } from './validate.js';
import { pageOver, visibleParts, type PageResult } from './visible-page.js';

export interface GroupInput {
  name?: unknown;
  description?: unknown;
}

export interface GroupListQuery extends TreeFilter {
  id?: string;
  name?: string;
  rootsOnly?: boolean;
  limit?: number;
  after?: string;
}

export class GroupService {
  constructor(private readonly d: IamDeps) {}

  /** Creates an organization. Operators only (bootstrap); the API does not expose it. */
  async createOrganization(actor: Actor, input: GroupInput): Promise<Group> {
    return this.#insert(actor, null, input);
  }

  async createFolder(actor: Actor, parent: string, input: GroupInput): Promise<Group> {
    if (depthOf(parent) >= MAX_UIDP_DEPTH) {
      throw new LatchkeyError<IamErrorCode>('INVALID_ARGUMENT', `folders nest at most ${MAX_UIDP_DEPTH - 1} levels deep`);
    }
    if (!(await this.d.store.getGroup(parent))) throw notFound('parent group', parent);
    return this.#insert(actor, parent, input);
  }

  async get(id: string): Promise<Group> {
    const g = await this.d.store.getGroup(id);
    if (!g) throw notFound('group', id);
    return g;
  }

  async update(actor: Actor, id: string, input: GroupInput): Promise<Group> {
    const name = input.name === undefined ? undefined : checkName('group', input.name);
    const description = input.description === undefined ? undefined : checkDescription(input.description);
    return this.d.store.transaction(async (tx) => {
      const g = await tx.getGroup(id);
      if (!g) throw notFound('group', id);
      const next: Group = { ...g, name: name ?? g.name, description: description ?? g.description, updatedAt: this.d.clock().toISOString() };
      await tx.updateGroup(next);
      await recordAudit(tx, actor, this.d.clock(), 'groups.update', id, null, { name: next.name });
      return next;
    });
  }

  /** Deletes the group and everything beneath it, bindings included. */
  async delete(actor: Actor, id: string): Promise<DeletedTree> {
    const deleted = await this.d.store.transaction(async (tx) => {
      if (!(await tx.getGroup(id))) throw notFound('group', id);
      // Deleting the tree deletes the role bindings in it.
      await this.d.authorizer.requireUnbind(actor.caller, [id], 'delete a group (deleting it deletes the role bindings in it)', tx);
      const removed = await tx.deleteGroupTree(id);
      await recordAudit(tx, actor, this.d.clock(), 'groups.delete', id, null, { ...removed });
      return removed;
    });
    await this.d.changed([{ cache: 'identities' }, { cache: 'bindings' }]);
    return deleted;
  }

  /** Groups the caller may list (groups.list), filtered and paged. */
  async list(caller: Caller, q: GroupListQuery): Promise<PageResult<Group>> {
    const scopes = await this.d.authorizer.scopesWith(caller, 'groups.list');
    if (q.id !== undefined) {
      const g = scopes.length ? await this.d.store.getGroup(q.id) : undefined;
      const ok = g && (await this.d.authorizer.can(caller, 'groups.list', g.id)) && (!q.name || g.name === q.name) && (!q.rootsOnly || g.parentId === null);
      return { items: ok ? [g] : [] };
    }
    const parts = visibleParts(q.rootsOnly ? scopes.filter((s) => s.length === 40) : scopes, q, true)
      .filter((p) => !q.rootsOnly || 'self' in p);
    return pageOver(parts, { limit: pageLimit(q.limit), after: q.after }, async (part, page) => {
      if ('self' in part) {
        const g = await this.d.store.getGroup(part.self);
        return g && (!q.name || g.name === q.name) ? [g] : [];
      }
      return this.d.store.listGroups({ ...part, ...page, name: q.name });
    });
  }

  async #insert(actor: Actor, parent: string | null, input: GroupInput): Promise<Group> {
    const name = checkName('group', input.name);
    const description = checkDescription(input.description);
    const now = this.d.clock().toISOString();
    const g: Group = {
      id: parent ? newChildUidp(parent) : newRootUidp(),
      parentId: parent,
      name,
      description,
      createdAt: now,
      updatedAt: now,
    };
    await this.d.store.transaction(async (tx) => {
      await tx.insertGroup(g);
      await recordAudit(tx, actor, this.d.clock(), 'groups.create', g.id, null, { name, parent });
    });
    return g;
  }
}
