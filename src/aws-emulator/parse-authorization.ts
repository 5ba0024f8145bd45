// Parses a SigV4 `Authorization` header into its parts, strictly.
// Parses attacker-controlled input: any local client's header value.

import { AwsFault, AWS_MESSAGES } from './aws-fault.js';
import { SIGV4_ALGORITHM } from './constants.js';

export interface SigV4Authorization {
  accessKeyId: string;
  /** Credential scope: `YYYYMMDD`, region, service and terminator, unvalidated beyond shape. */
  scope: { date: string; region: string; service: string; terminator: string };
  /** Lower-case header names, in the order the client listed them. */
  signedHeaders: string[];
  /** 64 lower-case hex digits. */
  signature: string;
}

const ACCESS_KEY_ID = /^[A-Z0-9]{4,128}$/;
const SCOPE_DATE = /^\d{8}$/;
const SCOPE_PART = /^[a-z0-9-]{1,64}$/;
const TERMINATOR = /^[a-z0-9_]{1,32}$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
const SIGNATURE = /^[0-9a-f]{64}$/;

function incomplete(message: string, detail?: Record<string, unknown>): AwsFault {
  return new AwsFault('IncompleteSignature', message, detail);
}

/**
 * `AWS4-HMAC-SHA256 Credential=AKID/20241128/us-east-1/sts/aws4_request,
 *  SignedHeaders=host;x-amz-date, Signature=<hex>` → its parts.
 * @throws AwsFault IncompleteSignature for a malformed header, SignatureDoesNotMatch for a
 *   signature that is not 64 hex digits (it can match nothing).
 */
export function parseAuthorization(value: string): SigV4Authorization {
  const space = value.indexOf(' ');
  const algorithm = space === -1 ? value : value.slice(0, space);
  if (algorithm !== SIGV4_ALGORITHM) {
    throw incomplete(`Unsupported AWS 'algorithm': '${algorithm.slice(0, 40)}'`);
  }
  const params = new Map<string, string>();
  for (const part of value.slice(space + 1).split(',')) {
    const item = part.trim();
    const eq = item.indexOf('=');
    const name = eq === -1 ? item : item.slice(0, eq);
    if (!['Credential', 'SignedHeaders', 'Signature'].includes(name)) {
      throw incomplete(`Authorization header has an unexpected parameter '${name.slice(0, 40)}'`);
    }
    if (params.has(name)) throw incomplete(`Authorization header has '${name}' more than once`);
    params.set(name, item.slice(eq + 1));
  }
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((n) => !params.has(n));
  if (missing.length > 0) {
    throw incomplete(missing.map((n) => `Authorization header requires '${n}' parameter.`).join(' '));
  }

  const credential = params.get('Credential')!.split('/');
  const [accessKeyId = '', date = '', region = '', service = '', terminator = ''] = credential;
  if (
    credential.length !== 5 ||
    !ACCESS_KEY_ID.test(accessKeyId) ||
    !SCOPE_DATE.test(date) ||
    !SCOPE_PART.test(region) ||
    !SCOPE_PART.test(service) ||
    !TERMINATOR.test(terminator)
  ) {
    throw incomplete('Authorization header Credential must be ACCESS_KEY_ID/YYYYMMDD/REGION/SERVICE/aws4_request');
  }

  const signedHeaders = params.get('SignedHeaders')!.split(';');
  for (const name of signedHeaders) {
    if (!HEADER_NAME.test(name)) {
      throw incomplete('Authorization header SignedHeaders must be lower-case header names separated by ;');
    }
  }
  if (new Set(signedHeaders).size !== signedHeaders.length) {
    throw incomplete('Authorization header SignedHeaders lists a header twice');
  }

  const signature = params.get('Signature')!;
  if (!SIGNATURE.test(signature)) {
    throw new AwsFault('SignatureDoesNotMatch', AWS_MESSAGES.signatureMismatch, { reason: 'signature is not 64 hex digits' });
  }
  return { accessKeyId, scope: { date, region, service, terminator }, signedHeaders, signature };
}
