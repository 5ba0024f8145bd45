// The emulator's memory of the temporary credentials it issued: access key → secret, session
// token, expiry and principal. Randomness is node:crypto's; nothing is persisted.

import { randomBytes } from 'node:crypto';
import { ROTATE_BEFORE_EXPIRY_MS } from './constants.js';
import type { ResolvedPrincipal } from './principals.js';

/** Temporary credentials as a client uses them (the shape of `aws configure export-credentials`). */
export interface IssuedCredentials {
  /** `ASIA` + 16 characters, 20 in all. */
  accessKeyId: string;
  /** 40 characters. */
  secretAccessKey: string;
  sessionToken: string;
  /** ISO 8601 without milliseconds, e.g. `2024-11-28T23:01:55Z`. */
  expiration: string;
}

/** What the verifier needs to know about one access key. */
export interface CredentialRecord {
  accessKeyId: string;
  secretAccessKey: string;
  /** Absent for long-term (AKIA) keys, which the emulator never issues but the verifier supports. */
  sessionToken?: string;
  expiresAt?: Date;
  principal?: ResolvedPrincipal;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
// Keys expired longer than this are forgotten (then AWS, too, calls them invalid, not expired).
const FORGET_AFTER_MS = 24 * 3600 * 1000;

/** RFC 4648 base32 of 10 random bytes: 16 characters, 80 bits. */
function randomKeySuffix(): string {
  const bytes = randomBytes(10);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class CredentialStore {
  readonly #byKey = new Map<string, CredentialRecord>();
  // The credentials IMDS and the container endpoint currently hand out, per principal index.
  readonly #current = new Map<number, IssuedCredentials>();
  readonly #clock: () => Date;

  constructor(clock: () => Date) {
    this.#clock = clock;
  }

  /** Mints fresh credentials for `principal`, valid for `ttlSeconds` (or already expired). */
  issue(principal: ResolvedPrincipal, ttlSeconds: number, expired = false): IssuedCredentials {
    const now = this.#clock().getTime();
    this.#forgetLongExpired(now);
    const expiresAt = new Date(expired ? now - 60_000 : now + ttlSeconds * 1000);
    const record: Required<CredentialRecord> = {
      accessKeyId: 'ASIA' + randomKeySuffix(),
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(96).toString('base64'),
      expiresAt,
      principal,
    };
    this.#byKey.set(record.accessKeyId, record);
    return {
      accessKeyId: record.accessKeyId,
      secretAccessKey: record.secretAccessKey,
      sessionToken: record.sessionToken,
      expiration: isoSeconds(expiresAt),
    };
  }

  /** The credentials an instance/task currently gets, rotated shortly before they expire. */
  current(index: number, principal: ResolvedPrincipal, ttlSeconds: number): IssuedCredentials {
    const held = this.#current.get(index);
    if (held && Date.parse(held.expiration) - this.#clock().getTime() > ROTATE_BEFORE_EXPIRY_MS) return held;
    const fresh = this.issue(principal, ttlSeconds);
    this.#current.set(index, fresh);
    return fresh;
  }

  lookup(accessKeyId: string): CredentialRecord | undefined {
    return this.#byKey.get(accessKeyId);
  }

  #forgetLongExpired(now: number): void {
    for (const [key, record] of this.#byKey) {
      if (record.expiresAt && now - record.expiresAt.getTime() > FORGET_AFTER_MS) this.#byKey.delete(key);
    }
  }
}
