// `latchkey iam organizations delete ORGANIZATION`: deletes everything beneath it too.

import type { CommandInput } from '../command-input.js';
import type { CliContext } from '../context.js';
import { deleteGroup } from '../delete-record.js';

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  await deleteGroup(ctx, input, 'organization');
}
