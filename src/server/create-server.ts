// Wires every context into a running server from a resolved ServerConfig. Used by
// `latchkey serve` and, in-process, by the tests (which pass their own clock).

import { mkdirSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { createStsClient, type StsClient } from '../aws/index.js';
import type { ServerConfig } from '../config/index.js';
import { buildApp } from '../http/index.js';
import { IamService } from '../iam/index.js';
import { SigningKeys, TokenIssuer, discoveryDocument } from '../oidc/index.js';
import { openStore, type Store } from '../store/index.js';
import { AwsVerifier, ClaimMatchVerifier, ExchangeAudit, ExchangeService, RemoteIssuerKeys, StaticVerifier } from '../sts/index.js';

export interface ServerParts {
  config: ServerConfig;
  app: FastifyInstance;
  store: Store;
  keys: SigningKeys;
  issuer: TokenIssuer;
  iam: IamService;
  exchange: ExchangeService;
  /** Stops timers, the HTTP server, outbound clients and the store. */
  close(): Promise<void>;
}

export interface CreateServerOptions {
  clock?: () => Date;
  /** Fastify logger option (false in tests). */
  logger?: boolean | Record<string, unknown>;
  /** Replace the STS client (tests of upstream failures). */
  sts?: StsClient & { close?(): Promise<void> };
  /** Routes and discovery fields added by other contexts (dev login, human login). */
  /** Serve on an already-listening node:http server (port 0 with a known issuer URL). */
  serverFactory?: import('fastify').FastifyServerFactory;
  extensions?: Array<(parts: Omit<ServerParts, 'app' | 'close'>) => ServerExtension | Promise<ServerExtension>>;
}

export interface ServerExtension {
  routes?: (app: FastifyInstance) => void | Promise<void>;
  discovery?: Record<string, unknown>;
  close?: () => Promise<void>;
}

const KEY_REFRESH_MS = 60_000;
/** How often expired invitations are removed (and audited as expired). */
const INVITATION_SWEEP_MS = 10 * 60_000;
/** An unknown kid refetches an issuer's keys at most this often. */
const ISSUER_REFETCH_INTERVAL_MS = 30_000;
/** Clock skew tolerated on a presented token's exp, nbf and iat. */
const ID_TOKEN_SKEW_SECONDS = 60;

export async function createServer(config: ServerConfig, opts: CreateServerOptions = {}): Promise<ServerParts> {
  const clock = opts.clock ?? (() => new Date());
  if (!/^postgres(ql)?:\/\//.test(config.database)) mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const store = await openStore(config.database);
  try {
    await store.migrate();
    const keys = new SigningKeys(store, clock, {
      rotationSeconds: config.keyRotation,
      publishAheadSeconds: config.keyPublishAhead,
      maxTokenTtlSeconds: 3600,
    });
    await keys.refresh();
    const issuer = new TokenIssuer(keys, config.issuerUrl, clock);
    const iam = new IamService(store, clock, config.authzCacheTtl, { inviteTtlSeconds: config.inviteTtl });
    await iam.init();
    const sts = opts.sts ?? createStsClient({
      overrides: config.stsEndpoints,
      connectTimeoutMs: config.stsConnectTimeout,
      totalTimeoutMs: config.stsTimeout,
    });
    const workloadIssuers = new RemoteIssuerKeys({
      timeoutMs: config.workloadIssuerTimeout,
      allowLoopbackHttp: config.workloadIssuerAllowLoopbackHttp,
      cacheTtlMs: config.workloadIssuerCacheTtl * 1000,
      refetchIntervalMs: ISSUER_REFETCH_INTERVAL_MS,
    }, clock);
    const tokenPolicy = { skewSeconds: ID_TOKEN_SKEW_SECONDS, maxLifetimeSeconds: config.workloadTokenMaxLifetime };
    let logError: (err: unknown) => void = () => {};
    const exchangeAudit = new ExchangeAudit(store, clock, (err) => logError(err));
    const exchange = new ExchangeService({
      store, iam, issuer, clock,
      audit: exchangeAudit,
      verifiers: {
        aws: new AwsVerifier(sts, { partitions: config.awsPartitions }, config.issuerUrl),
        claimMatch: new ClaimMatchVerifier(workloadIssuers, tokenPolicy),
        static: new StaticVerifier(tokenPolicy),
      },
      issuerUrl: config.issuerUrl,
      apiAudience: config.apiAudience,
      tokenTtlSeconds: config.tokenTtl,
    });
    const base = { config, store, keys, issuer, iam, exchange };
    const extensions: ServerExtension[] = [];
    for (const e of opts.extensions ?? []) extensions.push(await e(base));
    const discoveryExtras = Object.assign({}, ...extensions.map((e) => e.discovery ?? {}));
    const discovery = discoveryDocument(config.issuerUrl, discoveryExtras);
    const app = await buildApp({
      iam, issuer, keys, exchange,
      apiAudience: config.apiAudience,
      discovery: () => discovery,
      ready: () => store.ping(),
      bodyLimit: config.bodyLimit,
      trustProxy: config.trustProxy,
      logger: opts.logger ?? false,
      logRequests: config.logRequests,
      plugins: extensions.flatMap((e) => (e.routes ? [e.routes] : [])),
      serverFactory: opts.serverFactory,
    });
    logError = (err) => app.log.error({ err }, 'exchange audit write failed');
    const timer = setInterval(() => {
      keys.refresh().catch((err) => app.log.error({ err }, 'signing key refresh failed'));
    }, KEY_REFRESH_MS);
    timer.unref();
    const sweepInvitations = () => {
      iam.bindings.sweepExpiredInvitations().catch((err) => app.log.error({ err }, 'expired invitation sweep failed'));
    };
    sweepInvitations();
    const inviteTimer = setInterval(sweepInvitations, INVITATION_SWEEP_MS);
    inviteTimer.unref();
    let closed = false;
    return {
      ...base, app,
      async close() {
        if (closed) return;
        closed = true;
        clearInterval(timer);
        clearInterval(inviteTimer);
        await app.close();
        for (const e of extensions) await e.close?.();
        await sts.close?.();
        await workloadIssuers.close();
        await exchangeAudit.flush(true);
        await store.close();
      },
    };
  } catch (err) {
    await store.close().catch(() => {});
    throw err;
  }
}
