// Refusals of the registry token service (GET /registry/token).
export type RegistryErrorCode =
  | 'REGISTRY_BAD_REQUEST'       // a malformed service, scope or Authorization header
  | 'REGISTRY_UNKNOWN_SERVICE'   // a service Latchkey does not issue registry tokens for
  | 'REGISTRY_UNAUTHENTICATED';  // no credentials, or credentials that do not verify

export const REGISTRY_ERROR_STATUS: Record<RegistryErrorCode, number> = {
  REGISTRY_BAD_REQUEST: 400,
  REGISTRY_UNKNOWN_SERVICE: 400,
  REGISTRY_UNAUTHENTICATED: 401,
};
