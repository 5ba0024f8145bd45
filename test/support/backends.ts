// The storage backends every shared suite runs against: a real SQLite file, and a real
// PostgreSQL server started once per test process (a fresh database per call).

import { after } from 'node:test';
import pg from 'pg';
import { startPostgres } from './postgres.js';

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** A fresh, empty database: undefined = SQLite in the test server's temp dir. */
  database(): Promise<string | undefined>;
}

let server: Promise<{ url: string; stop(): Promise<void> }> | undefined;
let counter = 0;

async function freshPostgresDatabase(): Promise<string> {
  if (!server) {
    server = startPostgres();
    after(async () => (await server!).stop());
  }
  const { url } = await server;
  const name = `lk_${process.pid}_${++counter}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export function backends(): Backend[] {
  return [
    { name: 'sqlite', database: async () => undefined },
    { name: 'postgres', database: freshPostgresDatabase },
  ];
}
