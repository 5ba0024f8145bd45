// Reads the credentials of a token request from its Authorization header (attacker-controlled:
// strict and capped). Basic `_token:<Latchkey token>` (what the credential helper makes clients
// send), Basic `<pull token id>:<secret>`, or Bearer `<Latchkey token>`.

import { LatchkeyError } from '../errors/index.js';
import type { RegistryErrorCode } from './errors.js';

export type Credentials =
  | { kind: 'latchkey'; token: string }
  | { kind: 'pull_token'; username: string; secret: string };

const MAX_HEADER = 8192;
/** The user name that says "the password is a Latchkey token". */
export const TOKEN_USERNAME = '_token';

function bad(message: string): LatchkeyError<RegistryErrorCode> {
  return new LatchkeyError<RegistryErrorCode>('REGISTRY_BAD_REQUEST', message);
}

/** The credentials of the header, or undefined when there is none. */
export function parseCredentials(header: string | undefined): Credentials | undefined {
  if (header === undefined || header === '') return undefined;
  if (header.length > MAX_HEADER) throw bad('the Authorization header is too large');
  const m = /^(Basic|Bearer) ([A-Za-z0-9+/=._~-]+)$/i.exec(header);
  if (!m) throw bad('send credentials as Authorization: Basic (user _token, password a Latchkey token) or Bearer');
  if (m[1]!.toLowerCase() === 'bearer') return { kind: 'latchkey', token: m[2]! };
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(m[2]!)) throw bad('the Basic credentials are not base64');
  const decoded = Buffer.from(m[2]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw bad('the Basic credentials must be user:password');
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  if (password === '') throw bad('the Basic credentials have no password');
  if (username === TOKEN_USERNAME) return { kind: 'latchkey', token: password };
  return { kind: 'pull_token', username, secret: password };
}
