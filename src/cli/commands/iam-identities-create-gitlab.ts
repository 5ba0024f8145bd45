// `latchkey iam identities create gitlab NAME --project-path GROUP/PROJECT [--ref-type] [--ref]`:
// a claim-match identity for GitLab CI jobs of one project.

import { CliError } from '../cli-error.js';
import type { CommandInput } from '../command-input.js';
import type { CliContext } from '../context.js';
import { createIdentity } from '../create-identity.js';
import { gitlabRule } from '../oidc-identity-body.js';

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  const projectPath = input.string('project-path');
  if (!projectPath) throw new CliError('USAGE', '`create gitlab` needs --project-path GROUP/PROJECT');
  const rule = gitlabRule({
    projectPath, refType: input.string('ref-type'), ref: input.string('ref'),
    issuer: input.string('gitlab-issuer'), audience: input.string('gitlab-audience'),
  });
  await createIdentity(ctx, input, { name: input.arg(0)!, description: input.string('description'), claimMatch: rule });
}
