// The issuer's OpenID discovery document: its `issuer` (the audience AWS tokens are bound to)
// and the login, refresh and revocation endpoints it advertises.

import { ApiClient } from './api-client.js';
import { CliError } from './cli-error.js';
import type { CliContext } from './context.js';

export interface Discovery {
  issuer: string;
  /** Every other field, as advertised. */
  fields: Readonly<Record<string, unknown>>;
}

/** An advertised endpoint: an http(s) URL, or undefined when absent or malformed. */
export function endpointOf(d: Discovery, name: string): string | undefined {
  const v = d.fields[name];
  return typeof v === 'string' && /^https?:\/\/[^\s]+$/.test(v) ? v : undefined;
}

export async function fetchDiscovery(ctx: CliContext): Promise<Discovery> {
  const { issuer } = await ctx.settings();
  const client = new ApiClient(ctx, { base: issuer, server: 'issuer' });
  const doc = await client.get<Record<string, unknown> | undefined>('/.well-known/openid-configuration', {},
    { what: `read the issuer's discovery document at ${issuer}` });
  const iss = doc?.issuer;
  if (typeof iss !== 'string' || !/^https?:\/\/[^\s]+$/.test(iss)) {
    throw new CliError('BAD_RESPONSE', `the discovery document at ${issuer} has no valid "issuer"`,
      { hint: 'check platform.issuer with `latchkey config view`' });
  }
  ctx.debug(`issuer: ${iss}`);
  return { issuer: iss, fields: doc! };
}
