// STS at `/`: GetCallerIdentity, with the action in the query (curl, the Go SDK) or in a form
// body (botocore, the AWS SDKs), answered only after the SigV4 signature checks out.

import { AwsFault } from './aws-fault.js';
import { HEADER, STS_ACTION, STS_SERVICE, STS_VERSION } from './constants.js';
import type { CredentialRecord } from './credential-store.js';
import { parseSigV4Query } from './parse-sigv4-query.js';
import type { ReceivedRequest } from './received-request.js';
import type { CallerIdentity } from './sts-responses.js';
import { verifySigV4 } from './verify-sigv4.js';

export interface StsContext {
  now: Date;
  lookup: (accessKeyId: string) => CredentialRecord | undefined;
}

export interface StsOutcome {
  identity: CallerIdentity;
  accessKeyId: string;
}

/** The request's parameters: its query, plus its body when that is a form. */
function parameters(req: ReceivedRequest): Map<string, string[]> {
  const params = new Map<string, string[]>();
  const add = (name: string, value: string): void => {
    params.set(name, [...(params.get(name) ?? []), value]);
  };
  for (const [name, value] of Object.entries(parseSigV4Query(req.rawQuery))) {
    for (const v of Array.isArray(value) ? value : [value]) add(name, v);
  }
  const contentType = req.headers.get(HEADER.contentType)?.[0]?.split(';')[0]?.trim().toLowerCase();
  if (req.method === 'POST' && contentType === 'application/x-www-form-urlencoded') {
    for (const [name, value] of new URLSearchParams(req.body.toString('utf8'))) add(name, value);
  }
  return params;
}

/**
 * Answers one STS request. Parses attacker-controlled input (any local client's request).
 * @throws AwsFault with AWS's code (InvalidAction, the SigV4 refusals, ...).
 */
export async function handleSts(req: ReceivedRequest, ctx: StsContext): Promise<StsOutcome> {
  const params = parameters(req);
  const actions = params.get('Action') ?? [];
  if (actions.length === 0) throw new AwsFault('MissingAction', 'Missing Action');
  const version = params.get('Version')?.join(',') ?? '';
  if (actions.length > 1 || actions[0] !== STS_ACTION || version !== STS_VERSION) {
    throw new AwsFault('InvalidAction', `Could not find operation ${actions.join(',').slice(0, 64)} for version ${version.slice(0, 32)}`);
  }
  const { record } = await verifySigV4(req, { service: STS_SERVICE, now: ctx.now, lookup: ctx.lookup });
  const principal = record.principal;
  if (!principal) throw new AwsFault('InternalFailure', 'An internal error occurred', { reason: 'key without principal' });
  return {
    identity: { Arn: principal.arn, UserId: principal.userId, Account: principal.account },
    accessKeyId: record.accessKeyId,
  };
}
