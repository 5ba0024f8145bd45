// Registry pull tokens (docs/registry.md): an identity of kind pull_token in a group, bound to
// registry.pull there, with a secret shown once and stored only as its SHA-256. Revoked by
// deleting the identity; refused after its expiry. Its caller is narrowed to the pull
// capabilities, whatever else might later be bound to it.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Actor } from './actor.js';
import type { Caller } from './authorizer.js';
import { BUILTIN_ROLES, builtinRoleId, type Capability } from './capabilities.js';
import type { IamDeps } from './deps.js';
import { recordAudit } from './record-audit.js';
import type { Identity, RoleBinding } from './types.js';
import { isUidp, newChildUidp } from './uidp.js';
import { checkDescription, invalid, notFound } from './validate.js';

/** Longest lifetime of a pull token: one year. */
export const MAX_PULL_TOKEN_TTL_SECONDS = 365 * 86400;

const PULL_ROLE = BUILTIN_ROLES.find((r) => r.name === 'registry.pull')!;
const PULL_CAPABILITIES: readonly Capability[] = PULL_ROLE.capabilities;

export interface CreatedPullToken {
  identity: Identity;
  /** The user name to log in with: the identity's UIDP. */
  username: string;
  /** Shown once: only its hash is kept. */
  secret: string;
  expiresAt: string;
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest();

export class PullTokenService {
  constructor(private readonly d: IamDeps) {}

  async create(actor: Actor, parent: string, input: { ttlSeconds?: unknown; description?: unknown }): Promise<CreatedPullToken> {
    const ttl = input.ttlSeconds;
    if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 60 || ttl > MAX_PULL_TOKEN_TTL_SECONDS) {
      throw invalid(`ttlSeconds must be a whole number of seconds from 60 to ${MAX_PULL_TOKEN_TTL_SECONDS} (one year)`);
    }
    const description = checkDescription(input.description);
    if (!(await this.d.store.getGroup(parent))) throw notFound('group', parent);
    await this.d.authorizer.requireAll(actor.caller, ['identity.create'], parent, 'create a pull token (an identity) in this group');
    await this.d.authorizer.requireGrant(actor.caller, 'create', parent, PULL_ROLE);
    const now = this.d.clock();
    const expiresAt = new Date(now.getTime() + ttl * 1000).toISOString();
    const secret = randomBytes(32).toString('base64url');
    const id = newChildUidp(parent);
    const identity: Identity = {
      id, parentId: parent, name: `pull-token-${id.slice(-8)}`,
      description: description || `Registry pull token, expires ${expiresAt}`,
      relationship: { kind: 'pull_token', pullToken: { expiresAt, secretSha256: sha256(secret).toString('hex') } },
      createdAt: now.toISOString(), updatedAt: now.toISOString(),
    };
    const binding: RoleBinding = {
      id: newChildUidp(parent), group: parent, identity: id, role: builtinRoleId(PULL_ROLE.name),
      createdAt: now.toISOString(), updatedAt: now.toISOString(),
    };
    await this.d.store.transaction(async (tx) => {
      await tx.insertIdentity(identity);
      await tx.insertBinding(binding);
      await recordAudit(tx, actor, now, 'identity.create', id, null, { kind: 'pull_token', expiresAt });
      await recordAudit(tx, actor, now, 'role_bindings.create', binding.id, null, { identity: id, role: binding.role });
    });
    this.d.authorizer.invalidate(id);
    return { identity, username: id, secret, expiresAt };
  }

  /**
   * The caller a pull token's user name and secret stand for (narrowed to pulling), or
   * undefined when the token does not exist (any more), has expired, or the secret is wrong.
   * Parses attacker-controlled input.
   */
  async verify(username: string, secret: string): Promise<Caller | undefined> {
    if (!isUidp(username) || secret.length > 256) return undefined;
    const identity = await this.d.identityCache.get(username);
    if (!identity || identity.relationship.kind !== 'pull_token') return undefined;
    const { expiresAt, secretSha256 } = identity.relationship.pullToken;
    if (!(Date.parse(expiresAt) > this.d.clock().getTime())) return undefined;
    const stored = Buffer.from(secretSha256, 'hex');
    const given = sha256(secret);
    if (stored.length !== given.length || !timingSafeEqual(stored, given)) return undefined;
    return { sub: identity.id, cap: [...PULL_CAPABILITIES] };
  }
}
