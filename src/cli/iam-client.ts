// The client of the IAM API, authenticated with the current session.

import { ApiClient } from './api-client.js';
import type { CliContext } from './context.js';
import { currentSession } from './session.js';

export async function iamClient(ctx: CliContext): Promise<ApiClient> {
  const session = await currentSession(ctx);
  const { api } = await ctx.settings();
  return new ApiClient(ctx, { base: api, server: 'api', token: async () => session.token, caller: session.subject });
}
