// `latchkey iam folders update FOLDER [--name NAME] [--description TEXT]`.

import { CliError } from '../cli-error.js';
import type { CommandInput } from '../command-input.js';
import type { CliContext } from '../context.js';
import { iamClient } from '../iam-client.js';
import { GROUP_COLUMNS, type Group } from '../iam-records.js';
import { printOne } from '../print-output.js';
import { GROUPS, resolveId } from '../resolve-names.js';

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  const ref = input.arg(0)!;
  if (!input.has('name') && !input.has('description')) {
    throw new CliError('USAGE', 'nothing to update: give --name and/or --description');
  }
  const api = await iamClient(ctx);
  const id = await resolveId(api, GROUPS, ref);
  const folder = await api.send<Group>({
    method: 'PUT',
    path: `${GROUPS.path}/${id}`,
    json: { name: input.string('name'), description: input.string('description') },
    op: { what: `update folder ${ref}`, capability: 'groups.update', where: ref, resource: 'folders' },
  });
  await printOne(ctx, folder, GROUP_COLUMNS);
}
