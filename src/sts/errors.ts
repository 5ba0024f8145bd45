// Refusals of the exchange itself, and of the OpenID Connect tokens that claim-match and static
// identities are assumed with (the AWS token's own checks have their codes in src/aws; a rule's
// mismatches in src/trust). Messages name the failed check, never the token.
export type StsErrorCode =
  | 'EXCHANGE_BAD_REQUEST'     // missing/malformed identity, aud or cap parameter
  | 'EXCHANGE_NO_CREDENTIAL'   // no Authorization: Bearer <token>
  | 'IDENTITY_NOT_FOUND'       // the requested identity does not exist
  | 'IDENTITY_NOT_ASSUMABLE'   // it exists but has no rule an outside workload can satisfy
  | 'CAPABILITY_NOT_GRANTED'   // a requested cap is not given by the identity's bindings
  | 'CREDENTIAL_REPLAYED'      // the presented credential was accepted before (one-time use)
  // the presented OpenID Connect token
  | 'ID_TOKEN_TOO_LARGE'       // over the size cap
  | 'ID_TOKEN_MALFORMED'       // not a compact JWS with a JSON header and claims, or iss/sub/aud not strings
  | 'ID_TOKEN_ALG_NOT_ALLOWED' // alg is none, HMAC or anything but RS*, PS*, ES256/384, EdDSA
  | 'ID_TOKEN_KEY_NOT_FOUND'   // no key of the issuer's JWKS fits the token's kid/alg (after one refetch)
  | 'ID_TOKEN_BAD_SIGNATURE'   // the signature does not verify with the issuer's key
  | 'ID_TOKEN_NO_EXPIRY'       // exp is missing
  | 'ID_TOKEN_EXPIRED'         // exp has passed (beyond the allowed clock skew)
  | 'ID_TOKEN_NOT_YET_VALID'   // nbf or iat is in the future (beyond the allowed clock skew)
  | 'ID_TOKEN_TOO_LONG_LIVED'  // exp is further from iat (or now) than the accepted lifetime
  | 'STATIC_IDENTITY_EXPIRED'  // a static identity's expiration has passed
  // the token's issuer, for claim-match identities
  | 'ISSUER_INSECURE'          // its URL (or its jwks_uri) is not https (loopback http only when allowed)
  | 'ISSUER_REDIRECTED'        // discovery or JWKS answered with a redirect (never followed)
  | 'ISSUER_DISCOVERY_INVALID' // discovery or JWKS is not what the specifications require
  | 'ISSUER_UNAVAILABLE';      // discovery or JWKS timed out, failed, or was too large

export const STS_ERROR_STATUS: Record<StsErrorCode, number> = {
  EXCHANGE_BAD_REQUEST: 400,
  EXCHANGE_NO_CREDENTIAL: 401,
  IDENTITY_NOT_FOUND: 401,
  IDENTITY_NOT_ASSUMABLE: 401,
  CAPABILITY_NOT_GRANTED: 403,
  CREDENTIAL_REPLAYED: 401,
  ID_TOKEN_TOO_LARGE: 400,
  ID_TOKEN_MALFORMED: 400,
  ID_TOKEN_ALG_NOT_ALLOWED: 401,
  ID_TOKEN_KEY_NOT_FOUND: 401,
  ID_TOKEN_BAD_SIGNATURE: 401,
  ID_TOKEN_NO_EXPIRY: 401,
  ID_TOKEN_EXPIRED: 401,
  ID_TOKEN_NOT_YET_VALID: 401,
  ID_TOKEN_TOO_LONG_LIVED: 401,
  STATIC_IDENTITY_EXPIRED: 401,
  ISSUER_INSECURE: 502,
  ISSUER_REDIRECTED: 502,
  ISSUER_DISCOVERY_INVALID: 502,
  ISSUER_UNAVAILABLE: 503,
};
