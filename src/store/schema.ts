// The tables as Kysely sees them: one row type per table, columns in snake_case.
// Records (src/iam/types.ts) are mapped to and from rows in src/store/queries/.
//
// Timestamps are ISO-8601 UTC text ("2025-01-02T03:04:05.678Z"): identical on both backends,
// round-trip exactly, and sort chronologically. JSON values are stored as text.

import type { Generated, Kysely } from 'kysely';
import type { KeyPurpose } from './contract.js';

export interface GroupsTable {
  id: string;
  parent_id: string | null;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
}

export interface IdentitiesTable {
  id: string;
  parent_id: string | null;
  name: string;
  description: string;
  kind: 'aws' | 'claimMatch' | 'static' | 'user' | 'pull_token';
  /** JSON of the trust rule (AwsIdentityRule, ClaimMatchRule, StaticRule) or of the PullTokenInfo; null for users. */
  rule: string | null;
  user_issuer: string | null;
  user_subject: string | null;
  user_email: string | null;
  created_at: string;
  updated_at: string;
}

export interface RolesTable {
  id: string;
  parent_id: string | null;
  name: string;
  description: string;
  /** JSON array of capabilities. */
  capabilities: string;
  created_at: string;
  updated_at: string;
}

export interface RoleBindingsTable {
  id: string;
  group_id: string;
  identity_id: string;
  role_id: string;
  created_at: string;
  updated_at: string;
}

export interface PendingBindingsTable {
  id: string;
  group_id: string;
  email: string;
  role_id: string;
  created_at: string;
  /** Set on every row since migration 3. */
  expires_at: string | null;
}

export interface SigningKeysTable {
  kid: string;
  alg: 'ES256';
  /** JSON of the private JWK. */
  private_jwk: string;
  /** JSON of the public JWK. */
  public_jwk: string;
  created_at: string;
  activates_at: string;
  retires_at: string;
  expires_at: string;
  /** Since migration 4: whose tokens the key signs. */
  purpose: Generated<KeyPurpose>;
  /** Since migration 4: the PEM certificate of a registry key; null for the issuer's. */
  certificate_pem: string | null;
}

export interface AuditEventsTable {
  id: string;
  at: string;
  actor: string;
  action: string;
  target: string;
  group_id: string | null;
  remote_addr: string | null;
  /** JSON object. */
  details: string;
}

/** Human login (src/auth): every *_hash column is the SHA-256 (hex) of a secret. */
export interface LoginStatesTable {
  state_hash: string;
  provider: string;
  nonce: string;
  code_verifier: string;
  browser_hash: string;
  /** JSON of the LoginPurpose. */
  purpose: string;
  created_at: string;
  expires_at: string;
}

export interface AuthorizationCodesTable {
  code_hash: string;
  identity_id: string;
  client_id: string;
  redirect_uri: string;
  code_challenge: string;
  created_at: string;
  expires_at: string;
}

export interface DeviceCodesTable {
  device_code_hash: string;
  user_code_hash: string;
  client_id: string;
  status: 'pending' | 'approved' | 'denied';
  identity_id: string | null;
  poll_interval: number;
  last_polled_at: string | null;
  created_at: string;
  expires_at: string;
}

export interface RefreshTokensTable {
  token_hash: string;
  family_id: string;
  identity_id: string;
  client_id: string;
  created_at: string;
  expires_at: string;
  family_expires_at: string;
  used_at: string | null;
  revoked_at: string | null;
}

/** A credential the exchange accepted; `key_hash` is the SHA-256 of its one-time key. */
export interface PresentedCredentialsTable {
  key_hash: string;
  expires_at: string;
}

export interface MigrationsTable {
  version: number;
  name: string;
  applied_at: string;
}

/** One row (id 1), written only by the readiness probe after a write fault. */
export interface HeartbeatTable {
  id: number;
  at: string;
}

export interface Database {
  groups: GroupsTable;
  identities: IdentitiesTable;
  roles: RolesTable;
  role_bindings: RoleBindingsTable;
  pending_bindings: PendingBindingsTable;
  signing_keys: SigningKeysTable;
  audit_events: AuditEventsTable;
  login_states: LoginStatesTable;
  authorization_codes: AuthorizationCodesTable;
  device_codes: DeviceCodesTable;
  refresh_tokens: RefreshTokensTable;
  presented_credentials: PresentedCredentialsTable;
  latchkey_migrations: MigrationsTable;
  latchkey_heartbeat: HeartbeatTable;
}

/** A database handle: the store itself, or a transaction of it. */
export type Db = Kysely<Database>;
