// Parses the `scope` parameters of a token request (attacker-controlled: strict and capped).
// Grammar (Docker token scope, Distribution's reference grammar for the name):
//   scope  = "repository" ["(" class ")"] ":" name ":" action *("," action)
//          | "registry:catalog:*"
//   name   = component *("/" component), at most 255 characters
//   component = [a-z0-9]+ (("." | "_" | "__" | "-"+) [a-z0-9]+)*

import { LatchkeyError } from '../errors/index.js';
import type { RegistryErrorCode } from './errors.js';

export type RegistryAction = 'pull' | 'push' | 'delete' | '*';

export interface RepositoryScope {
  type: 'repository';
  /** The repository's path, e.g. acme/team-a/app. */
  name: string;
  actions: RegistryAction[];
}

/** A scope Latchkey recognises but grants nothing on (answered with no actions). */
export interface OtherScope {
  type: 'registry';
  name: string;
  actions: string[];
}

export type Scope = RepositoryScope | OtherScope;

const MAX_SCOPES = 16;
const MAX_SCOPE_LENGTH = 400;
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const ACTIONS: ReadonlySet<string> = new Set(['pull', 'push', 'delete', '*']);

function bad(message: string): LatchkeyError<RegistryErrorCode> {
  return new LatchkeyError<RegistryErrorCode>('REGISTRY_BAD_REQUEST', message);
}

/** The scopes of all `scope` parameters (each may hold several, space-separated). */
export function parseScopes(params: readonly string[]): Scope[] {
  const raw = params.flatMap((p) => p.split(' ')).filter((s) => s !== '');
  if (raw.length > MAX_SCOPES) throw bad(`at most ${MAX_SCOPES} scopes in one token request`);
  return raw.map(parseScope);
}

function parseScope(s: string): Scope {
  if (s.length > MAX_SCOPE_LENGTH) throw bad(`a scope is at most ${MAX_SCOPE_LENGTH} characters`);
  if (s === 'registry:catalog:*') return { type: 'registry', name: 'catalog', actions: ['*'] };
  const m = /^repository(?:\([a-z0-9]{1,32}\))?:([^:]+):([^:]+)$/.exec(s);
  if (!m) throw bad('a scope must be repository:NAME:ACTIONS (e.g. repository:acme/app:pull,push) or registry:catalog:*');
  const name = m[1]!;
  if (name.length > 255 || !name.split('/').every((c) => COMPONENT.test(c))) {
    throw bad(`${JSON.stringify(name.slice(0, 80))} is not a repository name: lower-case path components separated by /`);
  }
  const actions = m[2]!.split(',');
  for (const a of actions) if (!ACTIONS.has(a)) throw bad(`unknown action ${JSON.stringify(a.slice(0, 20))}: use pull, push, delete or *`);
  return { type: 'repository', name, actions: [...new Set(actions)] as RegistryAction[] };
}
