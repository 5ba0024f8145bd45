// Every setting of the CLI, declared once: its config-file key, its LATCHKEY_* variable (derived
// from the key), its global flag if it has one, its default and a one-line doc. The same
// declarations validate the file, read the environment, drive `config set` and write docs/cli.md.

import type { Setting } from '../../config/index.js';

/** A CLI setting: the server's Setting shape, where most keys have no flag. */
export interface CliSetting<T> extends Omit<Setting<T>, 'flag' | 'env' | 'arg'> {
  /** Dotted key in config.yaml, e.g. "platform.api". */
  key: string;
  /** Global flag (without dashes) that overrides it for one run. */
  flag?: string;
  /** Placeholder for docs, e.g. "URL". */
  arg: string;
  /** The default, when it is a plain value (else defaultDoc says how it is derived). */
  default?: string;
}

export const OUTPUT_FORMATS = ['table', 'json', 'yaml', 'id'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export const AUTH_MODES = ['browser', 'headless'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** The http(s) base URL of a server, without a trailing slash. */
export function parseBaseUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new TypeError(`"${raw}" is not a URL; use e.g. http://127.0.0.1:8080`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new TypeError(`"${raw}" must be an http:// or https:// URL`);
  if (u.search || u.hash || u.username || u.password) throw new TypeError(`"${raw}" must not have a query, fragment or credentials`);
  return u.href.replace(/\/+$/, '');
}

function oneOf<T extends string>(allowed: readonly T[]): (raw: string) => T {
  return (raw) => {
    const v = raw.trim();
    if (!(allowed as readonly string[]).includes(v)) throw new TypeError(`"${raw}" is not one of: ${allowed.join(', ')}`);
    return v as T;
  };
}

function nonEmpty(raw: string): string {
  const v = raw.trim();
  if (!v) throw new TypeError('the value must not be empty');
  return v;
}

function seconds(min: number, max: number): (raw: string) => number {
  return (raw) => {
    const v = raw.trim();
    if (!/^\d{1,6}$/.test(v) || Number(v) < min || Number(v) > max) {
      throw new TypeError(`"${raw}" must be a whole number of seconds from ${min} to ${max}`);
    }
    return Number(v);
  };
}

export const CLI_SETTINGS = {
  api: {
    key: 'platform.api', flag: 'api', arg: 'URL', parse: parseBaseUrl,
    doc: 'URL of the Latchkey API (IAM routes and /sts/exchange).',
    default: 'http://127.0.0.1:8080', defaultDoc: 'http://127.0.0.1:8080',
  } satisfies CliSetting<string>,
  issuer: {
    key: 'platform.issuer', flag: 'issuer', arg: 'URL', parse: parseBaseUrl,
    doc: 'URL of the Latchkey issuer (discovery, login, refresh); AWS tokens are bound to its `issuer`.',
    defaultDoc: 'platform.api',
  } satisfies CliSetting<string>,
  audience: {
    key: 'platform.audience', flag: 'audience', arg: 'AUD', parse: nonEmpty,
    doc: 'Audience of the tokens to request; one cached token per audience.', defaultDoc: 'the server\'s API audience',
  } satisfies CliSetting<string>,
  authMode: {
    key: 'auth.mode', arg: 'MODE', parse: oneOf(AUTH_MODES),
    doc: 'How people log in: browser, or headless (no browser from this shell).',
    default: 'browser', defaultDoc: 'browser',
  } satisfies CliSetting<AuthMode>,
  refreshMargin: {
    key: 'auth.refresh-margin', arg: 'SECONDS', parse: seconds(0, 3600),
    doc: 'Refresh a cached token this many seconds before it expires.',
    default: '60', defaultDoc: '60',
  } satisfies CliSetting<number>,
  defaultGroup: {
    key: 'default.group', arg: 'GROUP', parse: nonEmpty,
    doc: 'Organization or folder (name or UIDP) used when a command\'s --parent is not given.', defaultDoc: 'none',
  } satisfies CliSetting<string>,
  defaultOutput: {
    key: 'default.output', arg: 'FORMAT', parse: oneOf(OUTPUT_FORMATS),
    doc: 'Output format when -o is not given: table, json, yaml or id.',
    default: 'table', defaultDoc: 'table',
  } satisfies CliSetting<OutputFormat>,
};

export type SettingName = keyof typeof CLI_SETTINGS;

export const SETTING_KEYS: readonly string[] = Object.values(CLI_SETTINGS).map((s) => s.key);

/** The environment variable of a key: LATCHKEY_ + the key in upper case, "." and "-" as "_". */
export function envNameOf(key: string): string {
  return `LATCHKEY_${key.toUpperCase().replace(/[.-]/g, '_')}`;
}

/** The setting declared under a dotted key, or undefined. */
export function settingByKey(key: string): [SettingName, CliSetting<unknown>] | undefined {
  for (const [name, s] of Object.entries(CLI_SETTINGS) as Array<[SettingName, CliSetting<unknown>]>) {
    if (s.key === key) return [name, s];
  }
  return undefined;
}
