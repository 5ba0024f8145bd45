// The one table from a server error code to what the person at the terminal should do next.
// The server's code is always shown; its message says what failed.

import { BUILTIN_ROLES, type Capability } from './iam-ids.js';
import { CliError } from './cli-error.js';

/** What a request was for, in words, to explain its refusal. */
export interface Operation {
  /** E.g. 'create identity "aws-instance" in acme' (read after "cannot"). */
  what: string;
  /** The capability the request needs, e.g. identity.create. */
  capability?: Capability;
  /** Where that capability is needed (a group name or UIDP, as the user wrote it). */
  where?: string;
  /** The `latchkey iam` resource involved, e.g. "identities", for "list them with ...". */
  resource?: string;
}

export interface ApiFailure {
  status: number;
  body: unknown;
  op: Operation;
  /** The UIDP of the caller, when known. */
  caller?: string;
  /** "METHOD URL -> status", for -v. */
  trace: string;
  retryAfter?: string;
}

/** The least built-in role that grants a capability. */
export function leastRoleFor(capability: Capability): string {
  return BUILTIN_ROLES.find((r) => r.capabilities.includes(capability))?.name ?? 'owner';
}

const LOGIN_AGAIN = 'log in again with `latchkey auth login` (workloads: the same `--identity ...` login as before)';
const AWS_RULE = 'the AWS caller (see `aws sts get-caller-identity`) does not match the identity\'s AWS rule; compare it with `latchkey iam identities describe ID`';
const REBUILD = 'build the token again with `latchkey aws token --identity ID` (or log in with `--identity-provider aws`)';

function hintFor(code: string, f: ApiFailure): string {
  const { op } = f;
  const list = op.resource ? `; list what you can see with \`latchkey iam ${op.resource} list\`` : '';
  switch (code) {
    case 'PERMISSION_DENIED': {
      const who = f.caller ? `identity ${f.caller}` : 'you';
      if (!op.capability || !op.where) {
        return `${f.caller ? `${who} lacks` : 'you lack'} ${op.capability ?? 'the capability this needs'}; ask an owner of the location for a role binding`;
      }
      const id = f.caller ?? 'YOUR_IDENTITY';
      return `${who} has no role binding that grants ${op.capability} in ${op.where}; ask an owner to run `
        + `\`latchkey iam rolebinding create --identity ${id} --role ${leastRoleFor(op.capability)} --parent ${op.where}\``;
    }
    case 'UNAUTHENTICATED': case 'TOKEN_INVALID': case 'TOKEN_EXPIRED':
      return LOGIN_AGAIN;
    case 'TOKEN_WRONG_AUDIENCE':
      return 'the token was minted for another audience: check platform.audience with `latchkey config view`, then log in again';
    case 'NOT_FOUND':
      return `it does not exist, or you cannot see it${list}`;
    case 'ALREADY_EXISTS':
      return `pick another name, or change the existing one with \`latchkey iam ${op.resource ?? '...'} update\``;
    case 'INVALID_ARGUMENT': case 'BAD_REQUEST': case 'AWS_RULE_INVALID': case 'EXCHANGE_BAD_REQUEST':
      return 'fix the input and try again; nothing was changed';
    case 'FAILED_PRECONDITION':
      return 'nothing was changed';
    case 'STORE_CONFLICT':
      return `nothing was changed: it exists already, or what it refers to was just deleted${list}`;
    case 'IDENTITY_NOT_FOUND':
      return 'check the UIDP given to --identity (an owner can list them with `latchkey iam identities list`)';
    case 'IDENTITY_NOT_ASSUMABLE':
      return 'that identity has no AWS rule; give it one with `latchkey iam identities update ID --aws-account ...`';
    case 'CREDENTIAL_REPLAYED':
      return 'the server accepts each identity token once: present a new one (`latchkey aws token` signs a new request every time)';
    case 'CAPABILITY_NOT_GRANTED':
      return 'the identity\'s role bindings do not grant that capability; ask an owner for a role binding';
    case 'AWS_ACCOUNT_MISMATCH': case 'AWS_ARN_MISMATCH': case 'AWS_USER_ID_MISMATCH': case 'AWS_PARTITION_MISMATCH':
      return AWS_RULE;
    case 'AWS_TOKEN_EXPIRED': case 'AWS_TOKEN_NOT_YET_VALID': case 'AWS_TOKEN_BAD_DATE':
      return `AWS tokens are valid for 15 minutes: check this machine's clock, then ${REBUILD}`;
    case 'AWS_TOKEN_AUDIENCE_MISMATCH':
      return `the token is bound to another issuer: ${REBUILD} against this issuer (platform.issuer)`;
    case 'AWS_TOKEN_IDENTITY_MISMATCH':
      return 'the token is bound to another identity: give the same UIDP to --identity as when building it';
    case 'AWS_TOKEN_HOST_NOT_ALLOWED': case 'AWS_TOKEN_REGION_MISMATCH':
      return 'sign for the global sts.amazonaws.com (drop --aws-region and AWS_STS_REGIONAL_ENDPOINTS), or ask the operator to allow that region';
    case 'STS_REJECTED':
      return 'AWS STS refused the signature: the AWS credentials are invalid or expired';
    case 'STS_UNAVAILABLE': case 'STS_BAD_RESPONSE': case 'STORE_UNAVAILABLE':
      return `a service the server depends on is unavailable; try again${f.retryAfter ? ` in ${f.retryAfter} s` : ' later'}`;
    default:
      if (code.startsWith('AWS_TOKEN_')) return `the token is not a well-formed, signed GetCallerIdentity request: ${REBUILD}`;
      if (f.status >= 500) return 'the server failed; try again, and tell its operator if it persists';
      return 'nothing was changed; the server\'s message says what to fix';
  }
}

/** The CliError for a refused request. */
export function explainApiError(f: ApiFailure): CliError {
  const body = (typeof f.body === 'object' && f.body !== null ? f.body : {}) as { code?: unknown; message?: unknown };
  const code = typeof body.code === 'string' ? body.code : `HTTP_${f.status}`;
  const serverMessage = typeof body.message === 'string' ? body.message : undefined;
  // A write rule's refusal (grant, define, act as) names a capability other than the route's:
  // the server's words say which one on which group, and no binding of ours would be the fix.
  const writeRule = code === 'PERMISSION_DENIED' && serverMessage !== undefined && / lacks \S+ on \S+/.test(serverMessage);
  // For a missing binding our hint names the binding to create; the server's words go to -v.
  const say = serverMessage && (code !== 'PERMISSION_DENIED' || writeRule) ? `: ${serverMessage}` : '';
  if (writeRule) {
    const hint = 'you can only grant, put into a role, or take over (by changing who may assume an identity) capabilities you hold on that group; nothing was changed — ask someone who holds it there';
    return new CliError('SERVER_ERROR', `cannot ${f.op.what}${say}`, { serverCode: code, hint, details: [f.trace] });
  }
  const details = [f.trace, ...(serverMessage ? [`server: ${serverMessage}`] : [])];
  return new CliError('SERVER_ERROR', `cannot ${f.op.what}${say}`, { serverCode: code, hint: hintFor(code, f), details });
}
