// Signs Latchkey's tokens (ES256 JWS compact serialization) with fast-jwt's synchronous signer.
//
// Measured with --cpu-prof under exchange load (bench/README.md): jose's SignJWT, which signs
// through WebCrypto, was 30% of the server's CPU, ~110 µs a token on this machine, because each
// sign is a round trip through libuv's thread pool; fast-jwt signs with node:crypto's one-shot
// sign in ~40 µs. Verification stays with jose (token-issuer.ts), and the tests verify every
// minted token with jose, including through the published JWKS.

import { createPrivateKey } from 'node:crypto';
import { createSigner } from 'fast-jwt';
import type { JWK } from 'jose';

export type JwtSigner = (claims: Record<string, unknown>) => string;

/** A signer for one key: header {alg: ES256, typ: JWT, kid}; claims (iat included) signed as given. */
export function createJwtSigner(kid: string, privateJwk: JWK): JwtSigner {
  const pem = createPrivateKey({ key: privateJwk as import('node:crypto').JsonWebKey, format: 'jwk' })
    .export({ type: 'pkcs8', format: 'pem' }) as string;
  // Every claim comes from the caller: iat is always given, so fast-jwt's clock is never used.
  const sign = createSigner({ key: pem, algorithm: 'ES256', kid });
  return (claims) => {
    if (typeof claims.iat !== 'number') throw new Error('createJwtSigner: iat is required');
    return sign(claims);
  };
}
