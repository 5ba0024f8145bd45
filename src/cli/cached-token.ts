// The fast path of `latchkey auth token`: the cached token when it is fresh, or undefined (then
// the full CLI runs the command, with its renewal and its errors). Bundled on its own, without
// the rest of the CLI (scripts/build.mjs), and loaded by bin/latchkey.cjs (as CommonJS) for exactly
// `latchkey auth token`: that command sits on the start-up path of every job, and each extra
// ES module the full CLI loads costs about a millisecond (bench/README.md, "CLI start-up").

import { loadSettings } from './settings/load-settings.js';
import { isFresh, readSession } from './token-cache.js';

export async function cachedToken(env: Readonly<Record<string, string | undefined>>, now: number): Promise<string | undefined> {
  try {
    const s = await loadSettings({ env, flags: {} });
    const session = await readSession(s.cacheDir, s.api, s.audience);
    return session && isFresh(session, now, s.refreshMargin) ? session.token : undefined;
  } catch {
    // Invalid settings: the full CLI reports them.
    return undefined;
  }
}
