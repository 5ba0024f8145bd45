// Device codes (RFC 8628): looked up by device code (polling) or by user code (the device page).

import type { Selectable } from 'kysely';
import type { DeviceCode, DeviceCodeStatus } from '../../auth/records.js';
import type { Db, DeviceCodesTable } from '../schema.js';
import type { ConflictMessages } from '../store-error.js';

export const deviceCodeConflicts: ConflictMessages = {
  duplicate: 'this device code or user code is already in use',
  missingReference: 'the identity approving this device code does not exist',
};

export async function insertDeviceCode(db: Db, d: DeviceCode): Promise<void> {
  await db.insertInto('device_codes').values({
    device_code_hash: d.deviceCodeHash, user_code_hash: d.userCodeHash, client_id: d.clientId, status: d.status,
    identity_id: d.identity, poll_interval: d.interval, last_polled_at: d.lastPolledAt, created_at: d.createdAt, expires_at: d.expiresAt,
  }).execute();
}

export async function findDeviceCode(db: Db, by: { deviceCodeHash: string } | { userCodeHash: string }): Promise<DeviceCode | undefined> {
  const q = db.selectFrom('device_codes').selectAll();
  const r = await ('deviceCodeHash' in by
    ? q.where('device_code_hash', '=', by.deviceCodeHash)
    : q.where('user_code_hash', '=', by.userCodeHash)).executeTakeFirst();
  return r && fromRow(r);
}

/** Compare-and-set on the status: of two concurrent callers expecting the same status, one wins. */
export async function updateDeviceCode(db: Db, d: DeviceCode, expected: DeviceCodeStatus): Promise<boolean> {
  const r = await db.updateTable('device_codes')
    .set({ status: d.status, identity_id: d.identity, poll_interval: d.interval, last_polled_at: d.lastPolledAt })
    .where('device_code_hash', '=', d.deviceCodeHash)
    .where('status', '=', expected)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function deleteDeviceCode(db: Db, deviceCodeHash: string): Promise<boolean> {
  const r = await db.deleteFrom('device_codes').where('device_code_hash', '=', deviceCodeHash).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

export async function deleteExpiredDeviceCodes(db: Db, now: string): Promise<number> {
  const r = await db.deleteFrom('device_codes').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}

function fromRow(r: Selectable<DeviceCodesTable>): DeviceCode {
  return {
    deviceCodeHash: r.device_code_hash, userCodeHash: r.user_code_hash, clientId: r.client_id, status: r.status,
    identity: r.identity_id, interval: Number(r.poll_interval), lastPolledAt: r.last_polled_at, createdAt: r.created_at, expiresAt: r.expires_at,
  };
}
