// The shared shape of every list: a position filter (children or descendants of a UIDP),
// keyset paging on id, ordered by id, at most 1001 rows (a full page and one row of lookahead).

import { sql, type Expression, type SqlBool } from 'kysely';
import { descendantRange } from '../iam/uidp.js';
import type { Page, TreeFilter } from './contract.js';

/** The API's largest page. */
export const MAX_PAGE = 1000;

/**
 * The row limit for `limit`: 1000 when absent, capped at 1001 — the API's largest page plus the
 * one row the IAM layer reads ahead to know whether there is a next page (with a cap of 1000,
 * a list of more than 1000 records never said so at the default page size).
 */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return MAX_PAGE;
  if (!Number.isInteger(limit) || limit < 1) throw new TypeError(`page limit must be a positive integer, got ${limit}`);
  return Math.min(limit, MAX_PAGE + 1);
}

/**
 * Conditions for `q`'s position filter and `after` on a table whose UIDP column is `id` and
 * whose parent column is `parent`. Descendants are a range scan on the id index: every
 * descendant d of x satisfies x + "/" <= d < x + "0" in byte order.
 */
export function positionConditions(q: TreeFilter & Page, columns: { id: string; parent: string }): Expression<SqlBool>[] {
  if (q.childrenOf !== undefined && q.descendantsOf !== undefined) {
    throw new TypeError('childrenOf and descendantsOf cannot be combined');
  }
  const id = sql.ref(columns.id);
  const out: Expression<SqlBool>[] = [];
  if (q.childrenOf !== undefined) out.push(sql<SqlBool>`${sql.ref(columns.parent)} = ${q.childrenOf}`);
  if (q.descendantsOf !== undefined) out.push(inRange(id, q.descendantsOf));
  if (q.after !== undefined) out.push(sql<SqlBool>`${id} > ${q.after}`);
  return out;
}

/** `column` lies strictly beneath `uidp`. */
export function inRange(column: Expression<unknown>, uidp: string): Expression<SqlBool> {
  const { lower, upper } = descendantRange(uidp);
  return sql<SqlBool>`(${column} >= ${lower} and ${column} < ${upper})`;
}

/** `column` is `uidp` or lies beneath it. */
export function inTree(column: Expression<unknown>, uidp: string): Expression<SqlBool> {
  return sql<SqlBool>`(${column} = ${uidp} or ${inRange(column, uidp)})`;
}
