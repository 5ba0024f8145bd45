// The static kind: an OpenID Connect token from an issuer Latchkey cannot reach (a private
// cluster, kind), verified against the keys written into the identity. No network call, ever;
// refused once the identity's expiration has passed.

import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { LatchkeyError } from '../../errors/index.js';
import { matchTrustRule, type StaticRule } from '../../trust/index.js';
import type { StsErrorCode } from '../errors.js';
import type { CredentialVerifier, VerifiedCredential, VerifyContext } from './credential-verifier.js';
import { jwtOneTimeKey } from './one-time-key.js';
import { parseIdentityJwt } from './parse-identity-jwt.js';
import type { IssuerKeySet } from './remote-issuer-keys.js';
import { checkTokenTimes, verifySignature, type JwtTimePolicy } from './verify-identity-jwt.js';

/** Imported key sets, once per rule object (the identity cache keeps it until the record changes). */
const keySets = new WeakMap<StaticRule, IssuerKeySet>();

function keySetOf(rule: StaticRule): IssuerKeySet {
  let set = keySets.get(rule);
  if (!set) {
    const jwks = rule.issuerKeys as JSONWebKeySet;
    set = { jwks, getKey: createLocalJWKSet(jwks), fetchedAt: 0 };
    keySets.set(rule, set);
  }
  return set;
}

export class StaticVerifier implements CredentialVerifier<'static'> {
  readonly kind = 'static';

  constructor(private readonly policy: JwtTimePolicy) {}

  async verify(token: string, ctx: VerifyContext<'static'>): Promise<VerifiedCredential> {
    const rule = ctx.rule.static;
    if (!ctx.trace.step('static.expiration', ctx.now.getTime() < Date.parse(rule.expiration), 'before the expiration', ctx.now.toISOString())) {
      throw new LatchkeyError<StsErrorCode>('STATIC_IDENTITY_EXPIRED',
        `identity ${ctx.identityId} expired at ${rule.expiration}: update it with the issuer's current keys and a new --expiration`);
    }
    const parsed = parseIdentityJwt(token);
    ctx.trace.step('token.parse', true, undefined, parsed.header.alg);
    const unverified = { kind: 'jwt' as const, issuer: parsed.issuer, subject: '', audience: [], claims: {} };
    matchTrustRule(ctx.compiled, unverified, ctx.trace, (field) => field === 'issuer' || field === 'issuerPattern');
    checkTokenTimes(parsed.payload, ctx.now, this.policy, ctx.trace);
    const set = keySetOf(rule);
    const facts = await verifySignature(token, parsed, async () => set, ctx.now, this.policy, ctx.trace);
    return { facts, oneTime: jwtOneTimeKey(token, facts, this.policy.skewSeconds) };
  }
}
