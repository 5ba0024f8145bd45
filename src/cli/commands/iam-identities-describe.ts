// `latchkey iam identities describe IDENTITY`: the record, and its rule field by field.

import type { CommandInput } from '../command-input.js';
import type { CliContext } from '../context.js';
import { iamClient } from '../iam-client.js';
import { IDENTITY_COLUMNS, type IdentityRecord } from '../iam-records.js';
import { printOne } from '../print-output.js';
import { IDENTITIES, fetchRecord } from '../resolve-names.js';

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  const api = await iamClient(ctx);
  const identity = await fetchRecord<IdentityRecord>(api, IDENTITIES, input.arg(0)!);
  await printOne(ctx, identity, IDENTITY_COLUMNS);
  if ((await ctx.outputFormat()) !== 'table') return;
  const [title, rule] = identity.awsIdentity ? ['AWS rule', identity.awsIdentity]
    : identity.claimMatch ? ['Claim-match rule', identity.claimMatch]
      : identity.static ? ['Static rule', identity.static] : [undefined, undefined];
  if (!title || !rule) return;
  ctx.stdout.write(`${title}:\n${ruleLines(rule as Record<string, unknown>).join('\n')}\n`);
}

/** One line per field; claims one per claim; a static rule's keys by kid only. */
function ruleLines(rule: Record<string, unknown>): string[] {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(rule)) {
    if (k === 'issuerKeys') {
      const keys = (v as { keys?: Array<{ kid?: unknown; kty?: unknown }> }).keys ?? [];
      lines.push(`  issuerKeys: ${keys.length} key(s)${keys.length ? `: ${keys.map((x) => String(x.kid ?? x.kty)).join(', ')}` : ''}`);
    } else if (typeof v === 'object' && v !== null) {
      for (const [name, value] of Object.entries(v)) lines.push(`  ${k}.${name}: ${String(value)}`);
    } else {
      lines.push(`  ${k}: ${String(v)}`);
    }
  }
  return lines;
}
