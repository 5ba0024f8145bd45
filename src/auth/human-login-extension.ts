// Plugs human login into the server (src/server/create-server.ts `extensions`): upstream
// providers from the configuration, the browser and device flows, refresh tokens, dev login
// under --dev, their discovery fields, and a periodic sweep of expired records.

import type { ServerExtension, ServerParts } from '../server/create-server.js';
import { DEFAULT_MAX_BYTES, UpstreamProvider, createUpstreamFetch, type UpstreamFetch } from '../oidc/upstream/index.js';
import type { AuthStore } from './auth-store.js';
import { BrowserLogin } from './browser-login.js';
import { DEVICE_CODE_GRANT, PATHS, SWEEP_INTERVAL_MS } from './constants.js';
import { devLoginRoute, setUpDevUser } from './dev-login.js';
import { DeviceAuthorization } from './device-authorization.js';
import { HumanSessions } from './human-sessions.js';
import { humanLoginRoutes } from './routes.js';

export interface HumanLoginOptions {
  /** The server's clock (tests move it); default: the system clock. */
  clock?: () => Date;
  /** Outbound HTTP to upstream providers; default: https-only, no redirects, timeouts, size cap. */
  upstreamFetch?: UpstreamFetch;
}

type Parts = Omit<ServerParts, 'app' | 'close'>;

/** The extension factory to pass in `CreateServerOptions.extensions`. */
export function humanLoginExtension(opts: HumanLoginOptions = {}): (parts: Parts) => Promise<ServerExtension> {
  return async (parts) => {
    const { config, iam, issuer } = parts;
    const store: AuthStore = parts.store;
    const clock = opts.clock ?? (() => new Date());
    const issuerUrl = config.issuerUrl;
    const ownFetch = opts.upstreamFetch ? undefined : createUpstreamFetch({ timeoutMs: config.oidcUpstreamTimeout, maxBytes: DEFAULT_MAX_BYTES });
    const fetch = opts.upstreamFetch ?? ownFetch!;
    const providers = new Map(config.oidcProviders.map((p) => [p.name, new UpstreamProvider({
      provider: p, redirectUri: `${issuerUrl}${PATHS.callback}`, fetch, timeoutMs: config.oidcUpstreamTimeout,
    })]));
    const sessions = new HumanSessions({
      store, issuer, clock,
      apiAudience: config.apiAudience,
      tokenTtl: config.tokenTtl,
      refreshTokenTtl: config.refreshTokenTtl,
      refreshTokenMaxAge: config.refreshTokenMaxAge,
    });
    const device = new DeviceAuthorization({ store, clock, issuerUrl, ttl: config.deviceCodeTtl, interval: config.deviceCodeInterval,
      maxWrongUserCodes: config.deviceCodeMaxGuesses,
    });
    const browser = new BrowserLogin({ store, iam, providers, device, clock, issuerUrl });
    const devUserId = config.dev ? await setUpDevUser(iam, parts.store, issuerUrl) : undefined;

    let logSweepFailure = (_err: unknown) => {};
    const sweep = setInterval(() => {
      store.deleteExpiredAuthRecords(clock().toISOString()).catch((err: unknown) => logSweepFailure(err)); // retried next time
    }, SWEEP_INTERVAL_MS);
    sweep.unref();

    // People can sign in only through an upstream provider (or dev login): without one, the
    // sign-in endpoints are not advertised, and the CLI says so before opening any browser.
    const signIn = providers.size > 0;
    return {
      discovery: {
        ...(signIn ? {
          authorization_endpoint: `${issuerUrl}${PATHS.authorize}`,
          device_authorization_endpoint: `${issuerUrl}${PATHS.deviceAuthorization}`,
          response_types_supported: ['code'],
          code_challenge_methods_supported: ['S256'],
          authorization_response_iss_parameter_supported: true,
        } : {}),
        // The OAuth token endpoint (RFC 8414); the AWS token exchange stays at /sts/exchange.
        token_endpoint: `${issuerUrl}${PATHS.token}`,
        grant_types_supported: [...(signIn ? ['authorization_code'] : []), 'refresh_token', ...(signIn ? [DEVICE_CODE_GRANT] : [])],
        revocation_endpoint: `${issuerUrl}${PATHS.revoke}`,
        revocation_endpoint_auth_methods_supported: ['none'],
        ...(devUserId ? { latchkey_dev_login_endpoint: `${issuerUrl}${PATHS.devLogin}` } : {}),
      },
      routes: (app) => {
        logSweepFailure = (err) => app.log.warn({ err }, 'sweeping expired login records failed');
        humanLoginRoutes(app, {
          browser, device, sessions, issuerUrl,
          providers: [...providers.values()].map((p) => ({ name: p.name, displayName: p.displayName })),
        });
        if (devUserId) devLoginRoute(app, { sessions, userId: devUserId });
      },
      close: async () => {
        clearInterval(sweep);
        await ownFetch?.close();
      },
    };
  };
}
