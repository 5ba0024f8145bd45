// `latchkey iam organizations list`: the root groups the caller can see.

import type { CliContext } from '../context.js';
import { iamClient } from '../iam-client.js';
import { GROUP_COLUMNS, type Group } from '../iam-records.js';
import { printList } from '../print-output.js';
import { GROUPS } from '../resolve-names.js';

export async function run(ctx: CliContext): Promise<void> {
  const api = await iamClient(ctx);
  const orgs = await api.listAll<Group>(GROUPS.path, { parent: '/' },
    { what: 'list organizations', capability: 'groups.list', resource: 'organizations' });
  await printList(ctx, orgs, GROUP_COLUMNS);
}
