// The plug-in point of the exchange: an identity's kind picks the verifier that turns the
// presented credential into verified facts. A verifier checks the credential (and may call
// its issuer); it never decides on the rule's own fields except where it must do so before a
// network call (the issuer of an OIDC token), and it records each check in the trace.

import type { CompiledTrustRule, TrustRule, TrustRuleKind, TrustTrace, VerifiedFacts } from '../../trust/index.js';
import type { OneTimeKey } from './one-time-key.js';

export interface VerifyContext<K extends TrustRuleKind = TrustRuleKind> {
  /** The UIDP of the identity being assumed. */
  identityId: string;
  rule: Extract<TrustRule, { kind: K }>;
  compiled: CompiledTrustRule;
  now: Date;
  trace: TrustTrace;
}

/** What a verifier established: the facts for the rule, and the credential's one-time key. */
export interface VerifiedCredential {
  facts: VerifiedFacts;
  /** What the exchange records so that this credential is accepted once. */
  oneTime: OneTimeKey;
}

export interface CredentialVerifier<K extends TrustRuleKind = TrustRuleKind> {
  readonly kind: K;
  /**
   * Verifies `token` (attacker-controlled) for the identity in `ctx`; throws a LatchkeyError
   * with a stable code naming the failed check, never the token.
   */
  verify(token: string, ctx: VerifyContext<K>): Promise<VerifiedCredential>;
}

/** One verifier per kind: adding a kind means adding an entry here. */
export type CredentialVerifiers = { readonly [K in TrustRuleKind]: CredentialVerifier<K> };
