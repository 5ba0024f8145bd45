// The AWS identities the emulator answers for: validation, derived ids and ARNs, and the
// `ACCOUNT:ROLE[:SESSION]` spec string of the CLI's `--principal` flag.

import { createHash } from 'node:crypto';

export type AwsPartition = 'aws' | 'aws-cn' | 'aws-us-gov';

/** One assumed-role session the emulator can issue credentials for. */
export interface EmulatedPrincipal {
  /** 12-digit AWS account id. */
  account: string;
  /** IAM role name (no path). */
  roleName: string;
  /** Role session name; on EC2 this is the instance id, e.g. `i-00c1356891c5a1b2e`. */
  sessionName: string;
  /** The role's unique id (`AROA...`); a stable one is derived from account and role when absent. */
  roleId?: string;
  /** ARN partition; default `aws`. */
  partition?: AwsPartition;
}

/** A validated principal with every derived field filled in. */
export interface ResolvedPrincipal extends Required<EmulatedPrincipal> {
  /** `arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION`, what GetCallerIdentity reports. */
  arn: string;
  /** `ROLEID:SESSION`, what GetCallerIdentity reports as UserId. */
  userId: string;
  /** `arn:PARTITION:iam::ACCOUNT:role/ROLE`, what the container endpoint reports. */
  roleArn: string;
}

const ACCOUNT = /^\d{12}$/;
// IAM's documented charsets: role names 1..64 of [\w+=,.@-], session names 2..64 of the same.
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const ROLE_ID = /^AROA[A-Z0-9]{8,124}$/;
const PARTITIONS: readonly AwsPartition[] = ['aws', 'aws-cn', 'aws-us-gov'];
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A stable `AROA` + 17-character unique id for a role, like the ones IAM assigns. */
export function deriveRoleId(account: string, roleName: string): string {
  const digest = createHash('sha256').update(`${account}:${roleName}`).digest();
  let id = 'AROA';
  for (let i = 0; i < 17; i++) id += BASE32[digest[i]! % 32];
  return id;
}

/** A stable EC2-style instance id (`i-` + 17 hex digits) for a principal given no session name. */
export function deriveInstanceId(account: string, roleName: string): string {
  return 'i-' + createHash('sha256').update(`instance:${account}:${roleName}`).digest('hex').slice(0, 17);
}

/**
 * Checks a principal and fills in the derived fields.
 * @throws TypeError naming the field that is wrong.
 */
export function resolvePrincipal(p: EmulatedPrincipal): ResolvedPrincipal {
  if (typeof p !== 'object' || p === null) throw new TypeError('principal must be an object');
  if (!ACCOUNT.test(p.account)) {
    throw new TypeError(`principal account must be exactly 12 digits, got ${JSON.stringify(p.account)}`);
  }
  if (!ROLE_NAME.test(p.roleName)) {
    throw new TypeError(
      `principal roleName must be 1-64 characters of letters, digits and +=,.@_-, got ${JSON.stringify(p.roleName)}`,
    );
  }
  if (!SESSION_NAME.test(p.sessionName)) {
    throw new TypeError(
      `principal sessionName must be 2-64 characters of letters, digits and +=,.@_-, got ${JSON.stringify(p.sessionName)}`,
    );
  }
  const partition = p.partition ?? 'aws';
  if (!PARTITIONS.includes(partition)) {
    throw new TypeError(`principal partition must be one of ${PARTITIONS.join(', ')}, got ${JSON.stringify(partition)}`);
  }
  const roleId = p.roleId ?? deriveRoleId(p.account, p.roleName);
  if (!ROLE_ID.test(roleId)) {
    throw new TypeError(`principal roleId must be AROA followed by upper-case letters and digits, got ${JSON.stringify(roleId)}`);
  }
  return {
    account: p.account,
    roleName: p.roleName,
    sessionName: p.sessionName,
    roleId,
    partition,
    arn: `arn:${partition}:sts::${p.account}:assumed-role/${p.roleName}/${p.sessionName}`,
    userId: `${roleId}:${p.sessionName}`,
    roleArn: `arn:${partition}:iam::${p.account}:role/${p.roleName}`,
  };
}

/**
 * Parses the `--principal` flag's `ACCOUNT:ROLE[:SESSION]`. Without a session, an EC2-style
 * instance id derived from account and role is used, so the same flag gives the same ARN.
 *
 * @example parsePrincipalSpec('452336408843:access_to_chainguard_org:i-00c1356891c5a1b2e')
 * @throws TypeError saying which part is wrong and what shape is expected.
 */
export function parsePrincipalSpec(spec: string): EmulatedPrincipal {
  const shape = 'expected ACCOUNT:ROLE[:SESSION], e.g. 123456789012:my-role:i-0123456789abcdef0';
  if (typeof spec !== 'string') throw new TypeError(`principal spec must be a string; ${shape}`);
  const parts = spec.split(':');
  if (parts.length < 2 || parts.length > 3) {
    throw new TypeError(`invalid principal spec ${JSON.stringify(spec)}: ${shape}`);
  }
  const [account = '', roleName = '', session] = parts;
  if (!ACCOUNT.test(account)) {
    throw new TypeError(`invalid principal spec ${JSON.stringify(spec)}: ACCOUNT must be exactly 12 digits; ${shape}`);
  }
  if (!ROLE_NAME.test(roleName)) {
    throw new TypeError(
      `invalid principal spec ${JSON.stringify(spec)}: ROLE must be 1-64 characters of letters, digits and +=,.@_-; ${shape}`,
    );
  }
  if (session !== undefined && !SESSION_NAME.test(session)) {
    throw new TypeError(
      `invalid principal spec ${JSON.stringify(spec)}: SESSION must be 2-64 characters of letters, digits and +=,.@_-; ${shape}`,
    );
  }
  return { account, roleName, sessionName: session ?? deriveInstanceId(account, roleName) };
}
