// The audit log: append-only, listed newest first.

import type { Selectable } from 'kysely';
import type { AuditEvent } from '../../iam/types.js';
import type { AuditQuery } from '../contract.js';
import { inTree, pageLimit } from '../page.js';
import type { AuditEventsTable, Db } from '../schema.js';
import type { ConflictMessages } from '../store-error.js';

export function auditConflicts(e: AuditEvent): ConflictMessages {
  return { duplicate: `an audit event with id ${e.id} already exists` };
}

export async function insertAudit(db: Db, e: AuditEvent): Promise<void> {
  await db.insertInto('audit_events').values(toRow(e)).execute();
}

/** Rows per statement of insertAudits: a power of two, and far under either backend's cap on parameters. */
const MAX_AUDIT_ROWS = 64;

/**
 * Inserts many events (with `skipExisting`, events whose id is already stored are skipped: a
 * batch retried after a failure whose outcome was unknown is written once) in multi-row statements of 64, 32, 16, ... 1 rows: one statement per
 * up to 64 events, and only 7 distinct SQL texts, so the backends' prepared statements are reused.
 */
export async function insertAudits(db: Db, events: readonly AuditEvent[], skipExisting = false): Promise<void> {
  let i = 0;
  while (i < events.length) {
    let n = MAX_AUDIT_ROWS;
    while (n > events.length - i) n >>= 1;
    const insert = db.insertInto('audit_events').values(events.slice(i, i + n).map(toRow));
    await (skipExisting ? insert.onConflict((oc) => oc.column('id').doNothing()) : insert).execute();
    i += n;
  }
}

function toRow(e: AuditEvent): AuditEventsTable {
  return {
    id: e.id, at: e.at, actor: e.actor, action: e.action, target: e.target,
    group_id: e.group, remote_addr: e.remoteAddr, details: JSON.stringify(e.details),
  };
}

/**
 * Events whose group or target is `within` or lies beneath it, newest first (at, then id,
 * descending). `after` is the id of the last event of the previous page.
 */
export async function listAudit(db: Db, q: AuditQuery): Promise<AuditEvent[]> {
  let query = db.selectFrom('audit_events').selectAll();
  if (q.within !== undefined) {
    const within = q.within;
    query = query.where((eb) => eb.or([inTree(eb.ref('group_id'), within), inTree(eb.ref('target'), within)]));
  }
  if (q.after !== undefined) {
    const afterId = q.after;
    const afterAt = db.selectFrom('audit_events').select('at').where('id', '=', afterId);
    query = query.where((eb) => eb.or([
      eb('at', '<', afterAt),
      eb.and([eb('at', '=', afterAt), eb('id', '<', afterId)]),
    ]));
  }
  const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(pageLimit(q.limit)).execute();
  return rows.map(fromRow);
}

function fromRow(r: Selectable<AuditEventsTable>): AuditEvent {
  return {
    id: r.id, at: r.at, actor: r.actor, action: r.action, target: r.target,
    group: r.group_id, remoteAddr: r.remote_addr,
    details: JSON.parse(r.details) as Record<string, unknown>,
  };
}
