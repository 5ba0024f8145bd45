// What human login keeps in the store (methods in src/store/contract.ts). Every secret is kept
// only as its SHA-256 (hex): the login state, the authorization code, the device and user codes,
// the refresh token. Times are ISO 8601 UTC strings, as everywhere in the store.

/** What a sign-in at the upstream is for: a CLI waiting on a loopback port, or a device code. */
export type LoginPurpose =
  | { kind: 'cli'; clientId: string; redirectUri: string; state: string; codeChallenge: string }
  | { kind: 'device'; deviceCodeHash: string };

/** A sign-in in progress at an upstream provider, from /authorize (or /device) to /callback. */
export interface LoginState {
  /** SHA-256 of the `state` sent to the upstream. */
  stateHash: string;
  provider: string;
  nonce: string;
  /** The PKCE verifier for the upstream's code (useless without that code). */
  codeVerifier: string;
  /** SHA-256 of the cookie that ties the sign-in to the browser that began it. */
  browserHash: string;
  purpose: LoginPurpose;
  createdAt: string;
  expiresAt: string;
}

/** A single-use code handed to the CLI's loopback callback, redeemed with the PKCE verifier. */
export interface AuthorizationCode {
  codeHash: string;
  identity: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  createdAt: string;
  expiresAt: string;
}

export type DeviceCodeStatus = 'pending' | 'approved' | 'denied';

/** An RFC 8628 device authorization: the CLI polls with the device code; a person approves the user code. */
export interface DeviceCode {
  deviceCodeHash: string;
  userCodeHash: string;
  clientId: string;
  status: DeviceCodeStatus;
  /** The person who approved it. */
  identity: string | null;
  /** Seconds the client must wait between polls (grows with each slow_down). */
  interval: number;
  lastPolledAt: string | null;
  createdAt: string;
  expiresAt: string;
}

/**
 * One refresh token of a login. Every use replaces it by a successor in the same family; using a
 * replaced one again revokes the whole family.
 */
export interface RefreshToken {
  tokenHash: string;
  familyId: string;
  identity: string;
  clientId: string;
  createdAt: string;
  /** This token's own expiry (idle lifetime). */
  expiresAt: string;
  /** The family's absolute end; no successor lives longer. */
  familyExpiresAt: string;
  /** When it was exchanged for its successor; set once. */
  usedAt: string | null;
  /** When its family was revoked (logout or reuse). */
  revokedAt: string | null;
}
