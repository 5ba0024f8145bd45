// Public surface of the auth context: human login. People sign in at an upstream OpenID Connect
// provider (browser, or headless with a device code) or, under --dev, as the dev user; they get
// a Latchkey token and a rotating refresh token.
export { humanLoginExtension, type HumanLoginOptions } from './human-login-extension.js';
export { HumanSessions, type Session, type TokenResponse } from './human-sessions.js';
export { DEV_USER } from './dev-login.js';
export { CLI_CLIENT_ID, DEVICE_CODE_GRANT, PATHS as AUTH_PATHS, loggableUrl } from './constants.js';
export { AUTH_ERROR_STATUS, OAUTH_ERROR, type AuthErrorCode } from './errors.js';
export type * from './records.js';
