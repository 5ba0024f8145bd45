// Public surface of the http context.
export { buildApp, type AppDeps } from './build-app.js';
export { bearerToken } from './enforce-route-auth.js';
export { statusOf, ERROR_STATUS, type ErrorCode } from './error-table.js';
export type { RouteAuth } from './route-auth.js';
import './route-auth.js';
