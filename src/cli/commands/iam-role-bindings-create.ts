// `latchkey iam role-bindings create --identity IDENTITY --role ROLE --parent GROUP`.

import { CliError } from '../cli-error.js';
import type { CommandInput } from '../command-input.js';
import { confirmCreate } from '../confirm.js';
import type { CliContext } from '../context.js';
import { iamClient } from '../iam-client.js';
import { BINDING_COLUMNS, type BindingRecord } from '../iam-records.js';
import { printOne } from '../print-output.js';
import { BINDINGS, IDENTITIES, ROLES, resolveNamed, resolveParent } from '../resolve-names.js';

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  const identityRef = input.string('identity');
  const roleRef = input.string('role');
  if (!identityRef || !roleRef) throw new CliError('USAGE', '`role-bindings create` needs --identity and --role');
  const api = await iamClient(ctx);
  const parent = await resolveParent(ctx, api, input, true);
  const identity = await resolveNamed(api, IDENTITIES, identityRef);
  const role = await resolveNamed(api, ROLES, roleRef);
  await confirmCreate(ctx, input, `role binding of identity ${identity.name ?? identityRef} to role ${role.name ?? roleRef}`, parent.label);
  const binding = await api.send<BindingRecord>({
    method: 'POST',
    path: `${BINDINGS.path}/${parent.id}`,
    json: { identity: identity.id, role: role.id },
    op: { what: `bind identity ${identityRef} to role ${roleRef} in ${parent.label}`, capability: 'role_bindings.create', where: parent.label, resource: 'role-bindings' },
  });
  // As `list` shows it: names where the IDs were.
  await printOne(ctx, { identityName: identity.name, roleName: role.name, ...binding }, BINDING_COLUMNS);
}
