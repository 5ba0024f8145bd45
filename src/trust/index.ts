// Public surface of the trust context: who may become an identity. Rules (one discriminated
// union), validated and compiled when written, and the one matcher every kind's verified facts
// go through.

export type { AwsIdentityRule, ClaimMatchRule, StaticRule, TrustRule, TrustRuleKind } from './trust-rule.js';
export { TRUST_RULE_KINDS } from './trust-rule.js';
export type { AwsFacts, JwtFacts, VerifiedFacts } from './verified-facts.js';
export { TRUST_ERROR_STATUS, type TrustErrorCode } from './errors.js';
export { TrustTrace, redact, type TraceStep } from './trust-trace.js';
export { compileTrustRule, claimValues, type CompiledTrustRule, type RuleCheck } from './compile-trust-rule.js';
export { matchTrustRule, detailOf } from './match-trust-rule.js';
export { compileAwsRule, MAX_RULE_PATTERN_LENGTH } from './compile-aws-rule.js';
export { compileClaimMatchRule, compileStaticRule } from './compile-claim-match-rule.js';
export { lintAwsPatterns, lintClaimMatchRule } from './lint-patterns.js';
export { literalPrefix } from './literal-prefix.js';
export { hasTrustRule, parseTrustRule, RULE_KEYS } from './parse-trust-rule.js';
export { matchAwsRule } from './match-aws-rule.js';
export { compiledPattern, fullMatch } from './pattern-cache.js';
