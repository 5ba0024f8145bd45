// Refusals while talking to an upstream OpenID Connect provider. Public messages name the
// provider and what to fix; the library's detail goes to the log only.
export type UpstreamErrorCode =
  | 'UPSTREAM_INSECURE'           // an upstream URL is plain http on a non-loopback host
  | 'UPSTREAM_REDIRECTED'         // the upstream answered a server-to-server request with a redirect
  | 'UPSTREAM_UNAVAILABLE'        // network error, timeout, 5xx or an oversized answer
  | 'UPSTREAM_DISCOVERY_INVALID'  // discovery: not JSON, issuer mismatch, missing or insecure endpoints
  | 'UPSTREAM_DENIED'             // the provider (or the person) refused the sign-in at the callback
  | 'UPSTREAM_CODE_REFUSED'       // the provider's token endpoint refused our code exchange
  | 'UPSTREAM_ID_TOKEN_INVALID';  // the ID token failed verification: signature, iss, aud, exp or nonce

export const UPSTREAM_ERROR_STATUS: Record<UpstreamErrorCode, number> = {
  UPSTREAM_INSECURE: 502,
  UPSTREAM_REDIRECTED: 502,
  UPSTREAM_UNAVAILABLE: 503,
  UPSTREAM_DISCOVERY_INVALID: 502,
  UPSTREAM_DENIED: 401,
  UPSTREAM_CODE_REFUSED: 401,
  UPSTREAM_ID_TOKEN_INVALID: 401,
};
