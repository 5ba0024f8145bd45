// config.yaml's values, parsed once per content. The YAML parser is the largest thing a cached
// `latchkey auth token` would load (~11 ms, half of Node's own start-up), so the flattened
// values are kept in $XDG_CACHE_HOME/latchkey/config.json (0600) together with the exact text
// they were parsed from: any change to the file, even a comment, is parsed again, so the cache
// never answers for other content. A file that does not parse is never cached (its error is
// reported every time), and a cache that cannot be read or written is only slower.

import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../write-file-atomic.js';
import { parseConfigText } from './config-file.js';

interface ConfigCache {
  version: 1;
  text: string;
  values: Array<[string, string]>;
}

function isConfigCache(v: unknown): v is ConfigCache {
  const c = v as Partial<ConfigCache> | null;
  return typeof c === 'object' && c !== null && c.version === 1 && typeof c.text === 'string' && Array.isArray(c.values)
    && c.values.every((kv) => Array.isArray(kv) && kv.length === 2 && typeof kv[0] === 'string' && typeof kv[1] === 'string');
}

export async function cachedConfigValues(path: string, text: string, cacheFile: string): Promise<Map<string, string>> {
  try {
    const cached: unknown = JSON.parse(readFileSync(cacheFile, 'utf8'));
    if (isConfigCache(cached) && cached.text === text) return new Map(cached.values);
  } catch {
    // No cache yet, or an unreadable one: parse.
  }
  const values = await parseConfigText(path, text);
  const entry: ConfigCache = { version: 1, text, values: [...values] };
  await writeFileAtomic(cacheFile, `${JSON.stringify(entry)}\n`, 0o600).catch(() => {});
  return values;
}
