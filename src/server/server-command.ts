// Builds a commander Command whose options are exactly SERVER_SETTINGS, and resolves them.

import { Command } from 'commander';
import { SERVER_SETTINGS, loadServerConfig, type ServerConfig } from '../config/index.js';
import type { Setting } from '../config/index.js';

/** Adds every server setting as a flag; --help shows its env var and default. */
export function addServerOptions(cmd: Command): Command {
  for (const s of Object.values(SERVER_SETTINGS) as Array<Setting<unknown>>) {
    const flag = s.arg ? `--${s.flag} <${s.arg}>` : `--${s.flag}`;
    cmd.option(flag, `${s.doc} [env ${s.env}; default ${s.defaultDoc}]`);
  }
  return cmd;
}

/** Resolves the parsed commander options (camelCased flag names) into a ServerConfig. */
export function configFromOptions(opts: Record<string, unknown>, env: NodeJS.ProcessEnv): ServerConfig {
  const flags: Record<string, string | boolean | undefined> = {};
  for (const [key, s] of Object.entries(SERVER_SETTINGS) as Array<[string, Setting<unknown>]>) {
    const camel = s.flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
    const v = opts[camel];
    if (typeof v === 'string' || typeof v === 'boolean') flags[key] = v;
  }
  return loadServerConfig(flags, env);
}
