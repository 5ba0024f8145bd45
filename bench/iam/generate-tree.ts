// A generated IAM tree for bench/iam: one organization, groups up to 10 levels deep,
// identities spread over them, role bindings on each identity's own group or an ancestor.
// Deterministic (seeded), so every run and both backends get the same shape.
//
// Schema and migrations come from the real store (`migrate()`); the rows are then written
// with SQL directly, in bulk, for speed — shaped exactly as src/store/queries/*.ts writes them.
// Everything the benchmark measures afterwards goes through the real code.

import Database from 'better-sqlite3';
import pg from 'pg';
import { builtinRoleId } from '../../src/iam/index.js';
import type { AwsIdentityRule } from '../../src/iam/types.js';
import { openStore } from '../../src/store/index.js';
import { IamService } from '../../src/iam/index.js';
import { mulberry32 as rng } from '../../test/support/prng.js';

export interface TreeSpec {
  groups: number;
  identities: number;
  bindings: number;
  /** Deepest level (the organization is level 1). */
  maxDepth: number;
}

export interface GeneratedTree {
  org: string;
  /** org → ... → the deepest folder, one group per level. */
  chain: string[];
  /** Folders with at least 100 identities beneath them (the pages to list). */
  listFolders: string[];
  groups: Array<{ id: string; parent: string | null; depth: number }>;
  identities: Array<{ id: string; group: string }>;
  bindings: Array<{ id: string; group: string; identity: string; role: string }>;
}

const ROLES = ['viewer', 'editor', 'owner'].map(builtinRoleId);
const NOW = '2025-06-01T00:00:00.000Z';

function hex(rand: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(rand() * 16).toString(16);
  return s;
}

export function generateTree(spec: TreeSpec, seed = 42): GeneratedTree {
  const rand = rng(seed);
  const org = hex(rand, 40);
  const groups: GeneratedTree['groups'] = [{ id: org, parent: null, depth: 1 }];
  // A chain to the deepest level first, so "deep in the tree" exists at every size.
  const chain = [org];
  while (chain.length < spec.maxDepth) {
    const id = `${chain[chain.length - 1]}/${hex(rand, 16)}`;
    groups.push({ id, parent: chain[chain.length - 1]!, depth: chain.length + 1 });
    chain.push(id);
  }
  // Then a random recursive tree: each new group under a uniformly chosen group that may
  // still have children (depth < maxDepth).
  const open = groups.filter((g) => g.depth < spec.maxDepth);
  while (groups.length < spec.groups) {
    const parent = open[Math.floor(rand() * open.length)]!;
    const g = { id: `${parent.id}/${hex(rand, 16)}`, parent: parent.id, depth: parent.depth + 1 };
    groups.push(g);
    if (g.depth < spec.maxDepth) open.push(g);
  }
  // Identities: 200 in the deepest folder, the rest in random groups.
  const identities: GeneratedTree['identities'] = [];
  const deepest = chain[chain.length - 1]!;
  for (let i = 0; i < Math.min(200, spec.identities); i++) identities.push({ id: `${deepest}/${hex(rand, 16)}`, group: deepest });
  while (identities.length < spec.identities) {
    const g = groups[Math.floor(rand() * groups.length)]!;
    identities.push({ id: `${g.id}/${hex(rand, 16)}`, group: g.id });
  }
  // Bindings: a random identity holds a random built-in role on its group or an ancestor.
  const bindings: GeneratedTree['bindings'] = [];
  const seen = new Set<string>();
  while (bindings.length < spec.bindings) {
    const who = identities[Math.floor(rand() * identities.length)]!;
    const ancestors = [who.group];
    for (let p = who.group; p.lastIndexOf('/') > 0; ) ancestors.push((p = p.slice(0, p.lastIndexOf('/'))));
    const group = ancestors[Math.floor(rand() * ancestors.length)]!;
    const role = ROLES[Math.floor(rand() * ROLES.length)]!;
    const key = `${group} ${who.id} ${role}`;
    if (seen.has(key)) continue;
    seen.add(key);
    bindings.push({ id: `${group}/${hex(rand, 16)}`, group, identity: who.id, role });
  }
  // Folders to list: depth-2 and -3 folders with at least 100 identities beneath them.
  const beneath = new Map<string, number>();
  for (const i of identities) {
    for (let p = i.group; p.length > 40; p = p.slice(0, p.lastIndexOf('/'))) beneath.set(p, (beneath.get(p) ?? 0) + 1);
  }
  const listFolders = groups.filter((g) => g.depth >= 2 && g.depth <= 3 && (beneath.get(g.id) ?? 0) >= 100).map((g) => g.id).slice(0, 20);
  if (listFolders.length === 0) listFolders.push(chain[1]!);
  return { org, chain, listFolders, groups, identities, bindings };
}

function ruleOf(n: number): AwsIdentityRule {
  return {
    awsAccount: '123456789012',
    arnPattern: `^arn:aws:sts::123456789012:assumed-role/role-${n % 1000}/(.*)$`,
    userIdPattern: '^AROA[A-Z0-9]+:(.*)$',
  };
}

/** Rows as src/store/queries/*.ts writes them. */
function rows(t: GeneratedTree) {
  return {
    groups: t.groups.map((g, n) => [g.id, g.parent, `group-${n}`, '', NOW, NOW]),
    identities: t.identities.map((i, n) => [i.id, i.group, `identity-${n}`, '', 'aws', JSON.stringify(ruleOf(n)), null, null, null, NOW, NOW]),
    bindings: t.bindings.map((b) => [b.id, b.group, b.identity, b.role, NOW, NOW]),
  };
}

const COLUMNS = {
  groups: ['id', 'parent_id', 'name', 'description', 'created_at', 'updated_at'],
  identities: ['id', 'parent_id', 'name', 'description', 'kind', 'rule', 'user_issuer', 'user_subject', 'user_email', 'created_at', 'updated_at'],
  role_bindings: ['id', 'group_id', 'identity_id', 'role_id', 'created_at', 'updated_at'],
} as const;

/** Migrates `database` with the real store (built-in roles too), then bulk-inserts the tree. */
export async function loadTree(database: string, t: GeneratedTree): Promise<void> {
  const store = await openStore(database);
  try {
    await store.migrate();
    await new IamService(store, () => new Date(NOW), 0).init();
  } finally {
    await store.close();
  }
  const r = rows(t);
  const tables: Array<[keyof typeof COLUMNS, unknown[][]]> = [['groups', r.groups], ['identities', r.identities], ['role_bindings', r.bindings]];
  if (/^postgres(ql)?:\/\//.test(database)) {
    const client = new pg.Client({ connectionString: database });
    await client.connect();
    try {
      await client.query('begin');
      for (const [table, data] of tables) {
        const cols = COLUMNS[table];
        // unnest of one text[] per column: one round trip per 5000 rows.
        for (let i = 0; i < data.length; i += 5000) {
          const chunk = data.slice(i, i + 5000);
          const arrays = cols.map((_, c) => chunk.map((row) => row[c] ?? null));
          const select = cols.map((_, c) => `$${c + 1}::text[]`).join(', ');
          await client.query(`insert into ${table} (${cols.join(', ')}) select * from unnest(${select})`, arrays);
        }
      }
      await client.query('commit');
      // What autovacuum does on its own shortly after a bulk load.
      await client.query('analyze');
    } finally {
      await client.end();
    }
  } else {
    const db = new Database(database);
    try {
      db.pragma('foreign_keys = ON');
      db.transaction(() => {
        for (const [table, data] of tables) {
          const cols = COLUMNS[table];
          const stmt = db.prepare(`insert into ${table} (${cols.join(', ')}) values (${cols.map(() => '?').join(', ')})`);
          for (const row of data) stmt.run(row);
        }
      })();
      // No ANALYZE: a SQLite database in production has no statistics unless someone runs it.
    } finally {
      db.close();
    }
  }
}
