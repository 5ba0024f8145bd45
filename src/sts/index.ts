// Public surface of the sts context: the token exchange, and the verifier of each kind.
export { ExchangeService, actOf, type ExchangeDeps, type ExchangeRequest } from './exchange-service.js';
export { STS_ERROR_STATUS, type StsErrorCode } from './errors.js';
export { ExchangeAudit, type ExchangeAuditEntry } from './exchange-audit.js';
export type { CredentialVerifier, CredentialVerifiers, VerifyContext } from './verifiers/credential-verifier.js';
export { AwsVerifier } from './verifiers/aws-verifier.js';
