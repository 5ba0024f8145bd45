// Public surface of the local AWS emulator: a stand-in for STS (GetCallerIdentity, with real
// SigV4 verification), EC2 IMDSv2 and the ECS/EKS container-credentials endpoint, for tests,
// `latchkey aws-emulator` and development mode.

export { startAwsEmulator, type AwsEmulator, type AwsEmulatorOptions } from './start-aws-emulator.js';
export {
  parsePrincipalSpec,
  resolvePrincipal,
  type AwsPartition,
  type EmulatedPrincipal,
  type ResolvedPrincipal,
} from './principals.js';
export type { IssuedCredentials, CredentialRecord } from './credential-store.js';
export { verifySigV4, type VerifySigV4Options, type VerifiedSigV4 } from './verify-sigv4.js';
export { groupRawHeaders, type ReceivedRequest } from './received-request.js';
export { AwsFault, type AwsFaultCode } from './aws-fault.js';
