// `latchkey iam identities create [NAME] --filename FILE | --aws-* ...`.

import type { CommandInput } from '../command-input.js';
import type { CliContext } from '../context.js';
import { createIdentity } from '../create-identity.js';
import { createBodyFromInput } from '../identity-body.js';

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  await createIdentity(ctx, input, await createBodyFromInput(input));
}
