// Public surface of the registry context: Latchkey as a container registry's token service.
export { RegistryTokenService, type RegistryTokenDeps, type RegistryTokenResponse } from './registry-token-service.js';
export { parseScopes, type Scope } from './parse-scope.js';
export { parseCredentials, TOKEN_USERNAME } from './parse-credentials.js';
export { libtrustKeyId } from './libtrust-key-id.js';
export { registryCertificate } from './registry-certificate.js';
export { REGISTRY_ERROR_STATUS, type RegistryErrorCode } from './errors.js';
