// `latchkey iam folders list [--parent GROUP]`: folders (non-root groups) the caller can see.

import type { CommandInput } from '../command-input.js';
import type { CliContext } from '../context.js';
import { iamClient } from '../iam-client.js';
import { GROUP_COLUMNS, type Group } from '../iam-records.js';
import { printList } from '../print-output.js';
import { GROUPS, resolveParent } from '../resolve-names.js';

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  const api = await iamClient(ctx);
  const parent = await resolveParent(ctx, api, input, false);
  const groups = await api.listAll<Group>(GROUPS.path, parent ? { 'uidp.descendantsOf': parent.id } : {},
    { what: 'list folders', capability: 'groups.list', where: parent?.label, resource: 'folders' });
  await printList(ctx, groups.filter((g) => g.parentId !== null), GROUP_COLUMNS);
}
