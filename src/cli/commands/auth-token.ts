// `latchkey auth token`: print a valid token. The cached path reads one file and decodes
// nothing: keep this module's imports to the cache and settings.

import type { CliContext } from '../context.js';
import { currentSession } from '../session.js';

export async function run(ctx: CliContext): Promise<void> {
  const session = await currentSession(ctx);
  ctx.stdout.write(`${session.token}\n`);
}
