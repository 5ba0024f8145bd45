// `latchkey aws token --identity UIDP`: print the AWS identity token, for other tools.

import { isUidp } from '../iam-ids.js';
import { awsIdentityToken } from '../aws-identity-token.js';
import { CliError } from '../cli-error.js';
import type { CommandInput } from '../command-input.js';
import type { CliContext } from '../context.js';

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  const identity = input.string('identity');
  if (!identity || !isUidp(identity)) {
    throw new CliError('USAGE', '`latchkey aws token` needs --identity UIDP (the identity the token is for)');
  }
  ctx.stdout.write(`${await awsIdentityToken(ctx, { identity, region: input.string('aws-region') })}\n`);
}
