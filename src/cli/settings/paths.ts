// Where the CLI keeps its files, following the XDG base directory spec.

import { homedir } from 'node:os';
import { join } from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

/** The config file: --config, else $LATCHKEY_CONFIG, else $XDG_CONFIG_HOME/latchkey/config.yaml. */
export function configFilePath(env: Env, flag?: string): string {
  if (flag) return flag;
  if (env.LATCHKEY_CONFIG) return env.LATCHKEY_CONFIG;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'latchkey', 'config.yaml');
}

/** The CLI's cache directory: $XDG_CACHE_HOME/latchkey (~/.cache/latchkey). */
function cacheHome(env: Env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'latchkey');
}

/** The token cache directory: $XDG_CACHE_HOME/latchkey/tokens (~/.cache/latchkey/tokens). */
export function tokenCacheDir(env: Env): string {
  return join(cacheHome(env), 'tokens');
}

/** config.yaml's parsed values, kept with the text they came from: $XDG_CACHE_HOME/latchkey/config.json. */
export function configCacheFile(env: Env): string {
  return join(cacheHome(env), 'config.json');
}
