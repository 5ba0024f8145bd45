// The delete commands: resolve the name, say what will go, ask, delete, report.

import { parentOf, type Capability } from './iam-ids.js';
import type { CommandInput } from './command-input.js';
import { confirmDelete } from './confirm.js';
import type { CliContext } from './context.js';
import { iamClient } from './iam-client.js';
import { printDeleted } from './print-output.js';
import { GROUPS, resolveId, type RecordKind } from './resolve-names.js';

export interface DeleteSpec {
  kind: RecordKind;
  /** How to call the record: "identity", "folder", ... */
  label: string;
  capability: Capability;
  /** Where the capability is checked: on the record itself, or on its parent. */
  checkedOn: 'self' | 'parent';
  /** Said before the question, e.g. " and everything beneath it". */
  consequence?: string;
}

export async function deleteRecord(ctx: CliContext, input: CommandInput, spec: DeleteSpec): Promise<void> {
  const ref = input.arg(0)!;
  const api = await iamClient(ctx);
  const id = await resolveId(api, spec.kind, ref);
  const what = `${spec.label} ${ref}${id === ref ? '' : ` (${id})`}`;
  await confirmDelete(ctx, input, `${what}${spec.consequence ?? ''}`);
  await api.send({
    method: 'DELETE',
    path: `${spec.kind.path}/${id}`,
    op: {
      what: `delete ${what}`,
      capability: spec.capability,
      where: spec.checkedOn === 'self' ? ref : parentOf(id) ?? id,
      resource: spec.kind.resource,
    },
  });
  await printDeleted(ctx, what, id);
}

/** Organizations and folders: deleting one deletes everything beneath it. */
export function deleteGroup(ctx: CliContext, input: CommandInput, label: 'organization' | 'folder'): Promise<void> {
  return deleteRecord(ctx, input, {
    kind: GROUPS, label, capability: 'groups.delete', checkedOn: 'self', consequence: ' and everything beneath it',
  });
}
