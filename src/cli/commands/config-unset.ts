// `latchkey config unset KEY`: back to the default (or the LATCHKEY_* variable).

import type { CommandInput } from '../command-input.js';
import type { CliContext } from '../context.js';
import { updateConfigFile } from '../settings/config-file.js';
import { configFilePath } from '../settings/paths.js';
import { knownSetting } from './config-set.js';

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  const key = input.arg(0)!;
  knownSetting(key);
  const path = configFilePath(ctx.env, ctx.globals.config);
  await updateConfigFile(path, key, undefined);
  ctx.stdout.write(`Unset ${key} in ${path}.\n`);
}
