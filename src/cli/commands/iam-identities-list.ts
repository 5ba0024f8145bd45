// `latchkey iam identities list [--parent GROUP] [--name NAME] [--relationship aws|claim_match|static|pull_token]`.

import type { CommandInput } from '../command-input.js';
import type { CliContext } from '../context.js';
import { iamClient } from '../iam-client.js';
import { IDENTITY_COLUMNS, type IdentityRecord } from '../iam-records.js';
import { printList } from '../print-output.js';
import { IDENTITIES, resolveParent } from '../resolve-names.js';

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  const api = await iamClient(ctx);
  const parent = await resolveParent(ctx, api, input, false);
  const identities = await api.listAll<IdentityRecord>(IDENTITIES.path,
    { name: input.string('name'), relationship: input.string('relationship'), 'uidp.descendantsOf': parent?.id },
    { what: 'list identities', capability: 'identity.list', where: parent?.label, resource: 'identities' });
  await printList(ctx, identities, IDENTITY_COLUMNS);
}
