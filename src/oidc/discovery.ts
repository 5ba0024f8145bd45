// The issuer's OpenID discovery document (/.well-known/openid-configuration).

export interface DiscoveryExtras {
  /** Extra endpoints other contexts add (human login, device flow, dev login). */
  [k: string]: unknown;
}

export function discoveryDocument(issuer: string, extras: DiscoveryExtras = {}): Record<string, unknown> {
  return {
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    token_endpoint: `${issuer}/sts/exchange`,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['ES256'],
    token_endpoint_auth_methods_supported: ['none'],
    claims_supported: ['iss', 'sub', 'aud', 'iat', 'exp', 'jti', 'cap', 'email'],
    ...extras,
  };
}
