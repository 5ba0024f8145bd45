// `latchkey iam identities create aws role NAME --aws-account-id ID --aws-role-name ROLE`:
// the anchored patterns for sessions of one IAM role, written for the user.

import type { CommandInput } from '../command-input.js';
import type { CliContext } from '../context.js';
import { createIdentity } from '../create-identity.js';
import { CliError } from '../cli-error.js';
import { awsRoleRule, type AwsRoleSpec } from '../identity-body.js';

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  const account = input.string('aws-account-id');
  const roleName = input.string('aws-role-name');
  if (!account || !roleName) {
    throw new CliError('USAGE', '`create aws role` needs --aws-account-id and --aws-role-name');
  }
  const rule = awsRoleRule({
    account,
    roleName,
    roleId: input.string('aws-role-id'),
    partition: input.string('aws-partition') as AwsRoleSpec['partition'],
  });
  await createIdentity(ctx, input, { name: input.arg(0)!, description: input.string('description'), awsIdentity: rule });
}
