// Reads the error code from an STS error answer (upstream bytes), only to tell throttling
// from refusal. Never returns STS's message: for SignatureDoesNotMatch it quotes the canonical
// request, session token included.

import { parseTinyXml } from './parse-tiny-xml.js';

/**
 * Codes that mean "try again later" (botocore's throttling and transient error codes,
 * botocore/data/_retry.json), so the upstream is at fault, not the caller.
 */
export const RETRYABLE_STS_ERROR_CODES: ReadonlySet<string> = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'RequestThrottled',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalError',
  'ServiceUnavailable',
]);

function isCode(s: unknown): s is string {
  return typeof s === 'string' && /^[A-Za-z][A-Za-z0-9.]{0,63}$/.test(s);
}

/** The `Code` of an STS error body (JSON `{"Error":{"Code":...}}` or XML `<ErrorResponse>`), if any. */
export function stsErrorCode(text: string): string | undefined {
  const t = text.trimStart();
  if (t.startsWith('{')) {
    try {
      const doc: unknown = JSON.parse(t);
      const err = typeof doc === 'object' && doc !== null ? (doc as { Error?: unknown }).Error : undefined;
      const code = typeof err === 'object' && err !== null ? (err as { Code?: unknown }).Code : undefined;
      return isCode(code) ? code : undefined;
    } catch {
      return undefined;
    }
  }
  const root = parseTinyXml(t);
  const error = root?.name === 'ErrorResponse' ? root.children.find((c) => c.name === 'Error') : undefined;
  const code = error?.children.find((c) => c.name === 'Code')?.text;
  return isCode(code) ? code : undefined;
}
