// `latchkey auth login`: a person (dev login for now), or a workload with an identity token
// (the seed's last step, or any OpenID Connect token), or with what its platform provides: AWS
// credentials, a GitHub Actions ID token, a Kubernetes projected service-account token.

import { stat } from 'node:fs/promises';
import { isUidp } from '../iam-ids.js';
import { CliError } from '../cli-error.js';
import type { CommandInput } from '../command-input.js';
import type { CliContext } from '../context.js';
import { loginHuman } from '../human-login/index.js';
import { DEFAULT_KUBERNETES_TOKEN_PATH } from '../ambient-identity-token.js';
import { loginWorkload, type IdentityTokenSource } from '../workload-login.js';

const HEADLESS_NOTICE = 'Using "headless" auth mode as set in configuration. To disable: latchkey config unset auth.mode';

/**
 * --identity-token: @FILE is a file (re-read on renewal); so is a path where a file exists;
 * anything else is the token itself.
 */
async function tokenSource(value: string): Promise<IdentityTokenSource> {
  if (value.startsWith('@')) return { kind: 'token-file', path: value.slice(1) };
  try {
    if ((await stat(value)).isFile()) return { kind: 'token-file', path: value };
  } catch {
    // not a path (a token is no file name): the token itself
  }
  return { kind: 'token', token: value.trim() };
}

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  const settings = await ctx.settings();
  if (settings.authMode === 'headless') ctx.notice(HEADLESS_NOTICE);
  const identity = input.string('identity');
  const token = input.string('identity-token');
  const provider = input.string('identity-provider');

  if (token !== undefined || provider !== undefined) {
    if (token !== undefined && provider !== undefined) {
      throw new CliError('USAGE', 'give --identity-token or --identity-provider, not both');
    }
    if (!identity) throw new CliError('USAGE', 'logging in as a workload needs --identity UIDP (the identity to assume)');
    if (!isUidp(identity)) throw new CliError('USAGE', `--identity must be the UIDP of an identity, not "${identity}"`);
    if (token !== undefined && !token.trim()) throw new CliError('USAGE', '--identity-token is empty');
    const source: IdentityTokenSource = provider === 'aws' ? { kind: 'aws', region: input.string('aws-region') }
      : provider === 'github-actions' ? { kind: 'github-actions', audience: input.string('identity-token-audience') }
        : provider === 'kubernetes' ? { kind: 'kubernetes', path: input.string('kubernetes-token-path') ?? DEFAULT_KUBERNETES_TOKEN_PATH }
          : await tokenSource(token!);
    if (input.has('identity-token-audience') && provider !== 'github-actions') {
      throw new CliError('USAGE', '--identity-token-audience goes with --identity-provider github-actions');
    }
    if (input.has('kubernetes-token-path') && provider !== 'kubernetes') {
      throw new CliError('USAGE', '--kubernetes-token-path goes with --identity-provider kubernetes');
    }
    const session = await loginWorkload(ctx, identity, source);
    ctx.stdout.write(`Successfully exchanged token.\nValid! Id: ${session.subject}\n`);
    return;
  }
  if (identity !== undefined) {
    throw new CliError('USAGE', '--identity needs --identity-token TOKEN|@FILE or --identity-provider aws|github-actions|kubernetes');
  }
  if (input.has('aws-region')) throw new CliError('USAGE', '--aws-region goes with --identity-provider aws');
  // --headless for this login only: the flows read auth.mode from the settings.
  const settingsNow = await ctx.settings();
  const loginCtx: CliContext = input.bool('headless')
    ? { ...ctx, settings: async () => ({ ...settingsNow, authMode: 'headless' }) }
    : ctx;
  const session = await loginHuman(loginCtx);
  ctx.stdout.write(`Successfully logged in.\nValid! Id: ${session.subject}\n`);
}
