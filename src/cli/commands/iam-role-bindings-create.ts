// `latchkey iam role-bindings create --identity IDENTITY --role ROLE --parent GROUP`.

import { CliError } from '../cli-error.js';
import type { CommandInput } from '../command-input.js';
import { confirmCreate } from '../confirm.js';
import type { CliContext } from '../context.js';
import { iamClient } from '../iam-client.js';
import { BINDING_COLUMNS, type BindingRecord } from '../iam-records.js';
import { printOne } from '../print-output.js';
import { BINDINGS, IDENTITIES, ROLES, resolveId, resolveParent } from '../resolve-names.js';

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  const identityRef = input.string('identity');
  const roleRef = input.string('role');
  if (!identityRef || !roleRef) throw new CliError('USAGE', '`role-bindings create` needs --identity and --role');
  const api = await iamClient(ctx);
  const parent = await resolveParent(ctx, api, input, true);
  const identity = await resolveId(api, IDENTITIES, identityRef);
  const role = await resolveId(api, ROLES, roleRef);
  await confirmCreate(ctx, input, `role binding of identity ${identityRef} to role ${roleRef}`, parent.label);
  const binding = await api.send<BindingRecord>({
    method: 'POST',
    path: `${BINDINGS.path}/${parent.id}`,
    json: { identity, role },
    op: { what: `bind identity ${identityRef} to role ${roleRef} in ${parent.label}`, capability: 'role_bindings.create', where: parent.label, resource: 'role-bindings' },
  });
  await printOne(ctx, binding, BINDING_COLUMNS);
}
