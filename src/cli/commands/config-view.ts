// `latchkey config view`: every setting's effective value and where it comes from.

import { CliError } from '../cli-error.js';
import type { CliContext } from '../context.js';
import { serialize } from '../print-output.js';
import { renderTable } from '../render-table.js';
import { settingByKey } from '../settings/cli-settings.js';
import { resolveSettings, type ResolvedSetting } from '../settings/load-settings.js';

/** The effective values as config.yaml would hold them (numbers as numbers). */
function nested(values: readonly ResolvedSetting[]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const v of values) {
    if (v.value === undefined) continue;
    const [section, ...rest] = v.key.split('.');
    (out[section!] ??= {})[rest.join('.')] = settingByKey(v.key)![1].parse(v.value);
  }
  return out;
}

export async function run(ctx: CliContext): Promise<void> {
  const { configPath, values } = await resolveSettings({ env: ctx.env, flags: ctx.globals });
  const format = ctx.globals.output ?? 'table';
  if (format === 'json' || format === 'yaml') ctx.stdout.write(await serialize(nested(values), format));
  else if (format === 'table') {
    // The issuer, unless set, is platform.api's: show the URL itself (AWS tokens are bound to it).
    const api = values.find((v) => v.key === 'platform.api')?.value;
    const shown = values.map((v) => (v.key === 'platform.issuer' && v.value === undefined && api !== undefined
      ? { ...v, value: api, origin: 'platform.api' } : v));
    ctx.stdout.write(`# ${configPath}\n`);
    ctx.stdout.write(renderTable([
      { header: 'KEY', value: (v: ResolvedSetting) => v.key },
      { header: 'VALUE', value: (v) => v.value ?? (v.key === 'platform.audience' ? '(the server\'s API audience)' : '(none)') },
      { header: 'FROM', value: (v) => v.origin },
    ], shown, ctx.color));
  } else throw new CliError('USAGE', '`config view` prints table, json or yaml');
}
