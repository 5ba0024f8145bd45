// Prints command results in the chosen format: table (people), json, yaml, or id (scripts).
// A list in json/yaml is {"items": [...]}, so `jq -r '.items[0].id'` works as the seed uses it.

import { cjsExports } from './cjs-exports.js';
import type { CliContext } from './context.js';
import { renderTable, type Column } from './render-table.js';

/** `value` as pretty JSON or YAML text. */
export async function serialize(value: unknown, format: 'json' | 'yaml'): Promise<string> {
  if (format === 'json') return `${JSON.stringify(value, null, 2)}\n`;
  const { stringify } = cjsExports(await import('yaml'));
  return stringify(value);
}

export async function printList<T extends { id: string }>(ctx: CliContext, items: readonly T[], columns: readonly Column<T>[]): Promise<void> {
  const format = await ctx.outputFormat();
  if (format === 'id') ctx.stdout.write(items.map((i) => `${i.id}\n`).join(''));
  else if (format === 'table') ctx.stdout.write(renderTable(columns, items, ctx.color));
  else ctx.stdout.write(await serialize({ items }, format));
}

export async function printOne<T extends { id: string }>(ctx: CliContext, item: T, columns: readonly Column<T>[]): Promise<void> {
  const format = await ctx.outputFormat();
  if (format === 'id') ctx.stdout.write(`${item.id}\n`);
  else if (format === 'table') ctx.stdout.write(renderTable(columns, [item], ctx.color));
  else ctx.stdout.write(await serialize(item, format));
}

/** After a delete: the id with -o id, else a sentence. */
export async function printDeleted(ctx: CliContext, what: string, id: string): Promise<void> {
  const format = await ctx.outputFormat();
  if (format === 'id') ctx.stdout.write(`${id}\n`);
  else if (format === 'table') ctx.stdout.write(`Deleted ${what}.\n`);
  else ctx.stdout.write(await serialize({ id, deleted: true }, format));
}

/** The server's warnings about what was just written (e.g. a pattern that accepts anyone). */
export function printWarnings(ctx: CliContext, record: { warnings?: unknown }): void {
  if (!Array.isArray(record.warnings)) return;
  for (const w of record.warnings) if (typeof w === 'string') ctx.notice(`warning: ${w}`);
}
