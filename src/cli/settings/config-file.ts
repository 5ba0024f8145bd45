// Reading and writing config.yaml. The `yaml` library is loaded only when a file must be parsed
// or changed: never without a config file, and not for content parsed before
// (cached-config-values.ts).

import { promises as fsp, readFileSync } from 'node:fs';
import { cjsExports } from '../cjs-exports.js';
import { CliError } from '../cli-error.js';
import { writeFileAtomic } from '../write-file-atomic.js';

/** The file's text, or undefined when there is no file. Read synchronously: see token-cache.ts. */
export async function readConfigText(path: string): Promise<string | undefined> {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError('CONFIG_INVALID', `cannot read the config file ${path}: ${(err as Error).message}`);
  }
}

/** Flattens the file to dotted keys with string values (unknown keys are kept, to report them). */
export async function parseConfigText(path: string, text: string): Promise<Map<string, string>> {
  const { parse } = cjsExports(await import('yaml'));
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new CliError('CONFIG_INVALID', `the config file ${path} is not valid YAML: ${(err as Error).message.split('\n')[0]}`,
      { hint: 'fix it, or start again with `latchkey config reset`' });
  }
  const out = new Map<string, string>();
  const walk = (node: unknown, prefix: string): void => {
    if (node === null || node === undefined) return;
    if (typeof node === 'object' && !Array.isArray(node)) {
      for (const [k, v] of Object.entries(node)) walk(v, prefix ? `${prefix}.${k}` : k);
    } else if (typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean') {
      out.set(prefix, String(node));
    } else {
      throw new CliError('CONFIG_INVALID', `the config file ${path} has a list at ${prefix || 'the top level'}`,
        { hint: 'each key holds one value; see `latchkey config view`' });
    }
  };
  walk(doc, '');
  return out;
}

/** Sets (value) or removes (undefined) one dotted key, keeping the rest of the file and its comments. */
export async function updateConfigFile(path: string, key: string, value: string | undefined): Promise<void> {
  const { parseDocument } = cjsExports(await import('yaml'));
  const text = (await readConfigText(path)) ?? '';
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new CliError('CONFIG_INVALID', `the config file ${path} is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`,
      { hint: 'fix it, or start again with `latchkey config reset`' });
  }
  const keyPath = key.split('.');
  if (value === undefined) {
    doc.deleteIn(keyPath);
    // Drop sections left empty, so `unset` undoes `set`.
    for (let n = keyPath.length - 1; n > 0; n--) {
      const parent = doc.getIn(keyPath.slice(0, n)) as { items?: unknown[] } | undefined;
      if (parent?.items?.length === 0) doc.deleteIn(keyPath.slice(0, n));
    }
  } else {
    doc.setIn(keyPath, value);
  }
  await writeFileAtomic(path, doc.toString(), 0o600);
}

/** Deletes the file; false when there was none. */
export async function deleteConfigFile(path: string): Promise<boolean> {
  try {
    await fsp.rm(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
