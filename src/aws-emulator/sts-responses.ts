// STS's response bodies, byte-shaped like the real service's: XML by default, JSON when the
// client sends `Accept: application/json` (real STS honours that too).

import { AWS_FAULTS, type AwsFaultCode } from './aws-fault.js';
import { STS_NAMESPACE } from './constants.js';

export interface StsBody {
  contentType: string;
  body: string;
}

export interface CallerIdentity {
  Arn: string;
  UserId: string;
  Account: string;
}

/** True when the Accept header asks for `application/json` (any parameters, any position). */
export function wantsJson(accept: readonly string[] | undefined): boolean {
  return (accept ?? []).some((value) =>
    value.split(',').some((item) => item.split(';')[0]!.trim().toLowerCase() === 'application/json'),
  );
}

function xmlEscape(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function callerIdentityBody(identity: CallerIdentity, requestId: string, json: boolean): StsBody {
  if (json) {
    return {
      contentType: 'application/json',
      body: JSON.stringify({
        GetCallerIdentityResponse: {
          GetCallerIdentityResult: { Arn: identity.Arn, UserId: identity.UserId, Account: identity.Account },
          ResponseMetadata: { RequestId: requestId },
        },
      }),
    };
  }
  return {
    contentType: 'text/xml',
    body:
      `<GetCallerIdentityResponse xmlns="${STS_NAMESPACE}">\n` +
      `  <GetCallerIdentityResult>\n` +
      `    <Arn>${xmlEscape(identity.Arn)}</Arn>\n` +
      `    <UserId>${xmlEscape(identity.UserId)}</UserId>\n` +
      `    <Account>${xmlEscape(identity.Account)}</Account>\n` +
      `  </GetCallerIdentityResult>\n` +
      `  <ResponseMetadata>\n` +
      `    <RequestId>${requestId}</RequestId>\n` +
      `  </ResponseMetadata>\n` +
      `</GetCallerIdentityResponse>\n`,
  };
}

export function errorBody(code: AwsFaultCode, message: string, requestId: string, json: boolean): StsBody {
  const { type } = AWS_FAULTS[code];
  if (json) {
    return {
      contentType: 'application/json',
      body: JSON.stringify({ Error: { Type: type, Code: code, Message: message }, RequestId: requestId }),
    };
  }
  return {
    contentType: 'text/xml',
    body:
      `<ErrorResponse xmlns="${STS_NAMESPACE}">\n` +
      `  <Error>\n` +
      `    <Type>${type}</Type>\n` +
      `    <Code>${code}</Code>\n` +
      `    <Message>${xmlEscape(message)}</Message>\n` +
      `  </Error>\n` +
      `  <RequestId>${requestId}</RequestId>\n` +
      `</ErrorResponse>\n`,
  };
}
