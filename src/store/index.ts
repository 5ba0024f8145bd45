// The storage context's public surface: openStore and the contract's types.

export { DEFAULT_STORE_TIMEOUTS, openStore, type OpenStoreOptions, type StoreTimeouts } from './open-store.js';
export type { StoreLog } from './kysely-store.js';
export type { StoreErrorCounts, StoreHealthView } from './store-health.js';
export type {
  AuditQuery, PresentedCredential, BindingQuery, DeletedTree, EffectiveBinding, GroupQuery, IdentityQuery, Page, RoleQuery,
  SigningKey, Store, StoreErrorCode, StoreTx, TreeFilter,
} from './contract.js';
