// The storage backends every shared suite runs against: a real SQLite file, and a real
// PostgreSQL server started once per test process (a fresh database per call).

import { after } from 'node:test';
import { startPostgres, type PostgresServer } from './postgres.js';

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** A fresh, empty database: undefined = SQLite in the test server's temp dir. */
  database(): Promise<string | undefined>;
}

let server: Promise<PostgresServer> | undefined;

// Root-level hook: the server lives until every suite of this test file has finished.
after(async () => {
  if (server) await (await server).stop();
});

async function freshPostgresDatabase(): Promise<string> {
  server ??= startPostgres();
  return (await server).createDatabase();
}

export function backends(): Backend[] {
  return [
    { name: 'sqlite', database: async () => undefined },
    { name: 'postgres', database: freshPostgresDatabase },
  ];
}
