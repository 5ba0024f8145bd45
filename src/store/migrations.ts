// The versioned schema migrations, in order. `migrate()` applies those not yet recorded in
// the latchkey_migrations table, in one transaction, serialized across processes.
//
// To change the schema: add ./migrations/000N-what-it-does.ts exporting a Migration with the
// next version number, and append it to MIGRATIONS below. Never edit, renumber or remove a
// migration that has been released: databases out there recorded it as applied.

import type { Expression, Kysely } from 'kysely';
import { initialSchema } from './migrations/0001-initial-schema.js';
import { humanLogin } from './migrations/0002-human-login.js';
import { invitationExpiry } from './migrations/0003-invitation-expiry.js';
import { registryKeys } from './migrations/0004-registry-keys.js';
import { pullTokenIdentities } from './migrations/0005-pull-token-identities.js';
import { identityKinds } from './migrations/0006-identity-kinds.js';
import { heartbeat } from './migrations/0007-heartbeat.js';
import { presentedCredentials } from './migrations/0008-presented-credentials.js';

/** What a migration may need to know about the backend it runs on. */
export interface MigrationContext {
  backend: 'sqlite' | 'postgres';
  /** Type of UIDP-valued columns: `text` on SQLite, `text COLLATE "C"` on PostgreSQL. */
  idType: Expression<unknown>;
}

export interface Migration {
  /** 1, 2, 3, ...: its position in MIGRATIONS. */
  version: number;
  /** A few words, recorded with the version. */
  name: string;
  /**
   * Applies the change inside the migration transaction. `db` is untyped on purpose: a
   * migration describes the schema as it was then, not as schema.ts says it is now.
   */
  up(db: Kysely<any>, ctx: MigrationContext): Promise<void>;
}

export const MIGRATIONS: readonly Migration[] = [
  initialSchema,
  humanLogin,
  invitationExpiry,
  registryKeys,
  pullTokenIdentities,
  identityKinds,
  heartbeat,
  presentedCredentials,
];
