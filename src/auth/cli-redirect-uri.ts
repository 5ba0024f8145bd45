// The CLI's redirect URI (RFC 8252 §7.3): plain http to a loopback IP literal with an explicit
// port. Not `localhost`, which a hostile resolver or hosts file can point elsewhere.

import { LatchkeyError } from '../errors/index.js';
import type { AuthErrorCode } from './errors.js';

/** The normalized redirect URI, or a refusal saying what it must look like. Parses untrusted input. */
export function checkCliRedirectUri(raw: string): string {
  const refuse = (why: string) => new LatchkeyError<AuthErrorCode>(
    'AUTH_REDIRECT_URI_INVALID', `redirect_uri ${why}: it must be http://127.0.0.1:PORT/PATH (or http://[::1]:PORT/PATH)`);
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw refuse('is not a URL');
  }
  if (u.protocol !== 'http:') throw refuse('must use http (the CLI listens on loopback)');
  if (u.hostname !== '127.0.0.1' && u.hostname !== '[::1]') throw refuse('must name a loopback IP address');
  if (u.port === '') throw refuse('must name a port');
  if (u.username || u.password || u.search || u.hash || raw.includes('#')) throw refuse('must not carry credentials, a query or a fragment');
  return u.href;
}
