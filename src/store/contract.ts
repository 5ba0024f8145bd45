// The one storage contract. src/store/sqlite and src/store/postgres implement it; the
// shared suite in test/store-contract.test.ts runs against both real backends.
//
// Writes that must be all-or-nothing go through `transaction`. Every list is ordered by id
// and pages with keyset pagination (`after` = last id of the previous page); the audit log
// alone is listed newest first (see AuditQuery).

import type {
  AuditEvent, Group, Identity, PendingBinding, Role, RoleBinding,
} from '../iam/types.js';
import type { Capability } from '../iam/capabilities.js';
import type { StoreHealthView } from './store-health.js';
import type { AuthorizationCode, DeviceCode, DeviceCodeStatus, LoginState, RefreshToken } from '../auth/records.js';

export interface Page {
  /** At most this many rows (default 1000; the store caps it at 1001: a page and one row of lookahead). */
  limit?: number;
  /** Only rows whose id sorts after this one. */
  after?: string;
}

/** Position filters, mirroring chainguard's UIDPFilter. At most one of them per query. */
export interface TreeFilter {
  /** Direct children of this UIDP. */
  childrenOf?: string;
  /** Strict descendants of this UIDP (children, grandchildren, ...). */
  descendantsOf?: string;
}

export interface GroupQuery extends TreeFilter, Page {
  id?: string;
  ids?: string[];
  name?: string;
  /** Only root groups (organizations). */
  rootsOnly?: boolean;
}

/** The kinds of identity: a trust rule's, a person, a registry pull token. */
export type IdentityKind = 'aws' | 'claimMatch' | 'static' | 'user' | 'pull_token';

export interface IdentityQuery extends TreeFilter, Page {
  id?: string;
  name?: string;
  /** Only identities of this kind. */
  kind?: IdentityKind;
  /** Only identities of these kinds. */
  kinds?: ReadonlyArray<IdentityKind>;
}

export interface RoleQuery extends TreeFilter, Page {
  id?: string;
  name?: string;
  /** Only built-in roles (no parent). */
  builtinOnly?: boolean;
  /** Roles defined in any of these groups, plus the built-in roles. Used for visibility. */
  visibleFrom?: string[];
}

export interface BindingQuery extends TreeFilter, Page {
  id?: string;
  identity?: string;
  role?: string;
  /** Bindings directly on this group. */
  group?: string;
}

export interface PendingBindingQuery extends TreeFilter, Page {
  email?: string;
  /** Invitations directly on this group. */
  group?: string;
  role?: string;
  /** Only invitations that expire at or before this instant (ISO 8601). */
  expiredAt?: string;
}

/**
 * Audit events are listed newest first (`at`, then id, both descending); `after` is the id of
 * the last event of the previous page.
 */
export interface AuditQuery extends Page {
  /** Events of this group and its descendants: those whose group or target is it or lies beneath it. */
  within?: string;
  /** Only events about this UIDP (their target). */
  target?: string;
  /** Only events with one of these actions. */
  actions?: readonly string[];
}

/** A binding of one identity, with its role's capabilities resolved. */
export interface EffectiveBinding {
  group: string;
  role: string;
  capabilities: Capability[];
}

/** What deleting a group removed, by kind. */
export interface DeletedTree {
  groups: number;
  identities: number;
  roles: number;
  bindings: number;
}

/** Whose tokens a signing key signs: Latchkey's own, or the container registry's. */
export type KeyPurpose = 'issuer' | 'registry';

/** An ES256 signing key of the issuer (or, with purpose 'registry', of the registry token service). */
export interface SigningKey {
  kid: string;
  /** Absent: 'issuer'. */
  purpose?: KeyPurpose;
  /** PEM of the key's X.509 certificate (registry keys: what the registry's rootcertbundle holds). */
  certificatePem?: string;
  alg: 'ES256';
  /** JWK including the private part. */
  privateJwk: Record<string, unknown>;
  /** Public JWK as published. */
  publicJwk: Record<string, unknown>;
  createdAt: string;
  /** First moment this key may sign; published in the JWKS before then. */
  activatesAt: string;
  /** Moment the key stops signing (a successor has activated). */
  retiresAt: string;
  /** Moment the key leaves the JWKS: retiresAt plus the longest token lifetime. */
  expiresAt: string;
}

/** A credential the exchange accepted, for one-time use. */
export interface PresentedCredential {
  /** SHA-256 hex of the credential's one-time key: never the credential itself. */
  keyHash: string;
  /** When the credential itself stops being valid (ISO 8601): the record can go then. */
  expiresAt: string;
}

export interface StoreTx {
  insertGroup(g: Group): Promise<void>;
  getGroup(id: string): Promise<Group | undefined>;
  updateGroup(g: Group): Promise<boolean>;
  listGroups(q: GroupQuery): Promise<Group[]>;
  /** Deletes the group, everything beneath it, and every binding that refers to any of it. */
  deleteGroupTree(id: string): Promise<DeletedTree>;

  insertIdentity(i: Identity): Promise<void>;
  getIdentity(id: string): Promise<Identity | undefined>;
  updateIdentity(i: Identity): Promise<boolean>;
  listIdentities(q: IdentityQuery): Promise<Identity[]>;
  /** Deletes the identity and its bindings. */
  deleteIdentity(id: string): Promise<boolean>;
  findUserIdentity(issuer: string, subject: string): Promise<Identity | undefined>;

  insertRole(r: Role): Promise<void>;
  getRole(id: string): Promise<Role | undefined>;
  updateRole(r: Role): Promise<boolean>;
  listRoles(q: RoleQuery): Promise<Role[]>;
  /** Deletes the role and every binding to it. */
  deleteRole(id: string): Promise<boolean>;

  insertBinding(b: RoleBinding): Promise<void>;
  getBinding(id: string): Promise<RoleBinding | undefined>;
  updateBinding(b: RoleBinding): Promise<boolean>;
  listBindings(q: BindingQuery): Promise<RoleBinding[]>;
  deleteBinding(id: string): Promise<boolean>;
  /** All bindings of one identity with their capabilities; cost independent of tree size. */
  effectiveBindings(identity: string): Promise<EffectiveBinding[]>;

  insertPendingBinding(p: PendingBinding): Promise<void>;
  getPendingBinding(id: string): Promise<PendingBinding | undefined>;
  listPendingBindings(q: PendingBindingQuery): Promise<PendingBinding[]>;
  deletePendingBinding(id: string): Promise<boolean>;

  /** The keys of one purpose (default 'issuer'), ordered by kid. */
  listSigningKeys(purpose?: KeyPurpose): Promise<SigningKey[]>;
  insertSigningKey(k: SigningKey): Promise<void>;
  deleteSigningKey(kid: string): Promise<boolean>;

  insertAudit(e: AuditEvent): Promise<void>;
  /** Inserts many events at once (the exchange's batches); all or none when run in a transaction. */
  /**
   * Appends many events. `skipExisting`: events whose id is already stored are skipped instead
   * of refused (a batch retried after a failure whose outcome is unknown).
   */
  insertAudits(events: readonly AuditEvent[], opts?: { skipExisting?: boolean }): Promise<void>;
  listAudit(q: AuditQuery): Promise<AuditEvent[]>;

  // Human login (src/auth/records.ts): secrets are stored as SHA-256 only; "take" and the
  // conditional updates succeed for exactly one caller, so codes and tokens are single-use.
  insertLoginState(s: LoginState): Promise<void>;
  /** Deletes and returns the login state: it can be taken once. */
  takeLoginState(stateHash: string): Promise<LoginState | undefined>;
  insertAuthorizationCode(c: AuthorizationCode): Promise<void>;
  /** Deletes and returns the code: it can be taken once. */
  takeAuthorizationCode(codeHash: string): Promise<AuthorizationCode | undefined>;
  /** STORE_CONFLICT when the device or user code hash is taken. */
  insertDeviceCode(d: DeviceCode): Promise<void>;
  findDeviceCode(by: { deviceCodeHash: string } | { userCodeHash: string }): Promise<DeviceCode | undefined>;
  /** Writes status, identity, interval and lastPolledAt only while the stored status is `expected`. */
  updateDeviceCode(d: DeviceCode, expected: DeviceCodeStatus): Promise<boolean>;
  /** True only for the one caller that deleted it. */
  deleteDeviceCode(deviceCodeHash: string): Promise<boolean>;
  insertRefreshToken(r: RefreshToken): Promise<void>;
  getRefreshToken(tokenHash: string): Promise<RefreshToken | undefined>;
  /** Sets usedAt if the token is neither used nor revoked; true only for the one caller that did. */
  markRefreshTokenUsed(tokenHash: string, at: string): Promise<boolean>;
  /** Revokes every not-yet-revoked token of the family; returns how many. */
  revokeRefreshFamily(familyId: string, at: string): Promise<number>;
  /** Deletes login states, codes and device codes past expiry, and refresh families past their end. */
  deleteExpiredAuthRecords(now: string): Promise<number>;

  // One-time credentials (src/sts).
  /**
   * Records presented credentials with one insert (at most 500): for each, in order, true for
   * the one caller that recorded it, false when it was recorded already or earlier in the same
   * batch (a replay), however many callers race.
   */
  recordPresentedCredentials(records: readonly PresentedCredential[]): Promise<boolean[]>;
  /** Deletes the records of credentials that ended at or before `now`; returns how many. */
  deleteExpiredPresentedCredentials(now: string): Promise<number>;
}

export interface Store extends StoreTx {
  readonly backend: 'sqlite' | 'postgres';
  /** Applies pending versioned migrations; safe to call on every start and from every replica. */
  migrate(): Promise<void>;
  /**
   * Runs `fn` in one transaction: all of it commits, or none of it. Inside `fn` use only `tx`:
   * on SQLite a call on the store itself waits until the transaction ends.
   */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  /** Whether the database answers, as last seen by a query or the probe; error counters. */
  readonly health: StoreHealthView;
  /** Connection pool usage (PostgreSQL); undefined where there is no pool (SQLite). */
  poolUsage(): { total: number; idle: number; waiting: number } | undefined;
  close(): Promise<void>;
}

/**
 * Storage refusals. CONFLICT: a unique constraint, or a reference to a record that does not
 * exist (e.g. deleted concurrently); UNAVAILABLE: the database is down or cannot be opened.
 */
export type StoreErrorCode = 'STORE_CONFLICT' | 'STORE_UNAVAILABLE';
