// A person's login at an issuer with upstream providers: in the browser, or headless (auth.mode
// headless) with a device code. The issuer's discovery says where its endpoints are.

import { CliError } from '../cli-error.js';
import type { CliContext } from '../context.js';
import type { Discovery } from '../discovery.js';
import type { HumanSession } from '../token-cache.js';
import { loginWithBrowser } from './browser-login.js';
import { loginWithDeviceCode } from './device-login.js';
import { issuerEndpoint } from './oauth-client.js';

export async function loginInteractively(ctx: CliContext, d: Discovery): Promise<HumanSession> {
  const headless = (await ctx.settings()).authMode === 'headless';
  const token = issuerEndpoint(d, 'token_endpoint');
  const authorize = issuerEndpoint(d, 'authorization_endpoint');
  const device = issuerEndpoint(d, 'device_authorization_endpoint');
  if (token && headless && device) return loginWithDeviceCode(ctx, { device, token });
  if (token && !headless && authorize) return loginWithBrowser(ctx, d, { authorize, token });
  throw new CliError('LOGIN_UNAVAILABLE', `the issuer at ${d.issuer} offers no ${headless ? 'headless (device code)' : 'browser'} login`,
    { hint: headless ? 'unset auth.mode to log in with a browser' : 'log in headless with `latchkey config set auth.mode headless`' });
}
