// Public surface of the sts context: the token exchange, and the verifier of each kind.
export { ExchangeService, actOf, type ExchangeDeps, type ExchangeRequest, type VerifiedExchange, type Explanation } from './exchange-service.js';
export { STS_ERROR_STATUS, type StsErrorCode } from './errors.js';
export { ExchangeAudit, REFUSAL_WINDOW_MS, type ExchangeAuditEntry } from './exchange-audit.js';
export type { CredentialVerifier, CredentialVerifiers, VerifiedCredential, VerifyContext } from './verifiers/credential-verifier.js';
export type { OneTimeKey } from './verifiers/one-time-key.js';
export { AwsVerifier } from './verifiers/aws-verifier.js';
export { ClaimMatchVerifier } from './verifiers/claim-match-verifier.js';
export { StaticVerifier } from './verifiers/static-verifier.js';
export { RemoteIssuerKeys, type IssuerFetchPolicy } from './verifiers/remote-issuer-keys.js';
export { parseIdentityJwt, ALLOWED_ALGS, MAX_ID_TOKEN_LENGTH } from './verifiers/parse-identity-jwt.js';
