// A stored trust rule turned into the list of checks the matcher runs, once per rule object
// (the identity cache hands out the same object until the record changes), so the hot path
// never parses a pattern.

import type { AwsTokenErrorCode } from '../aws/errors.js';
import type { TrustErrorCode } from './errors.js';
import { fieldMatcher, type FieldMatcher } from './field-matcher.js';
import type { AwsIdentityRule, ClaimMatchRule, TrustRule, TrustRuleKind } from './trust-rule.js';
import type { VerifiedFacts } from './verified-facts.js';

/** One check of a rule: the field it comes from, and the refusal when it fails. */
export interface RuleCheck {
  /** The rule field, as the trace and the messages name it ('arnPattern', 'claims.ref', ...). */
  field: string;
  code: AwsTokenErrorCode | TrustErrorCode;
  /** Public message when the check fails (names the field, never its value). */
  message: string;
  /** The facts' values this check looks at (a list claim gives several; any may match). */
  values(facts: VerifiedFacts): readonly string[];
  matcher: FieldMatcher;
}

export interface CompiledTrustRule {
  kind: TrustRuleKind;
  /** Which facts the rule needs. */
  facts: VerifiedFacts['kind'];
  checks: readonly RuleCheck[];
}

const compiled = new WeakMap<object, { defaultAudience: string; rule: CompiledTrustRule }>();

/**
 * The checks of `rule`. `defaultAudience` (this issuer's URL) is the audience a claim-match or
 * static rule requires when it names none. A stored rule that its writer would have refused
 * is a TypeError.
 */
export function compileTrustRule(rule: TrustRule, defaultAudience: string): CompiledTrustRule {
  const hit = compiled.get(rule);
  if (hit && hit.defaultAudience === defaultAudience) return hit.rule;
  const out: CompiledTrustRule = rule.kind === 'aws'
    ? { kind: 'aws', facts: 'aws', checks: awsChecks(rule.aws) }
    : { kind: rule.kind, facts: 'jwt', checks: claimChecks(rule.kind === 'static' ? rule.static : rule.claimMatch, defaultAudience) };
  compiled.set(rule, { defaultAudience, rule: out });
  return out;
}

function awsChecks(rule: AwsIdentityRule): RuleCheck[] {
  const arn = fieldMatcher({ exact: 'arn', pattern: 'arnPattern' }, rule.arn, rule.arnPattern);
  const userId = fieldMatcher({ exact: 'userId', pattern: 'userIdPattern' }, rule.userId, rule.userIdPattern);
  if (!arn || !userId || typeof rule.awsAccount !== 'string') {
    throw new TypeError('an AWS rule must have aws_account and one of each of arn/arnPattern and userId/userIdPattern');
  }
  const account = rule.awsAccount;
  return [
    {
      field: 'aws_account', code: 'AWS_ACCOUNT_MISMATCH', message: "Account does not match the identity's aws_account",
      values: (f) => (f.kind === 'aws' ? [f.account] : []), matcher: { field: 'aws_account', test: (v) => v === account },
    },
    {
      field: arn.field, code: 'AWS_ARN_MISMATCH', message: `Arn does not match the identity's ${arn.field}`,
      values: (f) => (f.kind === 'aws' ? [f.arn] : []), matcher: arn,
    },
    {
      field: userId.field, code: 'AWS_USER_ID_MISMATCH', message: `UserId does not match the identity's ${userId.field}`,
      values: (f) => (f.kind === 'aws' ? [f.userId] : []), matcher: userId,
    },
  ];
}

function claimChecks(rule: ClaimMatchRule, defaultAudience: string): RuleCheck[] {
  const issuer = fieldMatcher({ exact: 'issuer', pattern: 'issuerPattern' }, rule.issuer, rule.issuerPattern);
  if (!issuer) throw new TypeError('a claim-match rule must have issuer or issuerPattern');
  const checks: RuleCheck[] = [
    {
      field: issuer.field, code: 'ID_TOKEN_ISSUER_MISMATCH', message: `the token's iss does not match the identity's ${issuer.field}`,
      values: (f) => (f.kind === 'jwt' ? [f.issuer] : []), matcher: issuer,
    },
  ];
  const subject = fieldMatcher({ exact: 'subject', pattern: 'subjectPattern' }, rule.subject, rule.subjectPattern);
  if (subject) {
    checks.push({
      field: subject.field, code: 'ID_TOKEN_SUBJECT_MISMATCH', message: `the token's sub does not match the identity's ${subject.field}`,
      values: (f) => (f.kind === 'jwt' ? [f.subject] : []), matcher: subject,
    });
  }
  const audience = fieldMatcher({ exact: 'audience', pattern: 'audiencePattern' }, rule.audience, rule.audiencePattern)
    ?? { field: 'audience', test: (v: string) => v === defaultAudience };
  checks.push({
    field: audience.field, code: 'ID_TOKEN_AUDIENCE_MISMATCH',
    message: rule.audience === undefined && rule.audiencePattern === undefined
      ? `the token's aud does not contain ${defaultAudience} (this issuer's URL, the default audience); ask your platform for a token with that audience`
      : `the token's aud does not contain a value matching the identity's ${audience.field}`,
    values: (f) => (f.kind === 'jwt' ? f.audience : []), matcher: audience,
  });
  const names = new Set([...Object.keys(rule.claims ?? {}), ...Object.keys(rule.claimPatterns ?? {})]);
  for (const name of [...names].sort()) {
    const m = fieldMatcher({ exact: `claims.${name}`, pattern: `claimPatterns.${name}` }, rule.claims?.[name], rule.claimPatterns?.[name]);
    if (!m) continue;
    checks.push({
      field: m.field, code: 'ID_TOKEN_CLAIM_MISMATCH', message: `the token's ${name} claim is missing or does not match the identity's ${m.field}`,
      values: (f) => (f.kind === 'jwt' ? claimValues(f.claims[name]) : []), matcher: m,
    });
  }
  return checks;
}

/** A claim as the strings a rule compares: a string; a number or boolean as JSON; a list's scalars. */
export function claimValues(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (typeof v === 'number' || typeof v === 'boolean') return [JSON.stringify(v)];
  if (Array.isArray(v)) return v.flatMap((e) => (Array.isArray(e) ? [] : claimValues(e)));
  return [];
}
