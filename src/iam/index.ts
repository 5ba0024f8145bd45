// Public surface of the IAM context.
export { IamService } from './iam-service.js';
export { Authorizer, type Caller } from './authorizer.js';
export { OPERATOR, type Actor } from './actor.js';
export { CAPABILITIES, BUILTIN_ROLES, builtinRoleId, isCapability, type Capability } from './capabilities.js';
export { isPending, type BindingInput, type BindingView } from './binding-service.js';
export type { IdentityInput } from './identity-service.js';
export { MAX_PULL_TOKEN_TTL_SECONDS, type CreatedPullToken } from './pull-token-service.js';
export type { GroupInput } from './group-service.js';
export type { RoleInput } from './role-service.js';
export type { IamErrorCode } from './errors.js';
export { decodePageToken } from './visible-page.js';
export { newAuditEventId } from './new-audit-event-id.js';
export * from './uidp.js';
export type * from './types.js';
