// Wires every context into a running server from a resolved ServerConfig. Used by
// `latchkey serve` and, in-process, by the tests (which pass their own clock).

import { mkdirSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { createStsClient, type StsClient } from '../aws/index.js';
import type { ServerConfig } from '../config/index.js';
import { buildApp } from '../http/index.js';
import { IamService } from '../iam/index.js';
import { SigningKeys, TokenIssuer, discoveryDocument } from '../oidc/index.js';
import { RegistryTokenService, libtrustKeyId, registryCertificate } from '../registry/index.js';
import type { Store } from '../store/index.js';
import { AwsVerifier, ClaimMatchVerifier, ExchangeAudit, ExchangeService, RemoteIssuerKeys, StaticVerifier } from '../sts/index.js';
import { PostgresBus, localBus, type ClusterBus } from '../cluster/index.js';
import { Metrics, httpMetrics, instrumentSts } from '../metrics/index.js';
import { openStoreWhenReachable, type StartupLog } from './wait-for-database.js';

export interface ServerParts {
  config: ServerConfig;
  app: FastifyInstance;
  store: Store;
  keys: SigningKeys;
  issuer: TokenIssuer;
  /** The one metrics registry of this server (served at /metrics). */
  metrics: Metrics;
  iam: IamService;
  exchange: ExchangeService;
  /** The registry token service's own signing keys (each with its certificate). */
  registryKeys: SigningKeys;
  registry: RegistryTokenService;
  /**
   * The batched audit of exchanges and registry tokens (flush() writes what is queued); while
   * the database is away it keeps them (`pending`), and counts what it had to drop (`droppedTotal`).
   */
  audit: ExchangeAudit;
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
  /** The clock of the registry key schedule (tests rotate registry keys without moving token times). */
  registryKeyClock?: () => Date;
  /**
   * How this replica hears of changes made by others, and tells them of its own. Default: a
   * LISTEN/NOTIFY bus on PostgreSQL, a no-op on SQLite (one process).
   */
  bus?: ClusterBus;
  extensions?: Array<(parts: Omit<ServerParts, 'app' | 'close'>) => ServerExtension | Promise<ServerExtension>>;
  /** Log lines written before the HTTP app (and its logger) exist: waiting for the database. */
  startupLog?: StartupLog;
}

export interface ServerExtension {
  routes?: (app: FastifyInstance) => void | Promise<void>;
  discovery?: Record<string, unknown>;
  close?: () => Promise<void>;
}

/** How often expired invitations are removed (and audited as expired). */
const INVITATION_SWEEP_MS = 10 * 60_000;
/** How often the records of one-time credentials that ended are removed, and how long after their end. */
const PRESENTED_SWEEP_MS = 60_000;
const PRESENTED_SWEEP_MARGIN_MS = 5 * 60_000;
/** An unknown kid refetches an issuer's keys at most this often. */
const ISSUER_REFETCH_INTERVAL_MS = 30_000;
/** Clock skew tolerated on a presented token's exp, nbf and iat. */
const ID_TOKEN_SKEW_SECONDS = 60;

export async function createServer(config: ServerConfig, opts: CreateServerOptions = {}): Promise<ServerParts> {
  const clock = opts.clock ?? (() => new Date());
  if (!/^postgres(ql)?:\/\//.test(config.database)) mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  // Log lines from parts made before the app (and its logger) exist: to the start-up log.
  let log: (level: 'info' | 'warn' | 'error', fields: object, msg: string) => void = (level, fields, msg) => opts.startupLog?.(level, msg, fields);
  const store = await openStoreWhenReachable(config.database, {
    waitSeconds: config.databaseWait,
    startupLog: opts.startupLog,
    timeouts: {
      connectMs: config.databaseConnectTimeout,
      acquireMs: config.databaseAcquireTimeout,
      statementMs: config.databaseStatementTimeout,
    },
    probeIntervalMs: config.databaseProbeInterval,
    log: (msg, fields) => log('warn', fields ?? {}, msg),
  });
  let bus: ClusterBus | undefined;
  try {
    bus = opts.bus ?? (store.backend === 'postgres'
      ? new PostgresBus(config.database, { log: (level, msg, fields) => log(level, fields ?? {}, msg) })
      : localBus());
    if (bus instanceof PostgresBus) await bus.start();
    let keys: SigningKeys | undefined;
    const metrics = new Metrics({
      poolUsage: store.backend === 'postgres' ? () => store.poolUsage() : undefined,
      signingKeyAgeSeconds: () => keys?.currentKeyAgeSeconds() ?? 0,
    });
    keys = new SigningKeys(store, clock, {
      rotationSeconds: config.keyRotation,
      publishAheadSeconds: config.keyPublishAhead,
      maxTokenTtlSeconds: 3600,
    }, {
      bus,
      onReload: (cause) => metrics.cacheInvalidations.inc({ cache: 'keys', cause }),
      onError: (err) => log('error', { err }, 'signing key reload failed'),
    });
    await keys.refresh();
    const issuer = new TokenIssuer(keys, config.issuerUrl, clock);
    const iam = new IamService(store, clock, config.authzCacheTtl, {
      inviteTtlSeconds: config.inviteTtl,
      bus,
      onInvalidate: (cache, cause) => metrics.cacheInvalidations.inc({ cache, cause }),
    });
    await iam.init();
    const rawSts = opts.sts ?? createStsClient({
      overrides: config.stsEndpoints,
      connectTimeoutMs: config.stsConnectTimeout,
      totalTimeoutMs: config.stsTimeout,
    });
    const sts = instrumentSts(rawSts, metrics);
    const workloadIssuers = new RemoteIssuerKeys({
      timeoutMs: config.workloadIssuerTimeout,
      allowLoopbackHttp: config.workloadIssuerAllowLoopbackHttp,
      cacheTtlMs: config.workloadIssuerCacheTtl * 1000,
      refetchIntervalMs: ISSUER_REFETCH_INTERVAL_MS,
    }, clock);
    const tokenPolicy = { skewSeconds: ID_TOKEN_SKEW_SECONDS, maxLifetimeSeconds: config.workloadTokenMaxLifetime };
    const exchangeAudit = new ExchangeAudit(store, clock, (level, msg, fields) => log(level, fields, msg), {
      onDropped: (n) => metrics.exchangeAuditDropped.inc(n),
    });
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
      oneTimeCredentials: config.oneTimeCredentials,
    });
    const registryKeys = new SigningKeys(store, opts.registryKeyClock ?? clock, {
      purpose: 'registry',
      rotationSeconds: config.registryKeyRotation,
      publishAheadSeconds: config.registryKeyPublishAhead,
      maxTokenTtlSeconds: config.registryTokenTtl,
      kidOf: (jwk) => libtrustKeyId(jwk as import('node:crypto').JsonWebKey),
      certify: registryCertificate,
    }, {
      bus,
      onReload: (cause) => metrics.cacheInvalidations.inc({ cache: 'keys', cause }),
      onError: (err) => log('error', { err }, 'registry signing key reload failed'),
    });
    await registryKeys.refresh();
    const registry = new RegistryTokenService({
      store, authorizer: iam.authorizer, issuer, keys: registryKeys, clock,
      issuerName: config.issuerUrl,
      services: config.registryServices,
      ttlSeconds: config.registryTokenTtl,
      verifyPullToken: (username, secret) => iam.pullTokens.verify(username, secret),
      audit: exchangeAudit,
    });
    const base = { config, store, keys, issuer, metrics, iam, exchange, registryKeys, registry, audit: exchangeAudit };
    const extensions: ServerExtension[] = [];
    for (const e of opts.extensions ?? []) extensions.push(await e(base));
    const discoveryExtras = Object.assign({}, ...extensions.map((e) => e.discovery ?? {}));
    const discovery = discoveryDocument(config.issuerUrl, discoveryExtras);
    const app = await buildApp({
      iam, issuer, keys, exchange, registry, registryKeys,
      apiAudience: config.apiAudience,
      discovery: () => discovery,
      ready: () => store.health,
      bodyLimit: config.bodyLimit,
      trustProxy: config.trustProxy,
      logger: opts.logger ?? false,
      logRequests: config.logRequests,
      instrument: httpMetrics(metrics),
      plugins: extensions.flatMap((e) => (e.routes ? [e.routes] : [])),
      serverFactory: opts.serverFactory,
    });
    workloadIssuers.onStale((issuer, err) => app.log.warn({ issuer, code: err.code }, 'workload issuer unreachable: serving its cached keys'));
    log = (level, fields, msg) => app.log[level](fields, msg);
    // Each replica refreshes each set of keys when a successor is due and at least every 30 s.
    const timers = new Map<SigningKeys, NodeJS.Timeout>();
    const scheduleKeys = (set: SigningKeys, what: string) => {
      const timer = setTimeout(() => {
        set.refresh().catch((err) => app.log.error({ err }, `${what} refresh failed`)).finally(() => {
          if (!closed) scheduleKeys(set, what);
        });
      }, set.nextRefreshInMs());
      timer.unref();
      timers.set(set, timer);
    };
    scheduleKeys(keys, 'signing key');
    scheduleKeys(registryKeys, 'registry signing key');
    const sweepInvitations = () => {
      iam.bindings.sweepExpiredInvitations().catch((err) => app.log.error({ err }, 'expired invitation sweep failed'));
    };
    sweepInvitations();
    const inviteTimer = setInterval(sweepInvitations, INVITATION_SWEEP_MS);
    inviteTimer.unref();
    // Records of credentials that ended PRESENTED_SWEEP_MARGIN_MS ago: the margin covers clock
    // skew between replicas, so a replica whose clock lags still finds the record it refuses by.
    const sweepPresented = () => {
      store.deleteExpiredPresentedCredentials(new Date(clock().getTime() - PRESENTED_SWEEP_MARGIN_MS).toISOString())
        .catch((err) => app.log.error({ err }, 'presented credential sweep failed')); // retried next time
    };
    const presentedTimer = setInterval(sweepPresented, PRESENTED_SWEEP_MS);
    presentedTimer.unref();
    let closed = false;
    return {
      ...base, app,
      async close() {
        if (closed) return;
        closed = true;
        for (const t of timers.values()) clearTimeout(t);
        clearInterval(inviteTimer);
        clearInterval(presentedTimer);
        await app.close();
        for (const e of extensions) await e.close?.();
        await rawSts.close?.();
        await workloadIssuers.close();
        await exchangeAudit.close();
        await bus?.close();
        await store.close();
      },
    };
  } catch (err) {
    await bus?.close().catch(() => {});
    await store.close().catch(() => {});
    throw err;
  }
}
