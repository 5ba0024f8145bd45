// `latchkey iam role-bindings list [--parent GROUP] [--identity IDENTITY | --email EMAIL]`: bindings and invitations.

import type { CommandInput } from '../command-input.js';
import type { CliContext } from '../context.js';
import { iamClient } from '../iam-client.js';
import { BINDING_COLUMNS, type BindingRecord } from '../iam-records.js';
import { printList } from '../print-output.js';
import { BINDINGS, IDENTITIES, resolveId, resolveParent } from '../resolve-names.js';

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  const api = await iamClient(ctx);
  const parent = await resolveParent(ctx, api, input, false);
  const identityRef = input.string('identity');
  const identity = identityRef ? await resolveId(api, IDENTITIES, identityRef) : undefined;
  const bindings = await api.listAll<BindingRecord>(BINDINGS.path,
    { identity, email: input.string('email'), 'uidp.descendantsOf': parent?.id },
    { what: 'list role bindings', capability: 'role_bindings.list', where: parent?.label, resource: 'role-bindings' });
  await printList(ctx, bindings, BINDING_COLUMNS);
}
