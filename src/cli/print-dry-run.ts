// Prints the answer of a dry-run update: the callers of the identity's recent exchanges who
// would lose or gain access under the proposed rule.

import type { CliContext } from './context.js';
import { serialize } from './print-output.js';
import { renderTable, type Column } from './render-table.js';

export type DryRunCaller =
  | { account: string; arn: string; userId: string; lastSeen: string }
  | { iss: string; sub: string; lastSeen: string };

export interface DryRun {
  dryRun: true;
  identity: { id: string; warnings?: string[] };
  callers: number;
  loseAccess: DryRunCaller[];
  gainAccess: DryRunCaller[];
  notReplayed: string[];
}

type Row = { change: string; caller: DryRunCaller };

const COLUMNS: readonly Column<Row>[] = [
  { header: 'CHANGE', value: (r) => r.change },
  { header: 'CALLER', value: (r) => ('arn' in r.caller ? r.caller.arn : `${r.caller.iss} ${r.caller.sub}`) },
  { header: 'ACCOUNT/USERID', value: (r) => ('arn' in r.caller ? `${r.caller.account} ${r.caller.userId}` : '-') },
  { header: 'LAST SEEN', value: (r) => r.caller.lastSeen },
];

export async function printDryRun(ctx: CliContext, d: DryRun): Promise<void> {
  const format = await ctx.outputFormat();
  if (format === 'json' || format === 'yaml') {
    ctx.stdout.write(await serialize(d, format));
    return;
  }
  if (format === 'id') {
    ctx.stdout.write(`${d.identity.id}\n`);
    return;
  }
  const rows: Row[] = [
    ...d.loseAccess.map((caller) => ({ change: 'lose', caller })),
    ...d.gainAccess.map((caller) => ({ change: 'gain', caller })),
  ];
  ctx.stdout.write(`Dry run: nothing was changed. ${d.callers} distinct caller(s) in the identity's recent exchanges.\n`);
  if (rows.length) ctx.stdout.write(renderTable(COLUMNS, rows, ctx.color));
  else ctx.stdout.write('No caller seen recently would gain or lose access.\n');
  if (d.notReplayed.length) {
    ctx.stdout.write(`Not replayed (the audit keeps no facts for them): ${d.notReplayed.join(', ')}.\n`);
  }
}
