// The one table from error code to HTTP status. Every code of every context is here
// (the type makes a missing one a compile error); anything else is a 500.

import { AUTH_ERROR_STATUS, type AuthErrorCode } from '../auth/errors.js';
import { AWS_TOKEN_ERROR_STATUS, type AwsTokenErrorCode } from '../aws/index.js';
import type { IamErrorCode } from '../iam/errors.js';
import type { TokenErrorCode } from '../oidc/errors.js';
import { UPSTREAM_ERROR_STATUS, type UpstreamErrorCode } from '../oidc/upstream/errors.js';
import { REGISTRY_ERROR_STATUS, type RegistryErrorCode } from '../registry/errors.js';
import type { StoreErrorCode } from '../store/contract.js';
import { STS_ERROR_STATUS, type StsErrorCode } from '../sts/errors.js';
import { TRUST_ERROR_STATUS, type TrustErrorCode } from '../trust/errors.js';
import type { HttpErrorCode } from './errors.js';

export type ErrorCode = IamErrorCode | TokenErrorCode | StoreErrorCode | StsErrorCode | AwsTokenErrorCode | HttpErrorCode
  | AuthErrorCode | UpstreamErrorCode | TrustErrorCode | RegistryErrorCode;

const IAM: Record<IamErrorCode, number> = {
  INVALID_ARGUMENT: 400, NOT_FOUND: 404, PERMISSION_DENIED: 403, ALREADY_EXISTS: 409, FAILED_PRECONDITION: 409,
};
const TOKEN: Record<TokenErrorCode, number> = {
  UNAUTHENTICATED: 401, TOKEN_INVALID: 401, TOKEN_EXPIRED: 401, TOKEN_WRONG_AUDIENCE: 401,
};
const STORE: Record<StoreErrorCode, number> = { STORE_CONFLICT: 409, STORE_UNAVAILABLE: 503 };
const HTTP: Record<HttpErrorCode, number> = {
  BAD_REQUEST: 400, BODY_TOO_LARGE: 400, UNSUPPORTED_MEDIA_TYPE: 415, ROUTE_NOT_FOUND: 404, METHOD_NOT_ALLOWED: 405, INTERNAL: 500,
};

export const ERROR_STATUS: Record<ErrorCode, number> = {
  ...IAM, ...TOKEN, ...STORE, ...HTTP, ...STS_ERROR_STATUS, ...AWS_TOKEN_ERROR_STATUS, ...AUTH_ERROR_STATUS, ...UPSTREAM_ERROR_STATUS,
  ...TRUST_ERROR_STATUS, ...REGISTRY_ERROR_STATUS,
};

/** The HTTP status of a code; unknown codes are 500. */
export function statusOf(code: string): number {
  return (ERROR_STATUS as Record<string, number>)[code] ?? 500;
}
