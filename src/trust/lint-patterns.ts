// Write-time lint of trust rules: warnings (never refusals) for patterns that can never match
// any value of their field's format, or that accept anything. Conservative: a warning means
// the rule is certainly wrong or certainly too broad; silence does not prove a rule right.

import { fullMatch } from './pattern-cache.js';
import type { AwsIdentityRule, ClaimMatchRule } from './trust-rule.js';
import { literalPrefix } from './literal-prefix.js';

/**
 * False only when `p` certainly cannot produce the character `ch`: no `.`, no negated class,
 * no class or range containing it, no escape that could stand for it. Conservative.
 */
function mayProduce(p: string, ch: string): boolean {
  const code = ch.charCodeAt(0);
  for (let i = 0; i < p.length; i++) {
    const c = p[i] as string;
    if (c === '\\') {
      const n = p[i + 1] ?? '';
      if (n === ch || 'SWDpPxQ'.includes(n)) return true;
      i++;
    } else if (c === '.' || c === ch) {
      return true;
    } else if (c === '[') {
      const end = p.indexOf(']', i + 2);
      const body = end < 0 ? '' : p.slice(i + 1, end);
      if (end < 0 || body.startsWith('^')) return true;
      for (let j = 0; j < body.length; j++) {
        const b = body[j] as string;
        if (b === '\\') {
          const n = body[j + 1] ?? '';
          if (n === ch || 'SWDpPx'.includes(n)) return true;
          j++;
        } else if (body[j + 1] === '-' && j + 2 < body.length) {
          if (body.charCodeAt(j) <= code && code <= body.charCodeAt(j + 2)) return true;
          j += 2;
        } else if (b === ch) {
          return true;
        }
      }
      i = end;
    }
  }
  return false;
}

/**
 * Patterns of an AWS rule that can never match what GetCallerIdentity reports:
 *   UserId of a role session  AROA...:SESSION   (a role's UserId always has the session part)
 *   Arn of a role session     arn:P:sts::ACCOUNT:assumed-role/ROLE/SESSION
 *   Arn of a role             never arn:P:iam::ACCOUNT:role/... (that is the role, not a caller)
 */
export function lintAwsPatterns(rule: AwsIdentityRule): string[] {
  const warnings: string[] = [];
  const u = rule.userIdPattern;
  if (u !== undefined && literalPrefix(u).startsWith('AROA') && !mayProduce(u, ':')) {
    warnings.push('userIdPattern can never match: a role session\'s UserId is AROA...:SESSION, and this pattern has no ":SESSION" part (add ":.+" or ":[^:]+")');
  }
  for (const [field, value] of [['arnPattern', rule.arnPattern], ['arn', rule.arn]] as const) {
    if (value === undefined) continue;
    const prefix = field === 'arn' ? value : literalPrefix(value);
    const at = value.lastIndexOf('assumed-role/');
    if (/:assumed-role\/[^/]*$/.test(prefix) && at >= 0) {
      const rest = value.slice(at + 'assumed-role/'.length);
      if (field === 'arn' || !mayProduce(rest, '/')) {
        warnings.push(`${field} can never match: an assumed-role Arn is arn:P:sts::ACCOUNT:assumed-role/ROLE/SESSION, and this has no "/SESSION" part`);
      }
    }
    if (field === 'arnPattern' && /^arn:[a-z-]+:iam::[0-9]{12}:role\//.test(prefix)) {
      warnings.push('arnPattern can never match: GetCallerIdentity reports a role\'s sessions as arn:P:sts::ACCOUNT:assumed-role/ROLE/SESSION, never arn:P:iam::ACCOUNT:role/ROLE');
    }
  }
  return warnings;
}

const ANY_ISSUER = ['https://latchkey-probe.example', 'https://token.actions.githubusercontent.com', 'https://gitlab.com'];

/**
 * Warnings for a claim-match rule: an issuer pattern that accepts any issuer or can never
 * match an issuer URL, an issuer Latchkey will not fetch, and a rule that names nothing about
 * the workload (any token of the issuer would do). `reachable`: the issuer's keys are fetched.
 */
export function lintClaimMatchRule(rule: ClaimMatchRule, reachable: boolean): string[] {
  const warnings: string[] = [];
  const ip = rule.issuerPattern;
  if (ip !== undefined) {
    if (ANY_ISSUER.filter((p) => fullMatch(ip, p)).length >= 2) {
      warnings.push('issuerPattern accepts any issuer: tokens from any OpenID Connect provider (anyone can run one) could assume this identity');
    }
    const prefix = literalPrefix(ip);
    if (prefix && !prefix.startsWith('http') && !'https://'.startsWith(prefix)) {
      warnings.push('issuerPattern can never match: it must match the WHOLE iss, an issuer URL starting with https://');
    }
  }
  if (reachable && rule.issuer !== undefined && !/^https:\/\//.test(rule.issuer)) {
    warnings.push(/^http:\/\/(127\.|localhost[:/]|\[::1\])/.test(rule.issuer)
      ? 'issuer uses plain http: its keys are fetched only when the server runs with --dev or --workload-issuer-allow-loopback-http'
      : 'issuer is not an https URL: Latchkey fetches its keys only over https, so no token will verify (use a static identity for an issuer it cannot reach)');
  }
  const anyValue = (p: string | undefined) => p !== undefined && fullMatch(p, '') && fullMatch(p, 'latchkey-probe/x:y');
  if (anyValue(rule.subjectPattern)) warnings.push('subjectPattern accepts any subject');
  for (const [name, p] of Object.entries(rule.claimPatterns ?? {})) {
    if (anyValue(p)) warnings.push(`claimPatterns.${name} accepts any value (and a missing claim still fails it)`);
  }
  const narrowing = [rule.subject, rule.claims && Object.keys(rule.claims).length ? 'x' : undefined,
    rule.subjectPattern !== undefined && !anyValue(rule.subjectPattern) ? 'x' : undefined,
    ...Object.values(rule.claimPatterns ?? {}).filter((p) => !anyValue(p))].some((v) => v !== undefined);
  if (!narrowing) {
    warnings.push('the rule names no subject or claim: every token of this issuer (any repository, any service account) can assume this identity');
  }
  return warnings;
}
