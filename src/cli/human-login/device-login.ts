// `latchkey auth login` without a browser here (auth.mode headless): the OAuth 2.0 Device
// Authorization Grant (RFC 8628). Print where to go and the code to type, then poll the token
// endpoint at the interval the issuer asks, slowing down when told, until the person approves.

import { setTimeout as sleep } from 'node:timers/promises';
import { CliError } from '../cli-error.js';
import type { CliContext } from '../context.js';
import type { HumanSession } from '../token-cache.js';
import { postForm, printable, saveSession } from './oauth-client.js';

const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

interface DeviceAuthorization {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete?: string;
  expires_in: number;
  interval?: number;
}

function isDeviceAuthorization(v: unknown): v is DeviceAuthorization {
  const r = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  return typeof r.device_code === 'string' && typeof r.user_code === 'string' && typeof r.verification_uri === 'string'
    && typeof r.expires_in === 'number' && (r.interval === undefined || typeof r.interval === 'number');
}

export async function loginWithDeviceCode(ctx: CliContext, endpoints: { device: string; token: string }): Promise<HumanSession> {
  const started = await postForm(ctx, endpoints.device, {}, 'start a headless login');
  if (!isDeviceAuthorization(started)) throw new CliError('BAD_RESPONSE', 'the issuer\'s device authorization answer is malformed');
  ctx.notice(`To log in, open ${printable(started.verification_uri)} in a browser and enter the code ${printable(started.user_code, 20)}`);
  if (started.verification_uri_complete) ctx.notice(`or open ${printable(started.verification_uri_complete)}`);
  ctx.notice('Waiting for you to approve the login...');
  const deadline = ctx.now() + started.expires_in * 1000;
  let interval = Math.max(1, started.interval ?? 5);
  const what = 'finish the headless login';
  for (;;) {
    await sleep(interval * 1000);
    if (ctx.now() > deadline) break;
    try {
      const res = await postForm(ctx, endpoints.token, { grant_type: DEVICE_CODE_GRANT, device_code: started.device_code }, what);
      return await saveSession(ctx, res, what);
    } catch (err) {
      const code = err instanceof CliError ? err.serverCode : undefined;
      if (code === 'AUTH_AUTHORIZATION_PENDING') continue;
      if (code === 'AUTH_SLOW_DOWN') {
        interval += 5; // RFC 8628 §3.5
        ctx.debug(`slowing down: polling every ${interval} s`);
        continue;
      }
      throw err;
    }
  }
  throw new CliError('ABORTED', 'nobody approved the login in time', { hint: 'run `latchkey auth login` again' });
}
