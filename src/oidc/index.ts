// Public surface of the oidc context: our own signing keys, tokens and discovery.
export { SigningKeys, type KeyScheduleOptions, type UnknownKidReloadLimit } from './signing-keys.js';
export { JWKS_MAX_AGE_SECONDS, MIN_PUBLISH_AHEAD_SECONDS } from './key-schedule.js';
export { TokenIssuer, type MintRequest, type Principal } from './token-issuer.js';
export { discoveryDocument } from './discovery.js';
export type { TokenErrorCode } from './errors.js';
