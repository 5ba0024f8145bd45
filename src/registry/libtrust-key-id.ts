// The key ID Distribution 2.8 looks a token's `kid` up by (libtrust's KeyID): SHA-256 of the
// public key's DER SubjectPublicKeyInfo, its first 240 bits in base32 (RFC 4648 alphabet, no
// padding), in groups of four characters joined by ':'.

import { createHash, createPublicKey, type JsonWebKey } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** The libtrust key ID of a public key given as a JWK. */
export function libtrustKeyId(publicJwk: JsonWebKey): string {
  const spki = createPublicKey({ key: publicJwk, format: 'jwk' }).export({ type: 'spki', format: 'der' });
  const digest = createHash('sha256').update(spki).digest().subarray(0, 30);
  const groups = base32(digest).match(/.{1,4}/g) ?? [];
  return groups.join(':');
}

/** RFC 4648 base32 without padding (30 bytes encode to exactly 48 characters). */
function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}
