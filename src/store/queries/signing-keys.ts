// The signing keys (the issuer's and the registry's), private parts included (the database is a secret).

import type { Selectable } from 'kysely';
import type { KeyPurpose, SigningKey } from '../contract.js';
import type { Db, SigningKeysTable } from '../schema.js';
import type { ConflictMessages } from '../store-error.js';

export function signingKeyConflicts(k: SigningKey): ConflictMessages {
  return { duplicate: `a signing key with kid ${k.kid} already exists` };
}

export async function insertSigningKey(db: Db, k: SigningKey): Promise<void> {
  await db.insertInto('signing_keys').values({
    kid: k.kid, alg: k.alg,
    private_jwk: JSON.stringify(k.privateJwk), public_jwk: JSON.stringify(k.publicJwk),
    created_at: k.createdAt, activates_at: k.activatesAt, retires_at: k.retiresAt, expires_at: k.expiresAt,
    purpose: k.purpose ?? 'issuer', certificate_pem: k.certificatePem ?? null,
  }).execute();
}

/** Every key of one purpose, ordered by kid. */
export async function listSigningKeys(db: Db, purpose: KeyPurpose): Promise<SigningKey[]> {
  const rows = await db.selectFrom('signing_keys').selectAll().where('purpose', '=', purpose).orderBy('kid').execute();
  return rows.map(fromRow);
}

export async function deleteSigningKey(db: Db, kid: string): Promise<boolean> {
  const r = await db.deleteFrom('signing_keys').where('kid', '=', kid).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

function fromRow(r: Selectable<SigningKeysTable>): SigningKey {
  return {
    kid: r.kid, alg: r.alg,
    ...(r.purpose !== 'issuer' ? { purpose: r.purpose } : {}),
    ...(r.certificate_pem !== null ? { certificatePem: r.certificate_pem } : {}),
    privateJwk: JSON.parse(r.private_jwk) as Record<string, unknown>,
    publicJwk: JSON.parse(r.public_jwk) as Record<string, unknown>,
    createdAt: r.created_at, activatesAt: r.activates_at, retiresAt: r.retires_at, expiresAt: r.expires_at,
  };
}
