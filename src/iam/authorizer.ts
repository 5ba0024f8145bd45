// The one place that decides whether a principal holds a capability on a group, and the one
// place that enforces the IAM write invariant: no write lets a caller gain, or give anyone, a
// capability the caller does not hold on that group (grant, define, act as).
// A binding grants its role's capabilities on its group and every descendant, and nothing
// above or beside it. Cost per decision: one indexed lookup of the identity's bindings
// (cached), then a scan of that identity's few bindings — independent of the tree's size.

import { LatchkeyError } from '../errors/index.js';
import type { EffectiveBinding, Store, StoreTx } from '../store/contract.js';
import type { Capability } from './capabilities.js';
import type { IamErrorCode } from './errors.js';
import { isSelfOrAncestor } from './uidp.js';
import type { InvalidationCause } from './invalidation-cause.js';

/** Who is asking: the token's subject and, when the token was narrowed, its capabilities. */
export interface Caller {
  sub: string;
  cap?: Capability[];
}

/** Where the caller's bindings are read from when not cached: the store, or an open transaction. */
type Reader = Pick<StoreTx, 'effectiveBindings'>;

export class Authorizer {
  #cache = new Map<string, { at: number; bindings: EffectiveBinding[] }>();
  // Bumped by every invalidation: a read that was in flight across one must not be cached.
  #generation = 0;

  /** @param onInvalidate counts dropped entries by cause (metrics) */
  constructor(
    private readonly store: Store,
    private readonly clock: () => Date,
    private readonly ttlMs: number,
    private readonly onInvalidate: (cause: InvalidationCause) => void = () => {},
  ) {}

  /**
   * The bindings of `sub`, cached. Inside a transaction pass it as `tx`: on SQLite a read on
   * the store itself would wait for that very transaction to end.
   */
  async bindingsOf(sub: string, tx?: Reader): Promise<EffectiveBinding[]> {
    const now = this.clock().getTime();
    const hit = this.#cache.get(sub);
    if (hit) {
      if (now - hit.at < this.ttlMs) return hit.bindings;
      this.onInvalidate('ttl');
    }
    const generation = this.#generation;
    const bindings = await (tx ?? this.store).effectiveBindings(sub);
    if (this.ttlMs > 0 && generation === this.#generation) {
      if (this.#cache.size > 50_000) this.#cache.clear();
      this.#cache.set(sub, { at: now, bindings });
    }
    return bindings;
  }

  /** True when `caller` holds `cap` on `scope` (a group UIDP or something beneath one). */
  async can(caller: Caller, cap: Capability, scope: string, tx?: Reader): Promise<boolean> {
    if (caller.cap && !caller.cap.includes(cap)) return false;
    for (const b of await this.bindingsOf(caller.sub, tx)) {
      if (isSelfOrAncestor(b.group, scope) && b.capabilities.includes(cap)) return true;
    }
    return false;
  }

  /** Throws PERMISSION_DENIED unless `caller` holds `cap` on `scope`. */
  async require(caller: Caller, cap: Capability, scope: string): Promise<void> {
    if (!(await this.can(caller, cap, scope))) {
      throw new LatchkeyError<IamErrorCode>(
        'PERMISSION_DENIED',
        `identity ${caller.sub} has no role binding that grants ${cap} on ${scope}`,
        { sub: caller.sub, cap, scope },
      );
    }
  }

  /**
   * Throws PERMISSION_DENIED naming the first of `caps` that `caller` does not hold on `group`.
   * `why` finishes the sentence "... is needed to <why>". A null caller is the operator
   * (commands run against the database directly), who may do anything.
   */
  async requireAll(caller: Caller | null, caps: readonly Capability[], group: string, why: string, tx?: Reader): Promise<void> {
    if (caller === null) return;
    for (const cap of caps) {
      if (!(await this.can(caller, cap, group, tx))) {
        const narrowed = caller.cap && !caller.cap.includes(cap) ? ' (your token was narrowed without it)' : '';
        throw new LatchkeyError<IamErrorCode>(
          'PERMISSION_DENIED',
          `identity ${caller.sub} lacks ${cap} on ${group}${narrowed}: it is needed to ${why}`,
          { sub: caller.sub, cap, scope: group },
        );
      }
    }
  }

  /**
   * Grant: binding a role on `group` (create or update) needs role_bindings.<verb> there and
   * every capability of the role, held on that group.
   */
  async requireGrant(caller: Caller | null, verb: 'create' | 'update', group: string, role: { name: string; capabilities: readonly Capability[] }, tx?: Reader): Promise<void> {
    await this.requireAll(caller, [`role_bindings.${verb}`], group, `${verb} a role binding in this group`, tx);
    await this.requireAll(caller, role.capabilities, group, `grant role "${role.name}" here (you can only grant capabilities you hold on the group)`, tx);
  }

  /**
   * Define: creating or updating a role in `group` needs roles.<verb> there and every
   * capability the role will hold (a role is bound only at or below its group).
   */
  async requireDefine(caller: Caller | null, verb: 'create' | 'update', group: string, capabilities: readonly Capability[], tx?: Reader): Promise<void> {
    await this.requireAll(caller, [`roles.${verb}`], group, `${verb} a role in this group`, tx);
    await this.requireAll(caller, capabilities, group, 'define a role holding it (you can only put capabilities you hold on the group into a role)', tx);
  }

  /**
   * Act as: changing who may assume identity `id` (living in `parent`) needs identity.update
   * there and every capability of every binding the identity has, on each binding's group —
   * otherwise rewriting the rule would hand the caller what the identity holds.
   */
  async requireActAs(caller: Caller | null, parent: string, bindings: readonly EffectiveBinding[], tx?: Reader): Promise<void> {
    await this.requireAll(caller, ['identity.update'], parent, 'update an identity in this group', tx);
    for (const b of bindings) {
      await this.requireAll(caller, b.capabilities, b.group, "change who may assume an identity bound here (its rule decides who becomes it, and it holds this capability through a role binding)", tx);
    }
  }

  /** Removing bindings (deleting an identity deletes its own) needs role_bindings.delete on each binding's group. */
  async requireUnbind(caller: Caller | null, groups: Iterable<string>, why: string, tx?: Reader): Promise<void> {
    for (const g of new Set(groups)) await this.requireAll(caller, ['role_bindings.delete'], g, why, tx);
  }

  /**
   * The groups where `caller` holds `cap`, reduced so that none lies beneath another, sorted.
   * Everything the caller may list is in one of these subtrees.
   */
  async scopesWith(caller: Caller, cap: Capability): Promise<string[]> {
    if (caller.cap && !caller.cap.includes(cap)) return [];
    const groups = (await this.bindingsOf(caller.sub)).filter((b) => b.capabilities.includes(cap)).map((b) => b.group);
    const sorted = [...new Set(groups)].sort();
    const out: string[] = [];
    for (const g of sorted) {
      const last = out[out.length - 1];
      if (last === undefined || !isSelfOrAncestor(last, g)) out.push(g);
    }
    return out;
  }

  /** Every capability any binding of `caller` gives, anywhere. */
  async allCapabilities(sub: string): Promise<Set<Capability>> {
    const out = new Set<Capability>();
    for (const b of await this.bindingsOf(sub)) for (const c of b.capabilities) out.add(c);
    return out;
  }

  /** Forget cached bindings: of one identity, or of everyone (role or tree changes). */
  invalidate(sub?: string, cause: InvalidationCause = 'local'): void {
    this.#generation++;
    if (sub === undefined) this.#cache.clear();
    else this.#cache.delete(sub);
    this.onInvalidate(cause);
  }
}
