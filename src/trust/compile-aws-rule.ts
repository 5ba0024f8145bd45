// Validates an identity's AWS rule when it is written (parses operator/author input, e.g. the
// seed's id.json `awsIdentity` object): known fields only, a 12-digit account, exactly one of
// each exact/pattern pair, patterns that compile as RE2; warns about patterns that accept any
// principal or can never match.

import type { AwsIdentityRule } from './trust-rule.js';
import { PARTITIONS } from '../aws/constants.js';
import { refuse } from '../aws/errors.js';
import { lintAwsPatterns } from './lint-patterns.js';
import { literalPrefix } from './literal-prefix.js';
import { compiledPattern, fullMatch } from './pattern-cache.js';
import { principalArnParts } from '../aws/principal-arn.js';

export const MAX_RULE_PATTERN_LENGTH = 1024;
const MAX_EXACT_LENGTH = 2048;

/** Accepted spellings of each field (the seed's id.json uses aws_account and camelCase patterns). */
const SPELLINGS: Readonly<Record<string, keyof AwsIdentityRule>> = {
  aws_account: 'awsAccount',
  awsAccount: 'awsAccount',
  arn: 'arn',
  arnPattern: 'arnPattern',
  arn_pattern: 'arnPattern',
  userId: 'userId',
  user_id: 'userId',
  userIdPattern: 'userIdPattern',
  user_id_pattern: 'userIdPattern',
};

/** Probes an "any principal" pattern matches; a meaningful pattern matches at most one. */
const ARN_PROBES = [
  'latchkey-probe',
  'arn:aws:iam::000000000000:user/latchkey-probe',
  'arn:aws-us-gov:sts::999999999999:assumed-role/latchkey-probe/x',
];
const USER_ID_PROBES = ['latchkey-probe', 'AIDAPROBEPROBEPROBE000', 'AROAPROBEPROBEPROBE000:latchkey-probe', '000000000000'];

function invalid(message: string): never {
  throw refuse('AWS_RULE_INVALID', `awsIdentity: ${message}`);
}

function isPrintableNoSpace(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

function checkPattern(field: string, p: string): void {
  if (p.length === 0 || p.length > MAX_RULE_PATTERN_LENGTH) {
    invalid(`${field} must be 1 to ${MAX_RULE_PATTERN_LENGTH} characters`);
  }
  try {
    compiledPattern(p);
  } catch (err) {
    const why = err instanceof Error ? err.message.slice(0, 200) : 'does not compile';
    invalid(`${field} is not a valid RE2 pattern (${why})`);
  }
}

function arnPatternWarnings(p: string, account: string): string[] {
  const warnings: string[] = [];
  const prefix = literalPrefix(p);
  if (prefix.length > 0 && !prefix.startsWith('arn:') && !'arn:'.startsWith(prefix)) {
    warnings.push(
      'arnPattern can never match: it must match the WHOLE Arn, which starts with "arn:" (add .* where you mean "anything")',
    );
    return warnings;
  }
  const segs = prefix.split(':');
  if (segs.length >= 3 && !(PARTITIONS as readonly string[]).includes(segs[1] as string)) {
    warnings.push('arnPattern names a partition other than aws, aws-cn or aws-us-gov; it can never match');
  }
  if (segs.length >= 6 && segs[4] !== account) {
    warnings.push('arnPattern names an account other than aws_account; it can never match');
  }
  return warnings;
}

/**
 * Validates and normalises an `awsIdentity` object. Throws AwsTokenError AWS_RULE_INVALID with
 * a message saying what to fix; returns warnings for rules that are valid but probably wrong.
 *
 * @example
 *   compileAwsRule({ aws_account: '452336408843',
 *     arnPattern: '^arn:aws:sts::452336408843:assumed-role/access_to_chainguard_org/(.*)$',
 *     userIdPattern: '^AROAWSUKZ3EFSAMPLE(.*)$' })
 */
export function compileAwsRule(input: unknown): { rule: AwsIdentityRule; warnings: string[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) invalid('must be an object');
  const fields: Partial<Record<keyof AwsIdentityRule, string>> = {};
  const spelledAs: Partial<Record<keyof AwsIdentityRule, string>> = {};
  for (const [key, value] of Object.entries(input)) {
    const field = Object.hasOwn(SPELLINGS, key) ? SPELLINGS[key] : undefined;
    if (field === undefined) {
      invalid(`unknown field ${JSON.stringify(key.slice(0, 40))}; allowed: aws_account, arn, arnPattern, userId, userIdPattern`);
    }
    if (spelledAs[field] !== undefined) invalid(`${spelledAs[field]} and ${key} are the same field; give one`);
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') invalid(`${key} must be a string`);
    spelledAs[field] = key;
    fields[field] = value;
  }

  const awsAccount = fields.awsAccount;
  if (awsAccount === undefined) invalid('aws_account is required');
  if (!/^[0-9]{12}$/.test(awsAccount)) invalid('aws_account must be a 12-digit AWS account id (as a string)');
  if ((fields.arn === undefined) === (fields.arnPattern === undefined)) invalid('give exactly one of arn and arnPattern');
  if ((fields.userId === undefined) === (fields.userIdPattern === undefined)) {
    invalid('give exactly one of userId and userIdPattern');
  }

  const rule: AwsIdentityRule = { awsAccount };
  const warnings: string[] = [];
  if (fields.arn !== undefined) {
    const arn = fields.arn;
    if (arn.length > MAX_EXACT_LENGTH || !isPrintableNoSpace(arn)) invalid('arn must be printable ASCII without spaces');
    const parts = principalArnParts(arn);
    if (parts === undefined || !(PARTITIONS as readonly string[]).includes(parts.partition)) {
      invalid('arn must be an IAM or STS principal ARN, arn:<aws|aws-cn|aws-us-gov>:<iam|sts>::<account>:<name>');
    }
    if (parts.account !== awsAccount) invalid("arn's account is not aws_account; it could never match");
    if (/^arn:[a-z-]+:iam::[0-9]{12}:role\//.test(arn)) {
      warnings.push(
        'arn is an IAM role ARN; GetCallerIdentity reports arn:<partition>:sts::<account>:assumed-role/<role>/<session> for a role, so use arnPattern',
      );
    }
    rule.arn = arn;
  } else {
    const p = fields.arnPattern as string;
    checkPattern('arnPattern', p);
    if (ARN_PROBES.filter((probe) => fullMatch(p, probe)).length >= 2) {
      warnings.push('arnPattern accepts any principal (it matches unrelated ARNs and arbitrary text)');
    } else {
      warnings.push(...arnPatternWarnings(p, awsAccount));
    }
    rule.arnPattern = p;
  }
  if (fields.userId !== undefined) {
    const u = fields.userId;
    if (u.length === 0 || u.length > 512 || !isPrintableNoSpace(u)) invalid('userId must be printable ASCII without spaces');
    rule.userId = u;
  } else {
    const p = fields.userIdPattern as string;
    checkPattern('userIdPattern', p);
    if (USER_ID_PROBES.filter((probe) => fullMatch(p, probe)).length >= 2) {
      warnings.push('userIdPattern accepts any principal (it matches unrelated user ids and arbitrary text)');
    }
    rule.userIdPattern = p;
  }
  warnings.push(...lintAwsPatterns(rule).filter((w) => !warnings.includes(w)));
  return { rule, warnings };
}
