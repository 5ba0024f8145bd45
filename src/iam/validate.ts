// Validation of IAM input fields. Parses untrusted input; every refusal says what to fix.

import { LatchkeyError } from '../errors/index.js';
import type { IamErrorCode } from './errors.js';
import { UIDP_FORMAT, isUidp } from './uidp.js';

export function invalid(message: string): LatchkeyError<IamErrorCode> {
  return new LatchkeyError<IamErrorCode>('INVALID_ARGUMENT', message);
}

/** A display name: 1–100 characters, no control characters, not blank. */
export function checkName(what: string, v: unknown): string {
  if (typeof v !== 'string' || v.trim() === '') throw invalid(`${what} name is required`);
  if (v.length > 100) throw invalid(`${what} name must be at most 100 characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(v)) throw invalid(`${what} name must not contain control characters`);
  return v;
}

export function checkDescription(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw invalid('description must be a string');
  if (v.length > 1000) throw invalid('description must be at most 1000 characters');
  return v;
}

export function checkUidp(what: string, v: unknown): string {
  if (!isUidp(v)) throw invalid(`${what} must be ${UIDP_FORMAT}`);
  return v;
}

export function notFound(what: string, id: string): LatchkeyError<IamErrorCode> {
  return new LatchkeyError<IamErrorCode>('NOT_FOUND', `${what} ${id} was not found (or you may not see it)`);
}
