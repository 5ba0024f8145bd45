// `latchkey config reset`: delete the configuration file (every key back to its default).

import type { CommandInput } from '../command-input.js';
import { confirmDelete } from '../confirm.js';
import type { CliContext } from '../context.js';
import { deleteConfigFile } from '../settings/config-file.js';
import { configFilePath } from '../settings/paths.js';

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  const path = configFilePath(ctx.env, ctx.globals.config);
  await confirmDelete(ctx, input, `the configuration file ${path}`);
  const deleted = await deleteConfigFile(path);
  ctx.stdout.write(deleted ? `Deleted ${path}.\n` : `There was no configuration file at ${path}.\n`);
}
