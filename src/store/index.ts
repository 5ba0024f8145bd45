// The storage context's public surface: openStore and the contract's types.

export { openStore, type OpenStoreOptions } from './open-store.js';
export type { StoreLog } from './kysely-store.js';
export type {
  AuditQuery, PresentedCredential, BindingQuery, DeletedTree, EffectiveBinding, GroupQuery, IdentityQuery, Page, RoleQuery,
  SigningKey, Store, StoreErrorCode, StoreTx, TreeFilter,
} from './contract.js';
