// `latchkey iam identities create github NAME --github-repo OWNER/REPO [--github-ref REF]`: a
// claim-match identity for GitHub Actions jobs of one repository.

import { CliError } from '../cli-error.js';
import type { CommandInput } from '../command-input.js';
import type { CliContext } from '../context.js';
import { createIdentity } from '../create-identity.js';
import { githubRule } from '../oidc-identity-body.js';

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  const repo = input.string('github-repo');
  if (!repo) throw new CliError('USAGE', '`create github` needs --github-repo OWNER/REPO');
  const rule = githubRule({
    repo, ref: input.string('github-ref'), audience: input.string('github-audience'),
    repoId: input.string('github-repo-id'), ownerId: input.string('github-owner-id'), issuer: input.string('github-issuer'),
  });
  await createIdentity(ctx, input, { name: input.arg(0)!, description: input.string('description'), claimMatch: rule });
}
