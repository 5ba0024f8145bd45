// StoreTx over a Kysely handle: the store itself, or one of its transactions. The queries
// live in ./queries (one module per table); this class binds them to the handle and turns
// driver errors into STORE_CONFLICT / STORE_UNAVAILABLE.

import type { AuthorizationCode, DeviceCode, DeviceCodeStatus, LoginState, RefreshToken } from '../auth/records.js';
import type { AuditEvent, Group, Identity, PendingBinding, Role, RoleBinding } from '../iam/types.js';
import type { Backend } from './backend.js';
import type {
  AuditQuery, BindingQuery, DeletedTree, EffectiveBinding, GroupQuery, IdentityQuery, KeyPurpose, PendingBindingQuery, PresentedCredential, RoleQuery,
  SigningKey, StoreTx,
} from './contract.js';
import { auditConflicts, insertAudit, insertAudits, listAudit } from './queries/audit-events.js';
import {
  authorizationCodeConflicts, deleteExpiredAuthorizationCodes, insertAuthorizationCode, takeAuthorizationCode,
} from './queries/authorization-codes.js';
import {
  bindingConflicts, deleteBinding, effectiveBindings, getBinding, insertBinding, listBindings, updateBinding,
} from './queries/bindings.js';
import { deleteGroupTree } from './queries/delete-group-tree.js';
import {
  deleteDeviceCode, deleteExpiredDeviceCodes, deviceCodeConflicts, findDeviceCode, insertDeviceCode, updateDeviceCode,
} from './queries/device-codes.js';
import { getGroup, groupConflicts, insertGroup, listGroups, updateGroup } from './queries/groups.js';
import {
  deleteIdentity, findUserIdentity, getIdentity, identityConflicts, insertIdentity, listIdentities, updateIdentity,
} from './queries/identities.js';
import { deleteExpiredLoginStates, insertLoginState, loginStateConflicts, takeLoginState } from './queries/login-states.js';
import {
  deletePendingBinding, getPendingBinding, insertPendingBinding, listPendingBindings, pendingBindingConflicts,
} from './queries/pending-bindings.js';
import {
  deleteEndedRefreshFamilies, getRefreshToken, insertRefreshToken, markRefreshTokenUsed, refreshTokenConflicts, revokeRefreshFamily,
} from './queries/refresh-tokens.js';
import { deleteExpiredPresentedCredentials, recordPresentedCredentials } from './queries/presented-credentials.js';
import { deleteRole, getRole, insertRole, listRoles, roleConflicts, updateRole } from './queries/roles.js';
import { deleteSigningKey, insertSigningKey, listSigningKeys, signingKeyConflicts } from './queries/signing-keys.js';
import type { Db } from './schema.js';
import { toStoreError, type ConflictMessages } from './store-error.js';
import type { StoreHealth } from './store-health.js';

export class KyselyTx implements StoreTx {
  constructor(protected readonly db: Db, protected readonly impl: Backend, protected readonly health?: StoreHealth) {}

  insertGroup(g: Group): Promise<void> { return this.guard(() => insertGroup(this.db, g), groupConflicts(g)); }
  getGroup(id: string): Promise<Group | undefined> { return this.guard(() => getGroup(this.db, id)); }
  updateGroup(g: Group): Promise<boolean> { return this.guard(() => updateGroup(this.db, g), groupConflicts(g)); }
  listGroups(q: GroupQuery): Promise<Group[]> { return this.guard(() => listGroups(this.db, q)); }
  deleteGroupTree(id: string): Promise<DeletedTree> { return this.atomic((db) => deleteGroupTree(db, id)); }

  insertIdentity(i: Identity): Promise<void> { return this.guard(() => insertIdentity(this.db, i), identityConflicts(i)); }
  getIdentity(id: string): Promise<Identity | undefined> { return this.guard(() => getIdentity(this.db, id)); }
  updateIdentity(i: Identity): Promise<boolean> { return this.guard(() => updateIdentity(this.db, i), identityConflicts(i)); }
  listIdentities(q: IdentityQuery): Promise<Identity[]> { return this.guard(() => listIdentities(this.db, q)); }
  deleteIdentity(id: string): Promise<boolean> { return this.atomic((db) => deleteIdentity(db, id)); }
  findUserIdentity(issuer: string, subject: string): Promise<Identity | undefined> {
    return this.guard(() => findUserIdentity(this.db, issuer, subject));
  }

  insertRole(r: Role): Promise<void> { return this.guard(() => insertRole(this.db, r), roleConflicts(r)); }
  getRole(id: string): Promise<Role | undefined> { return this.guard(() => getRole(this.db, id)); }
  updateRole(r: Role): Promise<boolean> { return this.guard(() => updateRole(this.db, r), roleConflicts(r)); }
  listRoles(q: RoleQuery): Promise<Role[]> { return this.guard(() => listRoles(this.db, q)); }
  deleteRole(id: string): Promise<boolean> { return this.atomic((db) => deleteRole(db, id)); }

  insertBinding(b: RoleBinding): Promise<void> { return this.guard(() => insertBinding(this.db, b), bindingConflicts(b)); }
  getBinding(id: string): Promise<RoleBinding | undefined> { return this.guard(() => getBinding(this.db, id)); }
  updateBinding(b: RoleBinding): Promise<boolean> { return this.guard(() => updateBinding(this.db, b), bindingConflicts(b)); }
  listBindings(q: BindingQuery): Promise<RoleBinding[]> { return this.guard(() => listBindings(this.db, q)); }
  deleteBinding(id: string): Promise<boolean> { return this.guard(() => deleteBinding(this.db, id)); }
  effectiveBindings(identity: string): Promise<EffectiveBinding[]> { return this.guard(() => effectiveBindings(this.db, identity)); }

  insertPendingBinding(p: PendingBinding): Promise<void> {
    return this.guard(() => insertPendingBinding(this.db, p), pendingBindingConflicts(p));
  }
  getPendingBinding(id: string): Promise<PendingBinding | undefined> { return this.guard(() => getPendingBinding(this.db, id)); }
  listPendingBindings(q: PendingBindingQuery): Promise<PendingBinding[]> {
    return this.guard(() => listPendingBindings(this.db, q));
  }
  deletePendingBinding(id: string): Promise<boolean> { return this.guard(() => deletePendingBinding(this.db, id)); }

  listSigningKeys(purpose: KeyPurpose = 'issuer'): Promise<SigningKey[]> { return this.guard(() => listSigningKeys(this.db, purpose)); }
  insertSigningKey(k: SigningKey): Promise<void> { return this.guard(() => insertSigningKey(this.db, k), signingKeyConflicts(k)); }
  deleteSigningKey(kid: string): Promise<boolean> { return this.guard(() => deleteSigningKey(this.db, kid)); }

  insertAudit(e: AuditEvent): Promise<void> { return this.guard(() => insertAudit(this.db, e), auditConflicts(e)); }
  insertAudits(events: readonly AuditEvent[], opts: { skipExisting?: boolean } = {}): Promise<void> {
    return this.guard(() => insertAudits(this.db, events, opts.skipExisting ?? false), {
      duplicate: 'an audit event with one of these ids already exists',
    });
  }
  listAudit(q: AuditQuery): Promise<AuditEvent[]> { return this.guard(() => listAudit(this.db, q)); }

  insertLoginState(s: LoginState): Promise<void> { return this.guard(() => insertLoginState(this.db, s), loginStateConflicts); }
  takeLoginState(stateHash: string): Promise<LoginState | undefined> { return this.guard(() => takeLoginState(this.db, stateHash)); }
  insertAuthorizationCode(c: AuthorizationCode): Promise<void> {
    return this.guard(() => insertAuthorizationCode(this.db, c), authorizationCodeConflicts);
  }
  takeAuthorizationCode(codeHash: string): Promise<AuthorizationCode | undefined> {
    return this.guard(() => takeAuthorizationCode(this.db, codeHash));
  }
  insertDeviceCode(d: DeviceCode): Promise<void> { return this.guard(() => insertDeviceCode(this.db, d), deviceCodeConflicts); }
  findDeviceCode(by: { deviceCodeHash: string } | { userCodeHash: string }): Promise<DeviceCode | undefined> {
    return this.guard(() => findDeviceCode(this.db, by));
  }
  updateDeviceCode(d: DeviceCode, expected: DeviceCodeStatus): Promise<boolean> {
    return this.guard(() => updateDeviceCode(this.db, d, expected), deviceCodeConflicts);
  }
  deleteDeviceCode(deviceCodeHash: string): Promise<boolean> { return this.guard(() => deleteDeviceCode(this.db, deviceCodeHash)); }
  insertRefreshToken(t: RefreshToken): Promise<void> { return this.guard(() => insertRefreshToken(this.db, t), refreshTokenConflicts); }
  getRefreshToken(tokenHash: string): Promise<RefreshToken | undefined> { return this.guard(() => getRefreshToken(this.db, tokenHash)); }
  markRefreshTokenUsed(tokenHash: string, at: string): Promise<boolean> {
    return this.guard(() => markRefreshTokenUsed(this.db, tokenHash, at));
  }
  revokeRefreshFamily(familyId: string, at: string): Promise<number> { return this.guard(() => revokeRefreshFamily(this.db, familyId, at)); }
  deleteExpiredAuthRecords(now: string): Promise<number> {
    return this.atomic(async (db) => (await deleteExpiredLoginStates(db, now)) + (await deleteExpiredAuthorizationCodes(db, now))
      + (await deleteExpiredDeviceCodes(db, now)) + (await deleteEndedRefreshFamilies(db, now)));
  }

  recordPresentedCredentials(records: readonly PresentedCredential[]): Promise<boolean[]> {
    return this.guard(() => recordPresentedCredentials(this.db, records));
  }
  deleteExpiredPresentedCredentials(now: string): Promise<number> {
    return this.guard(() => deleteExpiredPresentedCredentials(this.db, now));
  }

  /** Runs `op`, reporting driver errors as store errors. */
  protected async guard<T>(op: () => Promise<T>, conflict?: ConflictMessages): Promise<T> {
    try {
      return await op();
    } catch (err) {
      throw toStoreError(err, this.impl, conflict, this.health);
    }
  }

  /** Runs a multi-statement `op` all-or-nothing: in the current transaction, or in its own. */
  protected atomic<T>(op: (db: Db) => Promise<T>): Promise<T> {
    return this.guard(() => (this.db.isTransaction ? op(this.db) : this.db.transaction().execute(op)));
  }
}
