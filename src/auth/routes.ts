// The HTTP face of human login. Browser pages: /authorize, /callback, /device. OAuth endpoints
// for the CLI: /token, /device/code, /revoke. Every route is public (it is how one gets a token).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LatchkeyError } from '../errors/index.js';
import { statusOf } from '../http/index.js';
import { errorRedirect, type Begun, type BrowserLogin } from './browser-login.js';
import { CLI_CLIENT_ID, DEVICE_CODE_GRANT, LOGIN_STATE_TTL_S, PATHS } from './constants.js';
import { BrowserCookies } from './cookies.js';
import type { DeviceAuthorization } from './device-authorization.js';
import { OAUTH_ERROR, type AuthErrorCode } from './errors.js';
import type { HumanSessions } from './human-sessions.js';
import { formOf, queryOf, readParams, required } from './oauth-params.js';
import { choosePage, deviceDonePage, devicePage, sendPage } from './pages.js';
import { newSecret, normalizeUserCode, sameSecret } from './secrets.js';

export interface HumanLoginRouteDeps {
  browser: BrowserLogin;
  device: DeviceAuthorization;
  sessions: HumanSessions;
  providers: Array<{ name: string; displayName: string }>;
  issuerUrl: string;
}

const pub = { auth: { public: true as const } };
const schema = (summary: string) => ({ tags: ['auth'], summary });

export function humanLoginRoutes(app: FastifyInstance, d: HumanLoginRouteDeps): void {
  const cookies = new BrowserCookies(d.issuerUrl.startsWith('https:'));

  /** Sends the browser to the upstream (with the cookie that ties the sign-in to it), or to a chooser. */
  const go = (reply: FastifyReply, begun: Begun, secret: string, hrefFor: (name: string) => string) => {
    if ('choose' in begun) return sendPage(reply, 'Sign in to Latchkey', choosePage(begun.choose, hrefFor));
    cookies.set(reply, 'login', secret, LOGIN_STATE_TTL_S);
    return reply.redirect(begun.upstream.href, 303);
  };

  app.get(PATHS.authorize, { config: pub, schema: schema('Browser login for the CLI: authorization code with PKCE S256, loopback redirect') }, async (req, reply) => {
    const query = queryOf(req);
    const client = d.browser.clientOf(query); // a bad client or redirect URI is shown here, never redirected to
    try {
      const secret = newSecret();
      const begun = await d.browser.beginCli(d.browser.cliRequest(query), secret);
      return go(reply, begun, secret, (name) => withParam(req, 'provider', name));
    } catch (err) {
      if (!(err instanceof LatchkeyError)) throw err;
      req.log.info({ code: err.code, detail: err.detail }, 'login refused');
      return reply.redirect(errorRedirect(client.redirectUri, client.state, err, d.issuerUrl).href, 303);
    }
  });

  app.get(PATHS.callback, { config: pub, schema: schema('Where the upstream provider sends the browser back') }, async (req, reply) => {
    const done = await d.browser.finish(queryOf(req), cookies.read(req, 'login'), req.ip);
    cookies.set(reply, 'login', '', 0);
    if (done.kind === 'cli') return reply.redirect(done.redirect.href, 303);
    const user = done.person.relationship.kind === 'user' ? done.person.relationship.user : undefined;
    return sendPage(reply, 'Signed in', deviceDonePage(user?.email ?? done.person.name));
  });

  app.get(PATHS.device, { config: pub, schema: schema('Device login page: confirm the code the terminal shows') }, async (req, reply) => {
    // The browser keeps its cookie across reloads: wrong codes are counted per browser.
    const csrf = cookies.read(req, 'csrf') ?? newSecret();
    cookies.set(reply, 'csrf', csrf, LOGIN_STATE_TTL_S);
    const typed = readParams(queryOf(req), ['user_code']).user_code;
    const userCode = typed === undefined ? undefined : normalizeUserCode(typed);
    return sendPage(reply, 'Sign in to Latchkey', devicePage({ action: PATHS.device, csrf, userCode, providers: d.providers }));
  });

  app.post(PATHS.device, { config: pub, schema: schema('Device login page: the person confirmed the code') }, async (req, reply) => {
    const p = readParams(formOf(req), ['user_code', 'csrf', 'provider']);
    const cookie = cookies.read(req, 'csrf');
    if (!cookie || !p.csrf || !sameSecret(cookie, p.csrf)) {
      throw new LatchkeyError<AuthErrorCode>('AUTH_CSRF', `this form was not sent from the device page: open ${d.issuerUrl}${PATHS.device} and enter the code again`);
    }
    const pending = await d.device.pendingFor(p.user_code ?? '', { browser: cookie, address: req.ip });
    const secret = newSecret();
    const begun = await d.browser.beginDevice(pending.deviceCodeHash, p.provider, secret);
    return go(reply, begun, secret, () => `${PATHS.device}?user_code=${encodeURIComponent(p.user_code ?? '')}`);
  });

  app.post(PATHS.deviceAuthorization, { config: pub, schema: schema('RFC 8628 device authorization (headless login)') }, oauth(async (req) => {
    const p = readParams(formOf(req), ['client_id']);
    clientOf(p.client_id);
    return d.device.start();
  }));

  app.post(PATHS.token, { config: pub, schema: schema('Token endpoint: authorization_code, device_code and refresh_token grants') }, oauth(async (req) => {
    const form = formOf(req);
    const p = readParams(form, ['grant_type', 'client_id', 'device_code', 'refresh_token']);
    const grant = required(p, 'grant_type');
    switch (grant) {
      case 'authorization_code': {
        const clientId = clientOf(p.client_id);
        return (await d.sessions.start(await d.browser.redeem(form, clientId), clientId)).response;
      }
      case DEVICE_CODE_GRANT: {
        const clientId = clientOf(p.client_id);
        return (await d.sessions.start(await d.device.poll(required(p, 'device_code'), clientId), clientId)).response;
      }
      case 'refresh_token': // RFC 6749 §6: a public client need not name itself here
        return (await d.sessions.refresh(required(p, 'refresh_token'), clientOf(p.client_id ?? CLI_CLIENT_ID))).response;
      default:
        throw new LatchkeyError<AuthErrorCode>('AUTH_UNSUPPORTED_GRANT_TYPE', `grant_type ${grant.slice(0, 60)} is not supported: use authorization_code, refresh_token or ${DEVICE_CODE_GRANT}`);
    }
  }));

  app.post(PATHS.revoke, { config: pub, schema: schema('RFC 7009 revocation: ends the login a refresh token belongs to') }, oauth(async (req) => {
    const p = readParams(formOf(req), ['token', 'client_id', 'token_type_hint']);
    await d.sessions.revoke(required(p, 'token'), clientOf(p.client_id ?? CLI_CLIENT_ID));
    return {};
  }));
}

function clientOf(clientId: string | undefined): string {
  if (clientId !== CLI_CLIENT_ID) {
    throw new LatchkeyError<AuthErrorCode>('AUTH_UNKNOWN_CLIENT', `client_id must be ${CLI_CLIENT_ID}`);
  }
  return clientId;
}

/**
 * OAuth endpoints answer errors with RFC 6749 §5.2's `error` (what standard clients, and RFC 8628
 * polling, act on) next to our usual `code` and `message`; status from the one error table.
 * Responses are never cached (§5.1).
 */
function oauth(handler: (req: FastifyRequest) => Promise<object>) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    try {
      return await handler(req);
    } catch (err) {
      const error = err instanceof LatchkeyError ? OAUTH_ERROR[err.code] : undefined;
      if (!error) throw err;
      const e = err as LatchkeyError;
      req.log.info({ code: e.code, detail: e.detail }, 'request refused');
      return reply.code(statusOf(e.code)).send({ code: e.code, message: e.message, error, error_description: e.message });
    }
  };
}

/** This request's URL with one parameter set (the provider chooser's links). */
function withParam(req: FastifyRequest, name: string, value: string): string {
  const q = queryOf(req);
  q.set(name, value);
  return `${req.url.split('?')[0]}?${q.toString()}`;
}
