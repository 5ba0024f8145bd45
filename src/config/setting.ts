// One declaration per setting: its flag, its LATCHKEY_* variable, its default and its doc.
// The same declarations build the CLI options, read the environment and generate
// docs/configuration.md, so a setting cannot exist in one place and not another.

export interface Setting<T> {
  /** camelCase key in the resolved config object. */
  key: string;
  /** Long flag, without dashes (e.g. "issuer-url"). */
  flag: string;
  /** Environment variable (e.g. "LATCHKEY_ISSUER_URL"). */
  env: string;
  /** Placeholder for docs and --help, e.g. "URL". Omit for boolean switches. */
  arg?: string;
  /** One-line doc. */
  doc: string;
  /** Human-readable default for docs. */
  defaultDoc: string;
  /** Parses a raw string; throws TypeError with a message saying what to fix. */
  parse(raw: string): T;
}

export function setting<T>(s: Setting<T>): Setting<T> {
  return s;
}

/** Parses "90s", "15m", "1h", "7d" or a plain number of seconds into seconds. */
export function parseDuration(raw: string): number {
  const m = /^(\d{1,9})(s|m|h|d)?$/.exec(raw.trim());
  if (!m) throw new TypeError(`"${raw}" is not a duration: use a number of seconds or e.g. 90s, 15m, 1h, 7d`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return n * ({ s: 1, m: 60, h: 3600, d: 86400 } as const)[unit as 's' | 'm' | 'h' | 'd'];
}

export function parseBool(raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
  throw new TypeError(`"${raw}" is not a boolean: use true or false`);
}

export function parseIntIn(min: number, max: number): (raw: string) => number {
  return (raw) => {
    const t = raw.trim();
    if (!/^\d{1,10}$/.test(t)) throw new TypeError(`"${raw}" is not a whole number`);
    const n = Number(t);
    if (n < min || n > max) throw new TypeError(`${n} is out of range: use ${min} to ${max}`);
    return n;
  };
}

export function parseDurationIn(minS: number, maxS: number): (raw: string) => number {
  return (raw) => {
    const n = parseDuration(raw);
    if (n < minS || n > maxS) throw new TypeError(`${raw} is out of range: use ${minS}s to ${maxS}s`);
    return n;
  };
}

export function parseUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new TypeError(`"${raw}" is not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new TypeError(`"${raw}" must be an http or https URL`);
  if (u.search || u.hash || u.username || u.password) throw new TypeError(`"${raw}" must not have a query, fragment or credentials`);
  return u.href.replace(/\/$/, '');
}
