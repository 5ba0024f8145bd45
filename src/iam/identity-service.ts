// Identities: assumable identities (a trust rule: aws, claimMatch, static) in a group, and
// human users (root UIDPs). Registry pull tokens are identities too (created by src/registry/).

import { hasTrustRule, parseTrustRule, TRUST_RULE_KINDS } from '../trust/index.js';
import type { IdentityKind, TreeFilter } from '../store/contract.js';
import type { Actor } from './actor.js';
import type { Caller } from './authorizer.js';
import { pageLimit, type IamDeps } from './deps.js';
import { recordAudit } from './record-audit.js';
import type { Identity, Relationship, UserIdentityInfo } from './types.js';
import { newChildUidp, newRootUidp } from './uidp.js';
import { checkDescription, checkName, notFound } from './validate.js';
import { pageOver, visibleParts, type PageResult } from './visible-page.js';

/**
 * The wire body of create/update; the seed's id.json is accepted verbatim. The rule is under
 * one of its keys (awsIdentity, claimMatch, static and their Chainguard spellings).
 */
export interface IdentityInput {
  name?: unknown;
  description?: unknown;
  [ruleKey: string]: unknown;
}

export interface IdentityListQuery extends TreeFilter {
  id?: string;
  /** Only these kinds (default: every kind in a group: the trust rules' and pull tokens). */
  kinds?: readonly IdentityKind[];
  name?: string;
  limit?: number;
  after?: string;
}

/** What a list shows by default: every identity that lives in a group. */
const LISTED: readonly IdentityKind[] = [...TRUST_RULE_KINDS, 'pull_token'];

export class IdentityService {
  constructor(private readonly d: IamDeps) {}

  async create(actor: Actor, parent: string, input: IdentityInput): Promise<{ identity: Identity; warnings: string[] }> {
    const name = checkName('identity', input.name);
    const description = checkDescription(input.description);
    const { relationship, warnings } = this.nextRelationship(input, undefined);
    if (!(await this.d.store.getGroup(parent))) throw notFound('parent group', parent);
    const now = this.d.clock().toISOString();
    const identity: Identity = { id: newChildUidp(parent), parentId: parent, name, description, relationship, createdAt: now, updatedAt: now };
    await this.d.store.transaction(async (tx) => {
      await tx.insertIdentity(identity);
      await recordAudit(tx, actor, this.d.clock(), 'identity.create', identity.id, null, { name, kind: relationship.kind, warnings });
    });
    return { identity, warnings };
  }

  async get(id: string): Promise<Identity> {
    const i = await this.d.store.getIdentity(id);
    if (!i) throw notFound('identity', id);
    return i;
  }

  /** Replaces name, description and rule of an assumable identity. */
  async update(actor: Actor, id: string, input: IdentityInput): Promise<{ identity: Identity; warnings: string[] }> {
    const out = await this.d.store.transaction(async (tx) => {
      const cur = await tx.getIdentity(id);
      if (!cur || cur.relationship.kind === 'user' || cur.relationship.kind === 'pull_token') throw notFound('identity', id);
      const name = input.name === undefined ? cur.name : checkName('identity', input.name);
      const description = input.description === undefined ? cur.description : checkDescription(input.description);
      const { relationship, warnings } = this.nextRelationship(input, cur.relationship);
      const next: Identity = { ...cur, name, description, relationship, updatedAt: this.d.clock().toISOString() };
      if (!sameRelationship(cur.relationship, relationship)) {
        // Act as: the rule decides who becomes this identity, and so who holds what it is bound to.
        await this.d.authorizer.requireActAs(actor.caller, cur.parentId ?? id, await tx.effectiveBindings(id), tx);
      }
      await tx.updateIdentity(next);
      await recordAudit(tx, actor, this.d.clock(), 'identity.update', id, null, { name, kind: relationship.kind, warnings });
      return { identity: next, warnings };
    });
    await this.d.changed([{ cache: 'identities', key: id }]);
    return out;
  }

  /**
   * The one place a create or update computes the relationship it is about to write: the rule
   * in `input`, compiled, or (an update without one) `current` unchanged. Plain data, so a
   * caller can compare it with the current one before writing.
   */
  nextRelationship(input: IdentityInput, current: Relationship | undefined): { relationship: Relationship; warnings: string[] } {
    if (current !== undefined && !hasTrustRule(input)) return { relationship: current, warnings: [] };
    const { rule, warnings } = parseTrustRule(input, this.d.clock());
    return { relationship: rule, warnings };
  }

  async delete(actor: Actor, id: string): Promise<void> {
    await this.d.store.transaction(async (tx) => {
      const bindings = await tx.effectiveBindings(id);
      await this.d.authorizer.requireUnbind(actor.caller, bindings.map((b) => b.group), 'delete an identity bound here (deleting it deletes its role bindings)', tx);
      if (!(await tx.deleteIdentity(id))) throw notFound('identity', id);
      await recordAudit(tx, actor, this.d.clock(), 'identity.delete', id, null, { bindings: bindings.length });
    });
    await this.d.changed([{ cache: 'identities', key: id }, { cache: 'bindings', key: id }]);
  }

  /** Assumable identities the caller may list (identity.list), filtered and paged. */
  async list(caller: Caller, q: IdentityListQuery): Promise<PageResult<Identity>> {
    const scopes = await this.d.authorizer.scopesWith(caller, 'identity.list');
    if (q.id !== undefined) {
      const i = scopes.length ? await this.d.store.getIdentity(q.id) : undefined;
      const ok = i && i.parentId !== null && (await this.d.authorizer.can(caller, 'identity.list', i.parentId)) && (!q.name || i.name === q.name)
        && (!q.kinds || q.kinds.includes(i.relationship.kind));
      return { items: ok ? [i] : [] };
    }
    return pageOver(visibleParts(scopes, q, false), { limit: pageLimit(q.limit), after: q.after }, (part, page) =>
      'self' in part ? Promise.resolve([]) : this.d.store.listIdentities({ ...part, ...page, name: q.name, kinds: q.kinds ?? LISTED }));
  }

  /** Finds or creates the user identity of a person signed in through an upstream provider. */
  async upsertUser(actor: Actor, user: UserIdentityInfo, name: string): Promise<{ identity: Identity; created: boolean }> {
    const out = await this.d.store.transaction(async (tx) => {
      const existing = await tx.findUserIdentity(user.issuer, user.subject);
      const now = this.d.clock().toISOString();
      if (existing) {
        const cur = existing.relationship.kind === 'user' ? existing.relationship.user : undefined;
        if (cur && cur.email !== user.email) {
          const next: Identity = { ...existing, relationship: { kind: 'user', user }, updatedAt: now };
          await tx.updateIdentity(next);
          return { identity: next, created: false };
        }
        return { identity: existing, created: false };
      }
      const identity: Identity = {
        id: newRootUidp(), parentId: null, name: name.slice(0, 100) || user.subject.slice(0, 100), description: '',
        relationship: { kind: 'user', user }, createdAt: now, updatedAt: now,
      };
      await tx.insertIdentity(identity);
      await recordAudit(tx, { ...actor, caller: { sub: identity.id } }, this.d.clock(), 'identity.create', identity.id, null, { kind: 'user', issuer: user.issuer });
      return { identity, created: true };
    });
    await this.d.changed([{ cache: 'identities', key: out.identity.id }]);
    return out;
  }
}

/** True when both relationships admit exactly the same callers (same kind, same rule). */
export function sameRelationship(a: Relationship, b: Relationship): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
