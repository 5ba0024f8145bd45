// `latchkey iam identities create aws user NAME --aws-account-id ID --aws-user-name USER`: the
// anchored rule for one IAM user, written for the user.

import { CliError } from '../cli-error.js';
import type { CommandInput } from '../command-input.js';
import type { CliContext } from '../context.js';
import { createIdentity } from '../create-identity.js';
import { awsUserRule, type AwsUserSpec } from '../identity-body.js';

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  const account = input.string('aws-account-id');
  const userName = input.string('aws-user-name');
  if (!account || !userName) throw new CliError('USAGE', '`create aws user` needs --aws-account-id and --aws-user-name');
  const rule = awsUserRule({ account, userName, userId: input.string('aws-user-id'), partition: input.string('aws-partition') as AwsUserSpec['partition'] });
  await createIdentity(ctx, input, { name: input.arg(0)!, description: input.string('description'), awsIdentity: rule });
}
