// Public surface of the AWS context: verifying AWS identity tokens (docs/aws-token.md)
// and the AWS identity rules they are matched against. The emulator (./emulator/) is separate.

export { AWS_TOKEN_ERROR_STATUS, AwsTokenError, type AwsTokenErrorCode } from './errors.js';
export { PARTITIONS, type AwsPartition } from './constants.js';
export {
  parseAwsToken,
  type AwsRequestHeader,
  type ParseAwsTokenOptions,
  type ParsedAwsRequest,
} from './parse-aws-token.js';
export {
  checkAwsRequest,
  type AwsRequestExpectation,
  type CheckedAwsRequest,
} from './check-aws-request.js';
export { resolveStsHost, type StsEndpoint } from './sts-hosts.js';
export { createStsClient, type StsClient, type StsClientOptions } from './sts-client.js';
export { parseStsResponse, type CallerIdentity } from './parse-sts-response.js';
export { compileAwsRule } from './compile-aws-rule.js';
export { matchAwsRule } from './match-aws-rule.js';
export { verifyAwsRequest, type AwsTokenBinding, type AwsVerifierConfig } from './verify-aws-request.js';
export { verifyAwsToken, type AwsTokenExpectation } from './verify-aws-token.js';
