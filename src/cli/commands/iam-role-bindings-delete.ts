// `latchkey iam role-bindings delete BINDING_ID`.

import type { CommandInput } from '../command-input.js';
import type { CliContext } from '../context.js';
import { deleteRecord } from '../delete-record.js';
import { BINDINGS } from '../resolve-names.js';

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  await deleteRecord(ctx, input, { kind: BINDINGS, label: 'role binding', capability: 'role_bindings.delete', checkedOn: 'parent' });
}
