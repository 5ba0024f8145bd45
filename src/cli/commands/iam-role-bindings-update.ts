// `latchkey iam role-bindings update BINDING_ID --role ROLE`.

import { parentOf } from '../iam-ids.js';
import { CliError } from '../cli-error.js';
import type { CommandInput } from '../command-input.js';
import type { CliContext } from '../context.js';
import { iamClient } from '../iam-client.js';
import { BINDING_COLUMNS, type BindingRecord } from '../iam-records.js';
import { printOne } from '../print-output.js';
import { BINDINGS, ROLES, resolveId } from '../resolve-names.js';

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  const id = input.arg(0)!;
  const roleRef = input.string('role');
  if (!roleRef) throw new CliError('USAGE', '`role-bindings update` needs --role');
  const api = await iamClient(ctx);
  const role = await resolveId(api, ROLES, roleRef);
  const binding = await api.send<BindingRecord>({
    method: 'PUT',
    path: `${BINDINGS.path}/${id}`,
    json: { role },
    op: { what: `update role binding ${id}`, capability: 'role_bindings.update', where: parentOf(id) ?? id, resource: 'role-bindings' },
  });
  await printOne(ctx, binding, BINDING_COLUMNS);
}
