// `latchkey auth login` with a browser: listen on a loopback port, open the browser at the
// issuer's authorization endpoint with a fresh state and a PKCE S256 challenge, take the code at
// the loopback callback, and redeem it (with the verifier) for a token and a refresh token.

import { createHash, randomBytes } from 'node:crypto';
import type { CliContext } from '../context.js';
import type { Discovery } from '../discovery.js';
import type { HumanSession } from '../token-cache.js';
import { listenForCallback } from './loopback-callback.js';
import { CLIENT_ID, postForm, saveSession } from './oauth-client.js';
import { openBrowser } from './open-browser.js';

/** As long as the issuer keeps a sign-in open. */
const WAIT_MS = 10 * 60_000;

export async function loginWithBrowser(ctx: CliContext, d: Discovery, endpoints: { authorize: string; token: string }): Promise<HumanSession> {
  const state = randomBytes(32).toString('base64url');
  const verifier = randomBytes(32).toString('base64url');
  const issRequired = d.fields.authorization_response_iss_parameter_supported === true;
  const callback = await listenForCallback({ state, issuer: d.issuer, issRequired }, WAIT_MS);
  try {
    const url = new URL(endpoints.authorize);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: callback.redirectUri,
      state,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    ctx.notice(`Opening browser to ${url.href}`);
    if (!(await openBrowser(url.href, ctx.env))) ctx.notice('Could not open a browser: open the URL above yourself (or log in with --headless).');
    const code = await callback.code;
    const what = 'finish the login';
    const res = await postForm(ctx, endpoints.token, {
      grant_type: 'authorization_code', code, redirect_uri: callback.redirectUri, code_verifier: verifier,
    }, what);
    return await saveSession(ctx, res, what);
  } finally {
    callback.close();
  }
}
