// Who performs a change, for authorization and the audit record.
import type { Caller } from './authorizer.js';

export interface Actor {
  /** The authenticated caller; null for operator commands run against the database. */
  caller: Caller | null;
  remoteAddr: string | null;
}

export const OPERATOR: Actor = { caller: null, remoteAddr: null };

export function actorName(a: Actor): string {
  return a.caller ? a.caller.sub : 'operator';
}
