// `latchkey iam organizations describe ORGANIZATION`.

import type { CommandInput } from '../command-input.js';
import type { CliContext } from '../context.js';
import { iamClient } from '../iam-client.js';
import { GROUP_COLUMNS, type Group } from '../iam-records.js';
import { printOne } from '../print-output.js';
import { GROUPS, fetchRecord } from '../resolve-names.js';

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  const api = await iamClient(ctx);
  await printOne(ctx, await fetchRecord<Group>(api, GROUPS, input.arg(0)!), GROUP_COLUMNS);
}
