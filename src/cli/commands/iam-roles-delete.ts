// `latchkey iam roles delete ROLE`: also deletes the role's bindings.

import type { CommandInput } from '../command-input.js';
import type { CliContext } from '../context.js';
import { deleteRecord } from '../delete-record.js';
import { ROLES } from '../resolve-names.js';

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  await deleteRecord(ctx, input, {
    kind: ROLES, label: 'role', capability: 'roles.delete', checkedOn: 'parent', consequence: ' and its role bindings',
  });
}
