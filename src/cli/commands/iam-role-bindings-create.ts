// `latchkey iam role-bindings create (--identity IDENTITY | --email EMAIL) --role ROLE --parent GROUP`.

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
  const email = input.string('email');
  const roleRef = input.string('role');
  if (identityRef && email) throw new CliError('USAGE', 'give --identity or --email, not both');
  if ((!identityRef && !email) || !roleRef) throw new CliError('USAGE', '`role-bindings create` needs --role and either --identity or --email');
  const api = await iamClient(ctx);
  const parent = await resolveParent(ctx, api, input, true);
  const identity = identityRef ? await resolveNamed(api, IDENTITIES, identityRef) : undefined;
  const role = await resolveNamed(api, ROLES, roleRef);
  const invitation = `${email} (an invitation, claimed at their first login)`;
  const who = identityRef ? `identity ${identityRef}` : invitation;
  await confirmCreate(ctx, input, `role binding of ${identityRef ? `identity ${identity?.name ?? identityRef}` : invitation} to role ${role.name ?? roleRef}`, parent.label);
  const binding = await api.send<BindingRecord>({
    method: 'POST',
    path: `${BINDINGS.path}/${parent.id}`,
    json: identity ? { identity: identity.id, role: role.id } : { email, role: role.id },
    op: { what: `bind ${who} to role ${roleRef} in ${parent.label}`, capability: 'role_bindings.create', where: parent.label, resource: 'role-bindings' },
  });
  // As `list` shows it: names where the IDs were.
  await printOne(ctx, { identityName: identity?.name, roleName: role.name, ...binding }, BINDING_COLUMNS);
}
