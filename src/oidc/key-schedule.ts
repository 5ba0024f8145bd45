// When each signing key is published, signs, and leaves the JWKS: pure functions of the stored
// key and the time, so every replica holding the same keys serves the same JWKS and signs with
// the same key at the same moment, with nothing to coordinate.
//
//   createdAt                          a replica creates the successor (publishAt - CREATE_LEAD)
//   publishAt = min(activatesAt, createdAt + CREATE_LEAD)
//                                      it appears in the JWKS
//   activatesAt                        it starts signing
//   retiresAt                          its successor takes over
//   expiresAt                          its last token has expired: it leaves the JWKS
//
// The lead lets every replica learn of a new key (by notice, or by its periodic reload at the
// latest) before any of them publishes it.

import type { SigningKey } from '../store/contract.js';

/** Cache-Control max-age of the JWKS and discovery documents. */
export const JWKS_MAX_AGE_SECONDS = 300;
/**
 * The shortest safe --key-publish-ahead: a relying party may have fetched the JWKS just before
 * a key appeared and keep that copy for max-age; the margin covers clocks that differ between
 * replicas and relying parties, and caches that refresh late.
 */
export const MIN_PUBLISH_AHEAD_SECONDS = JWKS_MAX_AGE_SECONDS + 60;

/** How long a created key stays unpublished; longer than the periodic reload (KEY_RELOAD_MS). */
export const CREATE_LEAD_MS = 60_000;
/** Every replica reloads its keys at least this often, whether or not a notice came. */
export const KEY_RELOAD_MS = 30_000;

export function publishAt(k: SigningKey): number {
  return Math.min(Date.parse(k.activatesAt), Date.parse(k.createdAt) + CREATE_LEAD_MS);
}

export function isPublished(k: SigningKey, now: number): boolean {
  return publishAt(k) <= now && now < Date.parse(k.expiresAt);
}

/** The newest key that has activated and not retired; ties (two replicas raced) go to the lower kid. */
export function pickActive(keys: SigningKey[], now: number): SigningKey | undefined {
  let best: SigningKey | undefined;
  for (const k of keys) {
    if (Date.parse(k.activatesAt) > now || Date.parse(k.retiresAt) <= now) continue;
    if (!best || k.activatesAt > best.activatesAt || (k.activatesAt === best.activatesAt && k.kid < best.kid)) best = k;
  }
  return best;
}

/** The first moment after `now` at which pickActive or isPublished may answer differently. */
export function nextChange(keys: SigningKey[], now: number): number {
  let next = Infinity;
  for (const k of keys) {
    for (const t of [publishAt(k), Date.parse(k.activatesAt), Date.parse(k.retiresAt), Date.parse(k.expiresAt)]) {
      if (t > now && t < next) next = t;
    }
  }
  return next;
}
