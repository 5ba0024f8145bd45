// `latchkey auth credential-helper get|store|erase|list`: docker's credential-helper protocol,
// which docker-credential-latchkey speaks. `get` reads the registry host on stdin and answers
// {"ServerURL","Username":"_token","Secret"} with a fresh Latchkey token whose audience is that
// host: from the cache, renewed, or (for a workload logged in for another audience) exchanged
// again for this one. Latchkey tokens are never stored by docker: store and erase do nothing.

import { CliError } from '../cli-error.js';
import type { CommandInput } from '../command-input.js';
import type { CliContext } from '../context.js';
import { registryHost } from '../docker-config.js';
import { currentSession } from '../session.js';
import { readSession, type Session } from '../token-cache.js';

const MAX_STDIN = 4096;

async function readStdin(ctx: CliContext): Promise<string> {
  let text = '';
  for await (const chunk of ctx.stdin()) {
    text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    if (text.length > MAX_STDIN) throw new CliError('INPUT_INVALID', 'the server URL on stdin is too long');
  }
  return text.trim();
}

/** A session for `audience`: cached or renewed, else a workload's login exchanged again for it. */
async function sessionFor(ctx: CliContext, audience: string): Promise<Session> {
  const base = await ctx.settings();
  const forHost: CliContext = { ...ctx, settings: async () => ({ ...base, audience }) };
  if (await readSession(base.cacheDir, base.api, audience)) return currentSession(forHost);
  const login = await readSession(base.cacheDir, base.api, base.audience);
  if (login?.kind === 'workload' && login.provider !== 'none') {
    const { loginWorkload } = await import('../workload-login.js');
    return loginWorkload(forHost, login.identity, login.provider === 'aws' ? { kind: 'aws', region: login.awsRegion }
      : login.provider === 'github-actions' ? { kind: 'github-actions', audience: login.tokenAudience }
        : { kind: login.provider, path: login.tokenFile ?? '' });
  }
  throw new CliError('NOT_LOGGED_IN', `no workload login to get a token for registry ${audience} with`, {
    hint: 'log in as a workload (`latchkey auth login --identity UIDP --identity-provider aws`, or --identity-token FILE); '
      + 'people pull with a pull token (`latchkey auth pull-token create`)',
  });
}

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  const action = input.arg(0);
  switch (action) {
    case 'get': {
      const serverUrl = await readStdin(ctx);
      const session = await sessionFor(ctx, registryHost(serverUrl));
      ctx.stdout.write(`${JSON.stringify({ ServerURL: serverUrl, Username: '_token', Secret: session.token })}\n`);
      return;
    }
    case 'store':
    case 'erase':
      await readStdin(ctx);
      return;
    case 'list':
      ctx.stdout.write('{}\n');
      return;
    default:
      throw new CliError('USAGE', `unknown credential-helper action "${action ?? ''}": use get, store, erase or list`);
  }
}
