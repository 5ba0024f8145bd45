// `latchkey registry certificate`: the PEM certificates of every registry signing key in use,
// for the registry's `auth.token.rootcertbundle` (GET /registry/certificates).

import { CliError } from '../cli-error.js';
import type { CliContext } from '../context.js';
import { VERSION } from '../version.js';

const TIMEOUT_MS = 30_000;

export async function run(ctx: CliContext): Promise<void> {
  const { api } = await ctx.settings();
  const url = `${api}/registry/certificates`;
  ctx.debug(`> GET ${url}`);
  let res: Response;
  try {
    res = await ctx.fetch(url, { headers: { 'user-agent': `latchkey-cli/${VERSION}` }, redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    throw new CliError('UNREACHABLE', `cannot reach the Latchkey API at ${api}: ${(err as Error).message}`,
      { hint: 'is `latchkey serve` running? set its URL with `latchkey config set platform.api URL`' });
  }
  const text = await res.text();
  ctx.debug(`< ${res.status}`);
  if (!res.ok || !text.startsWith('-----BEGIN CERTIFICATE-----')) {
    throw new CliError('BAD_RESPONSE', `cannot read the registry certificates: ${api} answered ${res.status}`,
      { hint: `check that ${api} is a Latchkey server` });
  }
  ctx.stdout.write(text);
}
