// Resolves the CLI's settings: global flag, else LATCHKEY_* variable, else config file, else
// default. Every value is validated here with a message that names where it came from.

import { CliError } from '../cli-error.js';
import { CLI_SETTINGS, envNameOf, type AuthMode, type CliSetting, type OutputFormat, type SettingName } from './cli-settings.js';
import { cachedConfigValues } from './cached-config-values.js';
import { readConfigText } from './config-file.js';
import { configCacheFile, configFilePath, tokenCacheDir } from './paths.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface Settings {
  api: string;
  issuer: string;
  /** Undefined: the server's default API audience. */
  audience: string | undefined;
  authMode: AuthMode;
  refreshMargin: number;
  defaultGroup: string | undefined;
  defaultOutput: OutputFormat;
  configPath: string;
  cacheDir: string;
}

export type SettingSource = 'flag' | 'env' | 'file' | 'default';

/** One resolved value and where it came from (for `config view`). */
export interface ResolvedSetting {
  key: string;
  value: string | undefined;
  source: SettingSource;
  origin: string;
}

export interface SettingsInput {
  env: Env;
  /** Global flags by name: api, issuer, audience, config. */
  flags: Readonly<Record<string, string | undefined>>;
}

/** Every setting's raw value and source, validated. */
export async function resolveSettings(input: SettingsInput): Promise<{ configPath: string; values: ResolvedSetting[] }> {
  const configPath = configFilePath(input.env, input.flags.config);
  const text = await readConfigText(configPath);
  const file = text === undefined ? new Map<string, string>() : await cachedConfigValues(configPath, text, configCacheFile(input.env));
  const values: ResolvedSetting[] = [];
  for (const s of Object.values(CLI_SETTINGS) as CliSetting<unknown>[]) {
    const env = envNameOf(s.key);
    const fromFlag = s.flag ? input.flags[s.flag] : undefined;
    let r: ResolvedSetting;
    if (fromFlag !== undefined) r = { key: s.key, value: fromFlag, source: 'flag', origin: `--${s.flag}` };
    else if (input.env[env]) r = { key: s.key, value: input.env[env], source: 'env', origin: env };
    else if (file.has(s.key)) r = { key: s.key, value: file.get(s.key), source: 'file', origin: configPath };
    else r = { key: s.key, value: s.default, source: 'default', origin: 'default' };
    if (r.value !== undefined && r.source !== 'default') {
      try {
        r.value = String(s.parse(r.value));
      } catch (err) {
        const fix = r.source === 'file'
          ? `fix it with \`latchkey config set ${s.key} ${s.arg}\` or \`latchkey config unset ${s.key}\``
          : `fix ${r.origin}`;
        throw new CliError('CONFIG_INVALID', `invalid ${s.key} (from ${r.origin}): ${(err as Error).message}`, { hint: fix });
      }
    }
    values.push(r);
  }
  return { configPath, values };
}

/** The settings a command runs with. */
export async function loadSettings(input: SettingsInput): Promise<Settings> {
  const { configPath, values } = await resolveSettings(input);
  const raw = new Map(values.map((v) => [v.key, v.value]));
  const get = (name: SettingName): string | undefined => raw.get(CLI_SETTINGS[name].key);
  // Values are validated above; parse() again only narrows their types.
  const api = get('api')!;
  return {
    api,
    issuer: get('issuer') ?? api,
    audience: get('audience'),
    authMode: CLI_SETTINGS.authMode.parse(get('authMode')!),
    refreshMargin: CLI_SETTINGS.refreshMargin.parse(get('refreshMargin')!),
    defaultGroup: get('defaultGroup'),
    defaultOutput: CLI_SETTINGS.defaultOutput.parse(get('defaultOutput')!),
    configPath,
    cacheDir: tokenCacheDir(input.env),
  };
}
