// Refusals of human login. Each code maps to an HTTP status here and, for the OAuth endpoints,
// to the RFC 6749 / RFC 8628 `error` value that standard clients act on.
export type AuthErrorCode =
  | 'AUTH_INVALID_REQUEST'         // a parameter is missing, repeated or malformed
  | 'AUTH_UNSUPPORTED_GRANT_TYPE'  // grant_type is not one we serve
  | 'AUTH_UNKNOWN_CLIENT'          // client_id is not the latchkey CLI
  | 'AUTH_REDIRECT_URI_INVALID'    // redirect_uri is not http://127.0.0.1:PORT/... (or [::1])
  | 'AUTH_PKCE_REQUIRED'           // no code_challenge (S256) at authorize, or no code_verifier at the token endpoint
  | 'AUTH_PKCE_MISMATCH'           // the code_verifier does not match the code_challenge
  | 'AUTH_CODE_INVALID'            // authorization code unknown, used, expired, or bound to another redirect_uri
  | 'AUTH_STATE_INVALID'           // callback state unknown, used, expired, or begun in another browser
  | 'AUTH_NO_PROVIDER'             // the server has no upstream provider configured
  | 'AUTH_UNKNOWN_PROVIDER'        // provider= names none of them
  | 'AUTH_CSRF'                    // the device approval form was not posted from our own page
  | 'AUTH_USER_CODE_INVALID'       // the user code is unknown, used or expired
  | 'AUTH_TOO_MANY_USER_CODES'     // too many wrong user codes from this browser or network: wait
  | 'AUTH_AUTHORIZATION_PENDING'   // device flow: not approved yet (keep polling)
  | 'AUTH_SLOW_DOWN'               // device flow: polled faster than the interval
  | 'AUTH_DEVICE_CODE_EXPIRED'     // device flow: nobody approved in time
  | 'AUTH_ACCESS_DENIED'           // device flow: the sign-in failed or was refused
  | 'AUTH_DEVICE_CODE_INVALID'     // device code unknown or already redeemed
  | 'AUTH_REFRESH_TOKEN_INVALID'   // unknown, expired, malformed, or its identity is gone
  | 'AUTH_REFRESH_TOKEN_REUSED'    // an already-rotated refresh token: the whole login is revoked
  | 'AUTH_REFRESH_TOKEN_REVOKED'   // the login was logged out or revoked after a reuse
  | 'DEV_LOGIN_REFUSED';           // dev login from a non-loopback client, host or origin

export const AUTH_ERROR_STATUS: Record<AuthErrorCode, number> = {
  AUTH_INVALID_REQUEST: 400,
  AUTH_UNSUPPORTED_GRANT_TYPE: 400,
  AUTH_UNKNOWN_CLIENT: 401,
  AUTH_REDIRECT_URI_INVALID: 400,
  AUTH_PKCE_REQUIRED: 400,
  AUTH_PKCE_MISMATCH: 400,
  AUTH_CODE_INVALID: 400,
  AUTH_STATE_INVALID: 400,
  AUTH_NO_PROVIDER: 400,
  AUTH_UNKNOWN_PROVIDER: 400,
  AUTH_CSRF: 403,
  AUTH_USER_CODE_INVALID: 400,
  AUTH_TOO_MANY_USER_CODES: 429,
  AUTH_AUTHORIZATION_PENDING: 400,
  AUTH_SLOW_DOWN: 400,
  AUTH_DEVICE_CODE_EXPIRED: 400,
  AUTH_ACCESS_DENIED: 400,
  AUTH_DEVICE_CODE_INVALID: 400,
  AUTH_REFRESH_TOKEN_INVALID: 400,
  AUTH_REFRESH_TOKEN_REUSED: 400,
  AUTH_REFRESH_TOKEN_REVOKED: 400,
  DEV_LOGIN_REFUSED: 403,
};

/**
 * RFC 6749 §4.1.2.1 / §5.2 and RFC 8628 §3.5 `error` values: for the token and device endpoints,
 * and for errors sent back to the CLI's redirect URI (anything unlisted there: access_denied).
 */
export const OAUTH_ERROR: Partial<Record<string, string>> = {
  AUTH_INVALID_REQUEST: 'invalid_request',
  AUTH_UNSUPPORTED_GRANT_TYPE: 'unsupported_grant_type',
  AUTH_UNKNOWN_CLIENT: 'invalid_client',
  AUTH_REDIRECT_URI_INVALID: 'invalid_request',
  AUTH_PKCE_REQUIRED: 'invalid_request',
  AUTH_PKCE_MISMATCH: 'invalid_grant',
  AUTH_CODE_INVALID: 'invalid_grant',
  AUTH_AUTHORIZATION_PENDING: 'authorization_pending',
  AUTH_SLOW_DOWN: 'slow_down',
  AUTH_DEVICE_CODE_EXPIRED: 'expired_token',
  AUTH_ACCESS_DENIED: 'access_denied',
  AUTH_DEVICE_CODE_INVALID: 'invalid_grant',
  AUTH_REFRESH_TOKEN_INVALID: 'invalid_grant',
  AUTH_REFRESH_TOKEN_REUSED: 'invalid_grant',
  AUTH_REFRESH_TOKEN_REVOKED: 'invalid_grant',
  AUTH_UNKNOWN_PROVIDER: 'invalid_request',
  AUTH_NO_PROVIDER: 'temporarily_unavailable',
  UPSTREAM_UNAVAILABLE: 'temporarily_unavailable',
};
