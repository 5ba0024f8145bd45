// What each route declares about who may call it, next to the route itself.
// One hook (enforce-route-auth.ts) reads this declaration; a route without one is refused
// (fail closed).

import type { FastifyRequest } from 'fastify';
import type { Capability } from '../iam/capabilities.js';

export type RouteAuth =
  /** Anyone, no token: discovery, JWKS, health, the exchange itself. */
  | { public: true }
  /** A valid token, and `capability` on the group `scope` returns (UIDP; throws on bad input). */
  | { capability: Capability; scope: (req: FastifyRequest) => string }
  /** A valid token; the handler shows only what the caller's bindings grant `capability` on. */
  | { capability: Capability; unscoped: true }
  /** A valid token, nothing more (e.g. reading built-in roles). */
  | { authenticated: true };

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    caller?: import('../iam/authorizer.js').Caller;
  }
}
