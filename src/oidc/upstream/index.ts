// Public surface of upstream providers: people sign in at an operator-configured OpenID Connect
// provider, and Latchkey verifies what it answers before trusting any of it.
export { UpstreamProvider, type UpstreamClaims, type UpstreamChecks, type UpstreamProviderOptions } from './upstream-provider.js';
export { createUpstreamFetch, UpstreamFetchError, DEFAULT_MAX_BYTES, type UpstreamFetch, type UpstreamFetchOptions } from './upstream-fetch.js';
export { UPSTREAM_ERROR_STATUS, type UpstreamErrorCode } from './errors.js';
