// `latchkey iam role-bindings create (--identity IDENTITY | --email EMAIL) --role ROLE --parent GROUP`.

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
  const email = input.string('email');
  const roleRef = input.string('role');
  if (identityRef && email) throw new CliError('USAGE', 'give --identity or --email, not both');
  if ((!identityRef && !email) || !roleRef) throw new CliError('USAGE', '`role-bindings create` needs --role and either --identity or --email');
  const api = await iamClient(ctx);
  const parent = await resolveParent(ctx, api, input, true);
  const identity = identityRef ? await resolveId(api, IDENTITIES, identityRef) : undefined;
  const role = await resolveId(api, ROLES, roleRef);
  const who = identityRef ? `identity ${identityRef}` : `${email} (an invitation, claimed at their first login)`;
  await confirmCreate(ctx, input, `role binding of ${who} to role ${roleRef}`, parent.label);
  const binding = await api.send<BindingRecord>({
    method: 'POST',
    path: `${BINDINGS.path}/${parent.id}`,
    json: identity ? { identity, role } : { email, role },
    op: { what: `bind ${who} to role ${roleRef} in ${parent.label}`, capability: 'role_bindings.create', where: parent.label, resource: 'role-bindings' },
  });
  await printOne(ctx, binding, BINDING_COLUMNS);
}
