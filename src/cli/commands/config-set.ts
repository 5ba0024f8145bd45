// `latchkey config set KEY VALUE`: validated against the setting's declaration first.

import { CliError } from '../cli-error.js';
import type { CommandInput } from '../command-input.js';
import type { CliContext } from '../context.js';
import { SETTING_KEYS, settingByKey, type CliSetting } from '../settings/cli-settings.js';
import { updateConfigFile } from '../settings/config-file.js';
import { configFilePath } from '../settings/paths.js';

/** The declaration of a key the user typed, or a usage error listing the keys. */
export function knownSetting(key: string): CliSetting<unknown> {
  const found = settingByKey(key);
  if (!found) throw new CliError('USAGE', `unknown config key "${key}"`, { hint: `use one of ${SETTING_KEYS.join(', ')}` });
  return found[1];
}

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  const [key, raw] = [input.arg(0)!, input.arg(1)!];
  const setting = knownSetting(key);
  let value: string;
  try {
    value = String(setting.parse(raw));
  } catch (err) {
    throw new CliError('USAGE', `invalid ${key}: ${(err as Error).message}`);
  }
  const path = configFilePath(ctx.env, ctx.globals.config);
  await updateConfigFile(path, key, value);
  ctx.stdout.write(`Set ${key} to ${value} in ${path}.\n`);
}
