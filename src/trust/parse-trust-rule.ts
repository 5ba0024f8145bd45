// The trust rule of an identity's create/update body (parses author input): exactly one rule,
// under any of its accepted spellings, validated and compiled; warnings for rules that are
// valid but probably wrong.

import { LatchkeyError } from '../errors/index.js';
import { compileAwsRule } from './compile-aws-rule.js';
import { compileClaimMatchRule, compileStaticRule } from './compile-claim-match-rule.js';
import type { TrustErrorCode } from './errors.js';
import type { TrustRule, TrustRuleKind } from './trust-rule.js';

/** Body keys that carry a rule, and the kind each one is (Chainguard's spellings included). */
export const RULE_KEYS: Readonly<Record<string, TrustRuleKind>> = {
  awsIdentity: 'aws',
  aws_identity: 'aws',
  claimMatch: 'claimMatch',
  claim_match: 'claimMatch',
  static: 'static',
};

/** True when `body` carries a rule under any accepted key. */
export function hasTrustRule(body: Record<string, unknown>): boolean {
  return Object.keys(RULE_KEYS).some((k) => body[k] !== undefined);
}

/**
 * The rule in `body`; throws TRUST_RULE_INVALID (or AWS_RULE_INVALID for an AWS rule) saying
 * what to fix.
 */
export function parseTrustRule(body: Record<string, unknown>, now: Date): { rule: TrustRule; warnings: string[] } {
  const given = Object.keys(RULE_KEYS).filter((k) => body[k] !== undefined);
  if (given.length === 0) {
    throw invalid('an identity needs a rule: awsIdentity {aws_account, arn|arnPattern, userId|userIdPattern}, '
      + 'claimMatch {issuer|issuerPattern, subject|subjectPattern, ...} or static {issuer, issuerKeys, expiration, ...}');
  }
  if (given.length > 1) {
    const kinds = new Set(given.map((k) => RULE_KEYS[k]));
    throw invalid(kinds.size > 1
      ? `give one rule: ${given.join(' and ')} are rules of different kinds`
      : `give the rule once: ${given.join(' and ')} are the same field`);
  }
  const key = given[0] as string;
  switch (RULE_KEYS[key]) {
    case 'aws': {
      const { rule, warnings } = compileAwsRule(body[key]);
      return { rule: { kind: 'aws', aws: rule }, warnings };
    }
    case 'claimMatch': {
      const { rule, warnings } = compileClaimMatchRule(body[key]);
      return { rule: { kind: 'claimMatch', claimMatch: rule }, warnings };
    }
    default: {
      const { rule, warnings } = compileStaticRule(body[key], now);
      return { rule: { kind: 'static', static: rule }, warnings };
    }
  }
}

function invalid(message: string): LatchkeyError<TrustErrorCode> {
  return new LatchkeyError<TrustErrorCode>('TRUST_RULE_INVALID', message);
}
