// Random secrets, their hashes, user codes and PKCE, from node:crypto.

import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** A fresh 256-bit secret, base64url, with a prefix that secret scanners can match. */
export function newSecret(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** SHA-256, hex: how every secret is stored and looked up. */
export function sha256(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

/** Equality that takes the same time wherever the strings differ. */
export function sameSecret(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

// RFC 8628 §6.1: consonants only (no words), no look-alikes; 20^8 ≈ 2^34.6.
const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';

/** A user code as people type it: XXXX-XXXX. */
export function newUserCode(): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return `${s.slice(0, 4)}-${s.slice(4)}`;
}

/** A typed user code normalized (case, dashes, spaces), or undefined. Parses untrusted input. */
export function normalizeUserCode(raw: string): string | undefined {
  if (raw.length > 32) return undefined;
  const s = raw.toUpperCase().replace(/[\s-]/g, '');
  if (s.length !== 8 || ![...s].every((c) => USER_CODE_ALPHABET.includes(c))) return undefined;
  return `${s.slice(0, 4)}-${s.slice(4)}`;
}

/** RFC 7636 §4.1 code_verifier syntax. */
export const PKCE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
/** An S256 code_challenge: base64url of a SHA-256. */
export const PKCE_S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** True when `verifier` hashes (S256) to `challenge`. */
export function pkceMatches(verifier: string, challenge: string): boolean {
  const computed = createHash('sha256').update(verifier, 'ascii').digest('base64url');
  return sameSecret(computed, challenge);
}
