// Public surface of the AWS context: verifying AWS identity tokens (docs/aws-token.md)
// up to STS's answer. AWS rules live in src/trust/; the emulator is a tool of its own (src/aws-emulator/).

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
export { allowedPartitions, verifyAwsRequest, type AwsTokenBinding, type AwsVerifierConfig } from './verify-aws-request.js';
export { checkCallerPartition } from './check-caller-partition.js';
