// `latchkey iam identities delete IDENTITY`.

import type { CommandInput } from '../command-input.js';
import type { CliContext } from '../context.js';
import { deleteRecord } from '../delete-record.js';
import { IDENTITIES } from '../resolve-names.js';

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  await deleteRecord(ctx, input, { kind: IDENTITIES, label: 'identity', capability: 'identity.delete', checkedOn: 'parent' });
}
