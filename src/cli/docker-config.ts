// Where container clients keep their credential settings, and how the credential-helper entry
// is added to them: docker's config.json (`credHelpers`) and containers' auth.json (podman,
// skopeo, buildah). Existing entries are kept; a file that is not a JSON object is left alone
// (refused, never overwritten); writes are atomic.

import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError } from './cli-error.js';
import { writeFileAtomic } from './write-file-atomic.js';

/** The helper name: clients run `docker-credential-<name>`. */
export const HELPER_NAME = 'latchkey';

type Env = Readonly<Record<string, string | undefined>>;

/** docker's config.json: $DOCKER_CONFIG/config.json, else ~/.docker/config.json. */
export function dockerConfigPath(env: Env): string {
  return join(env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker'), 'config.json');
}

/**
 * containers' auth.json, as containers-auth.json(5) picks it: $REGISTRY_AUTH_FILE, else
 * $XDG_RUNTIME_DIR/containers/auth.json, else $XDG_CONFIG_HOME/containers/auth.json (which
 * the containers tools also read).
 */
export function containersAuthPath(env: Env): string {
  if (env.REGISTRY_AUTH_FILE) return env.REGISTRY_AUTH_FILE;
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json');
  return join(env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config'), 'containers', 'auth.json');
}

/** The registry host as clients name it: no scheme, no path (e.g. `registry.example.com:5000`). */
export function registryHost(raw: string): string {
  const h = raw.trim().replace(/^https?:\/\//i, '').replace(/\/.*$/, '');
  if (!/^[A-Za-z0-9.-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$/.test(h)) {
    throw new CliError('USAGE', `"${raw.slice(0, 100)}" is not a registry host (e.g. registry.example.com or 127.0.0.1:5000)`);
  }
  return h.toLowerCase();
}

/** Sets credHelpers[host] = latchkey in the JSON file at `path`; true when the file changed. */
export async function addCredHelper(path: string, host: string): Promise<boolean> {
  let doc: Record<string, unknown> = {};
  let mode = 0o600;
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
    mode = (await stat(path)).mode & 0o777;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new CliError('INPUT_INVALID', `cannot read ${path}: ${(err as Error).message}`);
    }
  }
  if (text !== undefined && text.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new CliError('INPUT_INVALID', `${path} is not a JSON object: left unchanged`, { hint: 'fix or move the file, then run this again' });
    }
    doc = parsed as Record<string, unknown>;
  }
  const helpers = doc.credHelpers ?? {};
  if (typeof helpers !== 'object' || helpers === null || Array.isArray(helpers)) {
    throw new CliError('INPUT_INVALID', `"credHelpers" in ${path} is not an object: left unchanged`);
  }
  if ((helpers as Record<string, unknown>)[host] === HELPER_NAME) return false;
  doc.credHelpers = { ...helpers, [host]: HELPER_NAME };
  await writeFileAtomic(path, `${JSON.stringify(doc, null, '\t')}\n`, mode);
  return true;
}
