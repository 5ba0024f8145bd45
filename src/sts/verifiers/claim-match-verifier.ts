// The claimMatch kind: an OpenID Connect token from an issuer Latchkey can reach. The token is
// parsed, its iss matched against the rule BEFORE any network call (an unknown issuer costs
// nothing and reveals nothing), its times checked, and only then are the issuer's keys
// fetched (or taken from the cache) to verify the signature.

import { matchTrustRule } from '../../trust/index.js';
import type { CredentialVerifier, VerifiedCredential, VerifyContext } from './credential-verifier.js';
import { jwtOneTimeKey } from './one-time-key.js';
import { parseIdentityJwt } from './parse-identity-jwt.js';
import type { RemoteIssuerKeys } from './remote-issuer-keys.js';
import { checkTokenTimes, verifySignature, type JwtTimePolicy } from './verify-identity-jwt.js';

export class ClaimMatchVerifier implements CredentialVerifier<'claimMatch'> {
  readonly kind = 'claimMatch';

  constructor(private readonly issuers: RemoteIssuerKeys, private readonly policy: JwtTimePolicy) {}

  async verify(token: string, ctx: VerifyContext<'claimMatch'>): Promise<VerifiedCredential> {
    const parsed = parseIdentityJwt(token);
    ctx.trace.step('token.parse', true, undefined, parsed.header.alg);
    const unverified = { kind: 'jwt' as const, issuer: parsed.issuer, subject: '', audience: [], claims: {} };
    matchTrustRule(ctx.compiled, unverified, ctx.trace, (field) => field === 'issuer' || field === 'issuerPattern');
    checkTokenTimes(parsed.payload, ctx.now, this.policy, ctx.trace);
    const facts = await verifySignature(token, parsed, (refresh) => this.issuers.keys(parsed.issuer, refresh), ctx.now, this.policy, ctx.trace);
    return { facts, oneTime: jwtOneTimeKey(token, facts, this.policy.skewSeconds) };
  }
}
