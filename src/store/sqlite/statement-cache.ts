// Prepared statements, reused. Kysely's SQLite driver calls `prepare(sql)` for every query, and
// preparing (parsing and planning the SQL) cost more than running the exchange's identity
// lookup itself (bench/README.md). Kysely compiles the same parameterized SQL text for the same
// query shape, so statements are cached by that text: a bounded LRU, so that shapes with a
// varying number of parameters (multi-row inserts) cannot grow it without limit.

import type Database from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

const MAX_STATEMENTS = 256;

/** `db` as Kysely's SqliteDatabase, with `prepare` answered from a cache of statements. */
export function withStatementCache(db: Database.Database, max = MAX_STATEMENTS): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  return {
    prepare(sql: string) {
      const hit = cache.get(sql);
      // A statement still iterating (a streamed query) cannot run again: prepare a fresh one.
      if (hit !== undefined && !hit.busy) {
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const stmt = db.prepare(sql);
      if (hit === undefined) {
        cache.set(sql, stmt);
        if (cache.size > max) cache.delete(cache.keys().next().value!);
      }
      return stmt;
    },
    close() {
      cache.clear();
      db.close();
    },
  };
}
