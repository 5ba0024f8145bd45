// Refusals of the exchange itself (the AWS token's own checks have their codes in src/aws).
export type StsErrorCode =
  | 'EXCHANGE_BAD_REQUEST'     // missing/malformed identity, aud or cap parameter
  | 'EXCHANGE_NO_CREDENTIAL'   // no Authorization: Bearer <token>
  | 'IDENTITY_NOT_FOUND'       // the requested identity does not exist
  | 'IDENTITY_NOT_ASSUMABLE'   // it exists but has no rule an outside workload can satisfy
  | 'CAPABILITY_NOT_GRANTED';  // a requested cap is not given by the identity's bindings

export const STS_ERROR_STATUS: Record<StsErrorCode, number> = {
  EXCHANGE_BAD_REQUEST: 400,
  EXCHANGE_NO_CREDENTIAL: 401,
  IDENTITY_NOT_FOUND: 401,
  IDENTITY_NOT_ASSUMABLE: 401,
  CAPABILITY_NOT_GRANTED: 403,
};
