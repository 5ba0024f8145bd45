// Commands take a name or a UIDP wherever chainctl does (`--parent my-org`, `--role viewer`):
// a UIDP is used as is, a name is looked up in what the caller can see and must match once.

import { isUidp } from './iam-ids.js';
import type { ApiClient } from './api-client.js';
import { CliError } from './cli-error.js';
import type { CommandInput } from './command-input.js';
import type { CliContext } from './context.js';

export interface RecordKind {
  path: string;
  /** In messages: "organization or folder", "identity", "role". */
  label: string;
  /** The plural of `label`: "identities". */
  labels: string;
  /** The `latchkey iam` resource to list them with. */
  resource: string;
  /** False for records without names (role bindings): only a UIDP refers to one. */
  named: boolean;
}

export const GROUPS: RecordKind = { path: '/iam/v1/groups', label: 'organization or folder', labels: 'organizations or folders', resource: 'folders', named: true };
export const IDENTITIES: RecordKind = { path: '/iam/v1/identities', label: 'identity', labels: 'identities', resource: 'identities', named: true };
export const ROLES: RecordKind = { path: '/iam/v1/roles', label: 'role', labels: 'roles', resource: 'roles', named: true };
export const BINDINGS: RecordKind = { path: '/iam/v1/rolebindings', label: 'role binding', labels: 'role bindings', resource: 'role-bindings', named: false };

/** The records called `name` (exact match), as the server filters them. */
async function byName<T extends { id: string }>(api: ApiClient, kind: RecordKind, name: string): Promise<T> {
  if (!kind.named) {
    throw new CliError('USAGE', `"${name}" is not the ID of a ${kind.label} (a UIDP)`,
      { hint: `list them with \`latchkey iam ${kind.resource} list\`` });
  }
  const found = await api.listAll<T & { name?: string }>(kind.path, { name }, { what: `look up the ${kind.label} "${name}"`, resource: kind.resource });
  const exact = found.filter((r) => r.name === undefined || r.name === name);
  if (exact.length === 1) return exact[0]!;
  if (exact.length === 0) {
    throw new CliError('NOT_FOUND', `no ${kind.label} named "${name}" that you can see`,
      { hint: `list them with \`latchkey iam ${kind.resource} list\`, or pass a UIDP` });
  }
  // Names need not be unique (as in Chainguard): an ID always picks one.
  throw new CliError('AMBIGUOUS', `${exact.length} ${kind.labels} are named "${name}": ${exact.map((r) => r.id).join(', ')}`,
    { hint: `pass the ID of the one you mean instead of the name (\`latchkey iam ${kind.resource} list\` shows where each one is)` });
}

/** The ID and, when it can be read, the name of a record given by name or UIDP. */
export async function resolveNamed(api: ApiClient, kind: RecordKind, ref: string): Promise<{ id: string; name?: string }> {
  if (!isUidp(ref)) {
    const r = await byName<{ id: string; name?: string }>(api, kind, ref);
    return { id: r.id, name: r.name ?? ref };
  }
  try {
    const r = await api.get<{ id: string; name?: string }>(`${kind.path}/${ref}`, {}, { what: `read the ${kind.label} ${ref}`, resource: kind.resource });
    return { id: ref, name: r.name };
  } catch {
    return { id: ref }; // the request that needs it says what is wrong
  }
}

/** The UIDP of a name or UIDP (a UIDP costs no request). */
export async function resolveId(api: ApiClient, kind: RecordKind, ref: string): Promise<string> {
  return isUidp(ref) ? ref : (await byName(api, kind, ref)).id;
}

/** The full record of a name or UIDP. */
export async function fetchRecord<T extends { id: string }>(api: ApiClient, kind: RecordKind, ref: string): Promise<T> {
  if (!isUidp(ref)) return byName<T>(api, kind, ref);
  return api.get<T>(`${kind.path}/${ref}`, {}, { what: `read the ${kind.label} ${ref}`, resource: kind.resource });
}

/** A command's location: --parent, else config default.group; `label` is as the user wrote it. */
export async function resolveParent(
  ctx: CliContext, api: ApiClient, input: CommandInput, required: true,
): Promise<{ id: string; label: string }>;
export async function resolveParent(
  ctx: CliContext, api: ApiClient, input: CommandInput, required: false,
): Promise<{ id: string; label: string } | undefined>;
export async function resolveParent(
  ctx: CliContext, api: ApiClient, input: CommandInput, required: boolean,
): Promise<{ id: string; label: string } | undefined> {
  const ref = input.string('parent') ?? (await ctx.settings()).defaultGroup;
  if (!ref) {
    if (!required) return undefined;
    throw new CliError('USAGE', `"latchkey ${input.command}" needs --parent (an organization or folder, by name or UIDP)`,
      { hint: 'find one with `latchkey iam org ls`, or set a default with `latchkey config set default.group GROUP`' });
  }
  return { id: await resolveId(api, GROUPS, ref), label: ref };
}
