// Resolves the server configuration: flag, else LATCHKEY_* variable, else default.
// Every value is validated here, at start-up, with a message naming the setting.

import { join } from 'node:path';
import { SERVER_SETTINGS, defaultDataDir, type ServerConfig } from './server-settings.js';
import type { Setting } from './setting.js';
import { isLoopbackHost } from './loopback.js';
// The constants only (no jose): the CLI loads this module too.
import { JWKS_MAX_AGE_SECONDS, MIN_PUBLISH_AHEAD_SECONDS } from '../oidc/key-schedule.js';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export { isLoopbackHost };

/**
 * @param flags raw flag values by setting key (strings, or true for switches)
 * @param env the environment to read LATCHKEY_* from
 */
export function loadServerConfig(flags: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv): ServerConfig {
  const raw: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(SERVER_SETTINGS) as Array<[string, Setting<unknown>]>) {
    const fromFlag = flags[key];
    const source = fromFlag !== undefined ? `--${s.flag}` : s.env;
    const value = fromFlag !== undefined ? fromFlag : env[s.env];
    if (value === undefined || value === '') continue;
    try {
      raw[key] = typeof value === 'boolean' ? value : s.parse(value);
    } catch (err) {
      throw new ConfigError(`invalid ${source}: ${(err as Error).message}`);
    }
  }
  const dev = (raw.dev as boolean | undefined) ?? false;
  const host = (raw.host as string | undefined) ?? '127.0.0.1';
  const port = (raw.port as number | undefined) ?? 8080;
  if (dev && !isLoopbackHost(host)) {
    throw new ConfigError(`--dev listens on loopback only, but --host is ${host}: drop --host or drop --dev`);
  }
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const tlsCert = raw.tlsCert as string | undefined;
  const tlsKey = raw.tlsKey as string | undefined;
  if ((tlsCert === undefined) !== (tlsKey === undefined)) {
    throw new ConfigError('--tls-cert and --tls-key go together: give both, or neither (and terminate TLS in a reverse proxy)');
  }
  const issuerUrl = (raw.issuerUrl as string | undefined) ?? `${tlsCert ? 'https' : 'http'}://${urlHost}:${port}`;
  const dataDir = (raw.dataDir as string | undefined) ?? defaultDataDir(env, dev);
  const cfg: ServerConfig = {
    host,
    port,
    issuerUrl,
    apiAudience: (raw.apiAudience as string | undefined) ?? issuerUrl,
    dataDir,
    database: (raw.database as string | undefined) ?? join(dataDir, 'latchkey.db'),
    databaseWait: (raw.databaseWait as number | undefined) ?? 30,
    databaseConnectTimeout: (raw.databaseConnectTimeout as number | undefined) ?? 1000,
    databaseAcquireTimeout: (raw.databaseAcquireTimeout as number | undefined) ?? 1000,
    databaseStatementTimeout: (raw.databaseStatementTimeout as number | undefined) ?? 1000,
    databaseProbeInterval: (raw.databaseProbeInterval as number | undefined) ?? 1000,
    logLevel: (raw.logLevel as ServerConfig['logLevel'] | undefined) ?? 'info',
    logRequests: (raw.logRequests as boolean | undefined) ?? false,
    tokenTtl: (raw.tokenTtl as number | undefined) ?? 3600,
    keyRotation: (raw.keyRotation as number | undefined) ?? 7 * 86400,
    keyPublishAhead: (raw.keyPublishAhead as number | undefined) ?? 3600,
    awsPartitions: (raw.awsPartitions as ServerConfig['awsPartitions'] | undefined) ?? ['aws'],
    stsEndpoints: (raw.stsEndpoints as Record<string, string> | undefined) ?? {},
    stsTimeout: (raw.stsTimeout as number | undefined) ?? 5000,
    stsConnectTimeout: (raw.stsConnectTimeout as number | undefined) ?? 2000,
    workloadIssuerTimeout: (raw.workloadIssuerTimeout as number | undefined) ?? 5000,
    workloadIssuerCacheTtl: (raw.workloadIssuerCacheTtl as number | undefined) ?? 600,
    workloadTokenMaxLifetime: (raw.workloadTokenMaxLifetime as number | undefined) ?? 86400,
    workloadIssuerAllowLoopbackHttp: (raw.workloadIssuerAllowLoopbackHttp as boolean | undefined) ?? dev,
    oneTimeCredentials: (raw.oneTimeCredentials as boolean | undefined) ?? true,
    authzCacheTtl: (raw.authzCacheTtl as number | undefined) ?? 5000,
    inviteTtl: (raw.inviteTtl as number | undefined) ?? 7 * 86400,
    bodyLimit: (raw.bodyLimit as number | undefined) ?? 65536,
    trustProxy: (raw.trustProxy as boolean | undefined) ?? false,
    tlsCert,
    tlsKey,
    shutdownTimeout: (raw.shutdownTimeout as number | undefined) ?? 10,
    oidcProviders: (raw.oidcProviders as ServerConfig['oidcProviders'] | undefined) ?? [],
    oidcUpstreamTimeout: (raw.oidcUpstreamTimeout as number | undefined) ?? 5000,
    refreshTokenTtl: (raw.refreshTokenTtl as number | undefined) ?? 7 * 86400,
    refreshTokenMaxAge: (raw.refreshTokenMaxAge as number | undefined) ?? 30 * 86400,
    deviceCodeTtl: (raw.deviceCodeTtl as number | undefined) ?? 600,
    deviceCodeInterval: (raw.deviceCodeInterval as number | undefined) ?? 5,
    registryServices: (raw.registryServices as string[] | undefined) ?? [],
    registryTokenTtl: (raw.registryTokenTtl as number | undefined) ?? 300,
    registryKeyRotation: (raw.registryKeyRotation as number | undefined) ?? 90 * 86400,
    registryKeyPublishAhead: (raw.registryKeyPublishAhead as number | undefined) ?? 30 * 86400,
    deviceCodeMaxGuesses: (raw.deviceCodeMaxGuesses as number | undefined) ?? 5,
    dev,
    devAwsPort: (raw.devAwsPort as number | undefined) ?? (port === 0 || port === 65535 ? 0 : port + 1),
  };
  if (raw.devAwsPort !== undefined && !dev) {
    throw new ConfigError('--dev-aws-port is the port of the AWS emulator of --dev: give --dev too, or drop it');
  }
  if (cfg.keyPublishAhead < MIN_PUBLISH_AHEAD_SECONDS) {
    throw new ConfigError(
      `--key-publish-ahead ${cfg.keyPublishAhead}s is unsafe: relying parties may cache the JWKS for ${JWKS_MAX_AGE_SECONDS}s, ` +
      `so a key published less than that (plus a 60s margin) before it signs makes their verification fail. Use at least ${MIN_PUBLISH_AHEAD_SECONDS}s (6m).`,
    );
  }
  if (cfg.keyPublishAhead >= cfg.keyRotation) {
    throw new ConfigError('--key-publish-ahead must be shorter than --key-rotation');
  }
  if (cfg.registryKeyPublishAhead >= cfg.registryKeyRotation) {
    throw new ConfigError('--registry-key-publish-ahead must be shorter than --registry-key-rotation');
  }
  if (cfg.refreshTokenTtl > cfg.refreshTokenMaxAge) {
    throw new ConfigError('--refresh-token-ttl must not be longer than --refresh-token-max-age');
  }
  if (new URL(cfg.issuerUrl).protocol === 'http:' && !isLoopbackHost(new URL(cfg.issuerUrl).hostname.replace(/^\[|\]$/g, ''))) {
    throw new ConfigError(`--issuer-url ${cfg.issuerUrl} must use https unless it is a loopback address`);
  }
  return cfg;
}
