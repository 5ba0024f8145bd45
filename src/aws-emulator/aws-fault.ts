// The emulator's refusals: AWS's own error codes, each with the status real STS answers.
//
// These are not Latchkey's API errors (src/http/error-table.ts): the emulator stands in for
// AWS, so its codes and statuses are AWS's, and its messages copy AWS's wording so a client
// (botocore, the AWS CLI, Latchkey's own STS client) sees what it would see from AWS.

import { LatchkeyError } from '../errors/index.js';

export type AwsFaultCode =
  | 'MissingAuthenticationToken'
  | 'IncompleteSignature'
  | 'InvalidClientTokenId'
  | 'ExpiredToken'
  | 'SignatureDoesNotMatch'
  | 'MissingAction'
  | 'InvalidAction'
  | 'MalformedQueryString'
  | 'RequestEntityTooLarge'
  | 'InternalFailure';

/** The one table: code → HTTP status and AWS's fault type. */
export const AWS_FAULTS: Readonly<Record<AwsFaultCode, { status: number; type: 'Sender' | 'Receiver' }>> = {
  MissingAuthenticationToken: { status: 403, type: 'Sender' },
  IncompleteSignature: { status: 400, type: 'Sender' },
  InvalidClientTokenId: { status: 403, type: 'Sender' },
  ExpiredToken: { status: 400, type: 'Sender' },
  SignatureDoesNotMatch: { status: 403, type: 'Sender' },
  MissingAction: { status: 400, type: 'Sender' },
  InvalidAction: { status: 400, type: 'Sender' },
  MalformedQueryString: { status: 400, type: 'Sender' },
  RequestEntityTooLarge: { status: 413, type: 'Sender' },
  InternalFailure: { status: 500, type: 'Receiver' },
};

/** A refusal in AWS's terms. `message` goes to the client; `detail` only to the log. */
export class AwsFault extends LatchkeyError<AwsFaultCode> {}

/** AWS's wording for the common refusals, so every call site says the same thing. */
export const AWS_MESSAGES = {
  invalidToken: 'The security token included in the request is invalid.',
  expiredToken: 'The security token included in the request is expired',
  signatureMismatch:
    'The request signature we calculated does not match the signature you provided. ' +
    'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  missingAuth: 'Request is missing Authentication Token',
} as const;
