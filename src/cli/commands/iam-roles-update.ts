// `latchkey iam roles update ROLE [--name NAME] [--description TEXT] [--capabilities CAPS]`.

import { parentOf } from '../iam-ids.js';
import { capabilitiesFrom } from '../capability-list.js';
import { CliError } from '../cli-error.js';
import type { CommandInput } from '../command-input.js';
import type { CliContext } from '../context.js';
import { iamClient } from '../iam-client.js';
import { ROLE_COLUMNS, type Role } from '../iam-records.js';
import { printOne } from '../print-output.js';
import { ROLES, resolveId } from '../resolve-names.js';

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  const ref = input.arg(0)!;
  const capabilities = capabilitiesFrom(input);
  if (!input.has('name') && !input.has('description') && !capabilities) {
    throw new CliError('USAGE', 'nothing to update: give --name, --description and/or --capabilities');
  }
  const api = await iamClient(ctx);
  const id = await resolveId(api, ROLES, ref);
  const role = await api.send<Role>({
    method: 'PUT',
    path: `${ROLES.path}/${id}`,
    json: { name: input.string('name'), description: input.string('description'), capabilities },
    op: { what: `update role ${ref}`, capability: 'roles.update', where: parentOf(id) ?? id, resource: 'roles' },
  });
  await printOne(ctx, role, ROLE_COLUMNS);
}
