// The human-login protocol's fixed names and lifetimes.

/** The one OAuth client: the `latchkey` CLI (a public client: PKCE, loopback redirect, no secret). */
export const CLI_CLIENT_ID = 'latchkey-cli';

export const PATHS = {
  authorize: '/oauth/authorize',
  callback: '/oauth/callback',
  token: '/oauth/token',
  deviceAuthorization: '/oauth/device/code',
  device: '/oauth/device',
  revoke: '/oauth/revoke',
  devLogin: '/auth/v1/dev/login',
} as const;

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** A sign-in at the upstream must come back within this many seconds. */
export const LOGIN_STATE_TTL_S = 600;
/** An authorization code must be redeemed within this many seconds (RFC 6749 §4.1.2: short). */
export const AUTHORIZATION_CODE_TTL_S = 60;
/** RFC 8628 §3.5: each slow_down adds this many seconds to the polling interval. */
export const SLOW_DOWN_STEP_S = 5;
/** After too many wrong user codes, the device page refuses codes for this many seconds. */
export const USER_CODE_GUESS_WINDOW_S = 15 * 60;
/** How often expired login states, codes and refresh tokens are swept. */
export const SWEEP_INTERVAL_MS = 10 * 60_000;

/**
 * A request URL fit for the log: the query of the login pages carries codes, states and user
 * codes, so it is dropped there.
 */
export function loggableUrl(url: string): string {
  const q = url.indexOf('?');
  return q >= 0 && url.startsWith('/oauth/') ? `${url.slice(0, q)}?[redacted]` : url;
}
