// The one rule matcher: every kind's verified facts against the identity's compiled rule, the
// checks in order, the first failure refused with its own code. A check with several values
// (aud, a list claim) passes when any one of them matches.

import { LatchkeyError } from '../errors/index.js';
import type { CompiledTrustRule } from './compile-trust-rule.js';
import { TrustTrace } from './trust-trace.js';
import type { VerifiedFacts } from './verified-facts.js';

/**
 * Throws the failed check's refusal (a LatchkeyError naming the rule field, never its value)
 * unless `facts` satisfy `rule`; records every check in `trace`. `only` limits the checks to
 * some fields (the issuer, before any network call).
 */
export function matchTrustRule(
  rule: CompiledTrustRule,
  facts: VerifiedFacts,
  trace: TrustTrace = new TrustTrace(),
  only?: (field: string) => boolean,
): void {
  if (facts.kind !== rule.facts) throw new TypeError(`a ${rule.kind} rule cannot judge ${facts.kind} facts`);
  for (const check of rule.checks) {
    if (only && !only(check.field)) continue;
    const values = check.values(facts);
    const ok = values.some((v) => check.matcher.test(v));
    trace.step(`rule.${check.field}`, ok, check.field, values.length === 1 ? values[0] : values.length ? values.join(',') : '(absent)');
    if (!ok) throw new LatchkeyError(check.code, check.message, detailOf(facts, check.field));
  }
}

/** Private detail for the log and audit: who the caller is, never a token or the full claims. */
export function detailOf(facts: VerifiedFacts, field?: string): Record<string, unknown> {
  const base = facts.kind === 'aws'
    ? { account: facts.account, arn: facts.arn, userId: facts.userId }
    : { iss: facts.issuer, sub: facts.subject };
  return field ? { ...base, field } : base;
}
