// `latchkey iam roles list [--name NAME] [--parent GROUP | --managed] [--capabilities CAPS]`.
// The seed's `ROLE=$(latchkey iam roles list --name viewer -oid)`.

import { capabilitiesFrom } from '../capability-list.js';
import { CliError } from '../cli-error.js';
import type { CommandInput } from '../command-input.js';
import type { CliContext } from '../context.js';
import { iamClient } from '../iam-client.js';
import { ROLE_COLUMNS, type Role } from '../iam-records.js';
import { printList } from '../print-output.js';
import { ROLES, resolveParent } from '../resolve-names.js';

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  if (input.bool('managed') && input.has('parent')) throw new CliError('USAGE', 'give --parent or --managed, not both');
  const wanted = capabilitiesFrom(input);
  const api = await iamClient(ctx);
  const parent = input.bool('managed') ? undefined : await resolveParent(ctx, api, input, false);
  const roles = await api.listAll<Role>(ROLES.path,
    { name: input.string('name'), parent: input.bool('managed') ? '/' : parent?.id },
    { what: 'list roles', capability: 'roles.list', where: parent?.label, resource: 'roles' });
  const shown = wanted ? roles.filter((r) => wanted.every((c) => r.capabilities.includes(c))) : roles;
  await printList(ctx, shown, ROLE_COLUMNS);
}
