// `latchkey iam folders create NAME --parent GROUP`.

import type { CommandInput } from '../command-input.js';
import { confirmCreate } from '../confirm.js';
import type { CliContext } from '../context.js';
import { iamClient } from '../iam-client.js';
import { GROUP_COLUMNS, type Group } from '../iam-records.js';
import { printOne } from '../print-output.js';
import { GROUPS, resolveParent } from '../resolve-names.js';

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  const name = input.arg(0)!;
  const api = await iamClient(ctx);
  const parent = await resolveParent(ctx, api, input, true);
  await confirmCreate(ctx, input, `folder ${name}`, parent.label);
  const folder = await api.send<Group>({
    method: 'POST',
    path: `${GROUPS.path}/${parent.id}`,
    json: { name, description: input.string('description') },
    op: { what: `create folder "${name}" in ${parent.label}`, capability: 'groups.create', where: parent.label, resource: 'folders' },
  });
  await printOne(ctx, folder, GROUP_COLUMNS);
}
