// The three `iam identities create` commands share this: resolve the parent, announce and
// confirm as the seed shows, create, print (-o id prints only the new UIDP).

import type { CommandInput } from './command-input.js';
import { confirmCreate } from './confirm.js';
import type { CliContext } from './context.js';
import { ruleKindOf, type IdentityBody } from './identity-body.js';
import { iamClient } from './iam-client.js';
import { IDENTITY_COLUMNS, type IdentityRecord } from './iam-records.js';
import { printOne, printWarnings } from './print-output.js';
import { IDENTITIES, resolveParent } from './resolve-names.js';

export async function createIdentity(ctx: CliContext, input: CommandInput, body: IdentityBody): Promise<void> {
  const api = await iamClient(ctx);
  const parent = await resolveParent(ctx, api, input, true);
  const name = String(body.name);
  await confirmCreate(ctx, input, `identity ${name}${ruleKindOf(body) ? ` (${ruleKindOf(body)})` : ''}`, parent.label);
  const identity = await api.send<IdentityRecord>({
    method: 'POST',
    path: `${IDENTITIES.path}/${parent.id}`,
    json: body,
    op: { what: `create identity "${name}" in ${parent.label}`, capability: 'identity.create', where: parent.label, resource: 'identities' },
  });
  printWarnings(ctx, identity);
  await printOne(ctx, identity, IDENTITY_COLUMNS);
}
