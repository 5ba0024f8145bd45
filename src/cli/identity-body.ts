// Request bodies for `iam identities create|update`: from the seed's id.json (sent as written:
// the server accepts its spellings), from the --aws-* flags, or written for one IAM role.

import { readFile } from 'node:fs/promises';
import type { AwsPartition } from '../aws/index.js';
import { CliError } from './cli-error.js';
import type { CommandInput } from './command-input.js';
import { oidcRuleChanges } from './oidc-identity-body.js';

/** An AWS rule in the API's camelCase; of each pair, the exact value or the pattern. */
export interface AwsRule {
  awsAccount?: string;
  arn?: string;
  arnPattern?: string;
  userId?: string;
  userIdPattern?: string;
}

export type IdentityBody = Record<string, unknown> & { name?: string; description?: string };

const ACCOUNT = /^\d{12}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ROLE_ID = /^AROA[A-Z0-9]{4,124}$/;
/** Characters of an AWS role session name (2 to 64 of them; AWS enforces the length). */
const SESSION = '[\\w+=,.@-]+';

/** `s` as an RE2 literal (every metacharacter escaped). */
export function escapeRe2(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** Reads an identity file: a JSON object (e.g. the seed's id.json). */
export async function readIdentityFile(path: string): Promise<IdentityBody> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new CliError('INPUT_INVALID', `cannot read ${path}: ${(err as Error).message}`);
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new CliError('INPUT_INVALID', `${path} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new CliError('INPUT_INVALID', `${path} must hold a JSON object such as {"name": "...", "awsIdentity": {...}}`);
  }
  return v as IdentityBody;
}

/** True when a body (in any of the accepted spellings) carries an AWS rule. */
export function hasAwsRule(body: IdentityBody): boolean {
  return typeof (body.awsIdentity ?? body.aws_identity) === 'object';
}

/** The kind of rule a body carries (in any of the accepted spellings), or undefined. */
export function ruleKindOf(body: IdentityBody): 'aws' | 'claim_match' | 'static' | undefined {
  if (hasAwsRule(body)) return 'aws';
  if (typeof (body.claimMatch ?? body.claim_match) === 'object') return 'claim_match';
  if (typeof body.static === 'object') return 'static';
  return undefined;
}

function pick(input: CommandInput, exact: string, pattern: string): string | undefined {
  if (input.has(exact) && input.has(pattern)) {
    throw new CliError('USAGE', `give --${exact} or --${pattern}, not both`);
  }
  return input.string(exact) ?? input.string(pattern);
}

/** The changes the --aws-* flags make to a rule, or undefined when none is given. */
export function awsRuleChanges(input: CommandInput): Partial<AwsRule> | undefined {
  pick(input, 'aws-arn', 'aws-arn-pattern');
  pick(input, 'aws-user-id', 'aws-user-id-pattern');
  const changes: Partial<AwsRule> = {};
  const account = input.string('aws-account');
  if (account !== undefined) {
    if (!ACCOUNT.test(account)) throw new CliError('USAGE', `--aws-account must be a 12-digit AWS account ID, not "${account}"`);
    changes.awsAccount = account;
  }
  for (const [flag, field] of [['aws-arn', 'arn'], ['aws-arn-pattern', 'arnPattern'], ['aws-user-id', 'userId'], ['aws-user-id-pattern', 'userIdPattern']] as const) {
    const v = input.string(flag);
    if (v !== undefined) changes[field] = v;
  }
  return Object.keys(changes).length ? changes : undefined;
}

/** `base` with `changes` applied: an exact value drops the pattern of its pair, and back. */
export function applyAwsRuleChanges(base: AwsRule, changes: Partial<AwsRule>): AwsRule {
  const out: AwsRule = { ...base, ...changes };
  if (changes.arn !== undefined) delete out.arnPattern;
  if (changes.arnPattern !== undefined) delete out.arn;
  if (changes.userId !== undefined) delete out.userIdPattern;
  if (changes.userIdPattern !== undefined) delete out.userId;
  return out;
}

/**
 * The body of `create [aws] [NAME]`: --filename (sent as written) or the --aws-* flags, with
 * NAME and --description taking precedence over the file's.
 */
export async function createBodyFromInput(input: CommandInput): Promise<IdentityBody> {
  const file = input.string('filename');
  const changes = awsRuleChanges(input);
  const oidc = await oidcRuleChanges(input);
  if (changes && oidc) throw new CliError('USAGE', 'give the --aws-* flags or the OpenID Connect rule flags (--identity-issuer, --subject, ...), not both');
  if (file && (changes || oidc)) throw new CliError('USAGE', 'give --filename or the rule flags, not both');
  let body: IdentityBody;
  if (file) {
    body = await readIdentityFile(file);
  } else if (changes) {
    if (!changes.awsAccount) throw new CliError('USAGE', 'the --aws-* flags need --aws-account');
    body = { awsIdentity: changes };
  } else if (oidc) {
    body = oidc.isStatic ? { static: oidc.rule } : { claimMatch: oidc.rule };
  } else {
    const oidcToo = input.command.endsWith(' aws') ? '' : ', or --identity-issuer and the other OpenID Connect rule flags';
    throw new CliError('USAGE', `"latchkey ${input.command}" needs --filename FILE or --aws-account and the other --aws-* flags${oidcToo}`,
      { hint: `run \`latchkey ${input.command} --help\`` });
  }
  const name = input.arg(0) ?? body.name;
  if (typeof name !== 'string' || !name) {
    throw new CliError('USAGE', 'the identity needs a name: give NAME, or "name" in the file');
  }
  body.name = name;
  const description = input.string('description');
  if (description !== undefined) body.description = description;
  if (!ruleKindOf(body)) {
    throw new CliError('INPUT_INVALID', `${file ?? 'the identity'} has no "awsIdentity" (nor "claimMatch" or "static")`,
      { hint: 'identities that workloads assume need a rule: add one to the file, or use the --aws-* or --identity-issuer flags' });
  }
  return body;
}

export interface AwsRoleSpec {
  account: string;
  roleName: string;
  /** The role's unique ID (AROA...), to pin this very role. */
  roleId?: string;
  partition?: AwsPartition;
}

/**
 * The rule for sessions of one IAM role, whatever their session name (an EC2 instance ID, a
 * pod's session, ...). GetCallerIdentity reports such a caller as
 *   Arn    arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION
 *   UserId ROLE_ID:SESSION   (the role's unique ID starts with AROA)
 * Both patterns are anchored and the role name is escaped, so "ci" cannot match "ci-admin".
 */
export function awsRoleRule(spec: AwsRoleSpec): AwsRule {
  const partition = spec.partition ?? 'aws';
  if (!ACCOUNT.test(spec.account)) throw new CliError('USAGE', `--aws-account-id must be a 12-digit AWS account ID, not "${spec.account}"`);
  if (!ROLE_NAME.test(spec.roleName)) {
    throw new CliError('USAGE', `--aws-role-name "${spec.roleName}" is not an IAM role name (1-64 of A-Z a-z 0-9 _ + = , . @ -)`);
  }
  if (spec.roleId !== undefined && !ROLE_ID.test(spec.roleId)) {
    throw new CliError('USAGE', `--aws-role-id must be the role's unique ID (AROA...), not "${spec.roleId}"`);
  }
  return {
    awsAccount: spec.account,
    arnPattern: `^arn:${partition}:sts::${spec.account}:assumed-role/${escapeRe2(spec.roleName)}/${SESSION}$`,
    userIdPattern: `^${spec.roleId ?? 'AROA[A-Z0-9]+'}:${SESSION}$`,
  };
}

export interface AwsUserSpec {
  account: string;
  userName: string;
  /** The user's unique ID (AIDA...), to pin this very user. */
  userId?: string;
  partition?: AwsPartition;
}

const USER_NAME = /^[\w+=,.@-]{1,64}$/;
const USER_ID = /^AIDA[A-Z0-9]{4,124}$/;

/**
 * The rule for one IAM user. GetCallerIdentity reports such a caller as
 *   Arn    arn:PARTITION:iam::ACCOUNT:user/[PATH/]USER
 *   UserId the user's unique ID (AIDA...)
 * The pattern is anchored and the name escaped, so "ci" cannot match "ci-admin".
 */
export function awsUserRule(spec: AwsUserSpec): AwsRule {
  const partition = spec.partition ?? 'aws';
  if (!ACCOUNT.test(spec.account)) throw new CliError('USAGE', `--aws-account-id must be a 12-digit AWS account ID, not "${spec.account}"`);
  if (!USER_NAME.test(spec.userName)) {
    throw new CliError('USAGE', `--aws-user-name "${spec.userName}" is not an IAM user name (1-64 of A-Z a-z 0-9 _ + = , . @ -)`);
  }
  if (spec.userId !== undefined && !USER_ID.test(spec.userId)) {
    throw new CliError('USAGE', `--aws-user-id must be the user's unique ID (AIDA...), not "${spec.userId}"`);
  }
  return {
    awsAccount: spec.account,
    arnPattern: `^arn:${partition}:iam::${spec.account}:user/(?:[\\w+=,.@-]+/)*${escapeRe2(spec.userName)}$`,
    ...(spec.userId ? { userId: spec.userId } : { userIdPattern: '^AIDA[A-Z0-9]+$' }),
  };
}
