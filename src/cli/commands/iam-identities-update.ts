// `latchkey iam identities update IDENTITY [--name] [--description] [--filename] [rule flags]`.

import { parentOf } from '../iam-ids.js';
import { CliError } from '../cli-error.js';
import type { CommandInput } from '../command-input.js';
import type { CliContext } from '../context.js';
import { iamClient } from '../iam-client.js';
import { applyAwsRuleChanges, awsRuleChanges, readIdentityFile, type IdentityBody } from '../identity-body.js';
import { IDENTITY_COLUMNS, type IdentityRecord } from '../iam-records.js';
import { applyOidcRuleChanges, oidcRuleChanges } from '../oidc-identity-body.js';
import { printOne, printWarnings } from '../print-output.js';
import { IDENTITIES, fetchRecord } from '../resolve-names.js';

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  const ref = input.arg(0)!;
  const file = input.string('filename');
  const changes = awsRuleChanges(input);
  const oidc = await oidcRuleChanges(input);
  if (changes && oidc) throw new CliError('USAGE', 'give the --aws-* flags or the OpenID Connect rule flags, not both');
  if (file && (changes || oidc)) throw new CliError('USAGE', 'give --filename or the rule flags, not both');
  const body: IdentityBody = file ? await readIdentityFile(file) : {};
  if (input.has('name')) body.name = input.string('name');
  if (input.has('description')) body.description = input.string('description');
  const api = await iamClient(ctx);
  const current = await fetchRecord<IdentityRecord>(api, IDENTITIES, ref);
  if (changes) {
    if (!current.awsIdentity && !changes.awsAccount) {
      throw new CliError('USAGE', `identity ${ref} has no AWS rule yet: give --aws-account too`);
    }
    body.awsIdentity = applyAwsRuleChanges(current.awsIdentity ?? {}, changes);
  }
  if (oidc) {
    const base = current.static ?? current.claimMatch;
    if (!base && !oidc.rule.issuer && !oidc.rule.issuerPattern) {
      throw new CliError('USAGE', `identity ${ref} has no OpenID Connect rule yet: give --identity-issuer too`);
    }
    const next = applyOidcRuleChanges(base ?? {}, oidc.rule);
    if (current.static || oidc.isStatic) body.static = next;
    else body.claimMatch = next;
  }
  if (Object.keys(body).length === 0) {
    throw new CliError('USAGE', 'nothing to update: give --name, --description, --filename or rule flags');
  }
  const updated = await api.send<IdentityRecord>({
    method: 'PUT',
    path: `${IDENTITIES.path}/${current.id}`,
    json: body,
    op: { what: `update identity ${ref}`, capability: 'identity.update', where: parentOf(current.id) ?? current.id, resource: 'identities' },
  });
  printWarnings(ctx, updated);
  await printOne(ctx, updated, IDENTITY_COLUMNS);
}
