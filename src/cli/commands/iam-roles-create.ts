// `latchkey iam roles create NAME --parent GROUP --capabilities CAPS [--description TEXT]`.

import { capabilitiesFrom } from '../capability-list.js';
import { CliError } from '../cli-error.js';
import type { CommandInput } from '../command-input.js';
import { confirmCreate } from '../confirm.js';
import type { CliContext } from '../context.js';
import { iamClient } from '../iam-client.js';
import { ROLE_COLUMNS, type Role } from '../iam-records.js';
import { printOne } from '../print-output.js';
import { ROLES, resolveParent } from '../resolve-names.js';

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  const name = input.arg(0)!;
  const capabilities = capabilitiesFrom(input);
  if (!capabilities) throw new CliError('USAGE', '`roles create` needs --capabilities, e.g. --capabilities identity.list,groups.list');
  const api = await iamClient(ctx);
  const parent = await resolveParent(ctx, api, input, true);
  await confirmCreate(ctx, input, `role ${name}`, parent.label);
  const role = await api.send<Role>({
    method: 'POST',
    path: `${ROLES.path}/${parent.id}`,
    json: { name, description: input.string('description'), capabilities },
    op: { what: `create role "${name}" in ${parent.label}`, capability: 'roles.create', where: parent.label, resource: 'roles' },
  });
  await printOne(ctx, role, ROLE_COLUMNS);
}
