// `latchkey iam identities describe IDENTITY`.

import type { CommandInput } from '../command-input.js';
import type { CliContext } from '../context.js';
import { iamClient } from '../iam-client.js';
import { IDENTITY_COLUMNS, type IdentityRecord } from '../iam-records.js';
import { printOne } from '../print-output.js';
import { IDENTITIES, fetchRecord } from '../resolve-names.js';

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  const api = await iamClient(ctx);
  const identity = await fetchRecord<IdentityRecord>(api, IDENTITIES, input.arg(0)!);
  await printOne(ctx, identity, IDENTITY_COLUMNS);
  if ((await ctx.outputFormat()) === 'table' && identity.awsIdentity) {
    const rule = identity.awsIdentity;
    const lines = Object.entries(rule).map(([k, v]) => `  ${k}: ${String(v)}`);
    ctx.stdout.write(`AWS rule:\n${lines.join('\n')}\n`);
  }
}
