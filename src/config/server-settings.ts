// Every setting of `latchkey serve`, declared once (see setting.ts).

import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  parseBool, parseDurationIn, parseIntIn, parseUrl, setting, type Setting,
} from './setting.js';
import { parseOidcProviders } from './oidc-providers.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'] as const;
export type AwsPartition = (typeof PARTITIONS)[number];

/** The user's data directory for Latchkey (XDG). */
export function defaultDataDir(env: NodeJS.ProcessEnv, dev = false): string {
  const base = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, dev ? 'latchkey-dev' : 'latchkey');
}

function parseHost(raw: string): string {
  const h = raw.trim();
  if (!/^[A-Za-z0-9.:-]{1,255}$/.test(h)) throw new TypeError(`"${raw}" is not a host name or IP address`);
  return h;
}

function parseList<T extends string>(allowed: readonly T[]) {
  return (raw: string): T[] => {
    const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
    if (items.length === 0) throw new TypeError(`give at least one of: ${allowed.join(', ')}`);
    for (const i of items) {
      if (!(allowed as readonly string[]).includes(i)) throw new TypeError(`"${i}" is not one of: ${allowed.join(', ')}`);
    }
    return [...new Set(items)] as T[];
  };
}

function parseServices(raw: string): string[] {
  const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const i of items) {
    if (!/^[A-Za-z0-9.:[\]-]{1,255}$/.test(i)) throw new TypeError(`"${i}" is not a registry service name (a host, optionally with :port)`);
  }
  return [...new Set(items)];
}

function parseEndpointMap(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new TypeError(`"${pair}" must be HOST=URL, e.g. sts.amazonaws.com=https://vpce-123.sts.us-east-1.vpce.amazonaws.com`);
    out[pair.slice(0, eq).trim().toLowerCase()] = parseUrl(pair.slice(eq + 1).trim());
  }
  return out;
}

export const SERVER_SETTINGS = {
  host: setting({
    key: 'host', flag: 'host', env: 'LATCHKEY_HOST', arg: 'HOST',
    doc: 'Address to listen on. Use 0.0.0.0 to listen on every interface (not with --dev).',
    defaultDoc: '127.0.0.1', parse: parseHost,
  }),
  port: setting({
    key: 'port', flag: 'port', env: 'LATCHKEY_PORT', arg: 'PORT',
    doc: 'TCP port to listen on (0 picks a free port and logs it).',
    defaultDoc: '8080', parse: parseIntIn(0, 65535),
  }),
  issuerUrl: setting({
    key: 'issuerUrl', flag: 'issuer-url', env: 'LATCHKEY_ISSUER_URL', arg: 'URL',
    doc: 'Public URL of this issuer: the `iss` of every token and the audience AWS tokens must be bound to.',
    defaultDoc: 'http://HOST:PORT (https with --tls-cert)', parse: parseUrl,
  }),
  apiAudience: setting({
    key: 'apiAudience', flag: 'api-audience', env: 'LATCHKEY_API_AUDIENCE', arg: 'AUD',
    doc: 'Audience the IAM API accepts, and the default `aud` of exchanged tokens.',
    defaultDoc: 'the issuer URL', parse: (raw) => {
      if (!raw.trim() || raw.length > 512) throw new TypeError('the API audience must be 1 to 512 characters');
      return raw.trim();
    },
  }),
  dataDir: setting({
    key: 'dataDir', flag: 'data-dir', env: 'LATCHKEY_DATA_DIR', arg: 'DIR',
    doc: 'Directory for the embedded SQLite database.',
    defaultDoc: '$XDG_DATA_HOME/latchkey (~/.local/share/latchkey; latchkey-dev with --dev)', parse: (raw) => raw,
  }),
  database: setting({
    key: 'database', flag: 'database', env: 'LATCHKEY_DATABASE', arg: 'URL|PATH',
    doc: 'Database: a SQLite file path, or a postgres:// URL for PostgreSQL.',
    defaultDoc: 'DATA_DIR/latchkey.db', parse: (raw) => {
      if (!raw.trim()) throw new TypeError('the database must be a file path or a postgres:// URL');
      return raw.trim();
    },
  }),
  databaseWait: setting({
    key: 'databaseWait', flag: 'database-wait', env: 'LATCHKEY_DATABASE_WAIT', arg: 'DURATION',
    doc: 'At start-up, how long to keep retrying (with back-off, one log line per attempt) a database that does not answer before exiting with an error. 0: try once.',
    defaultDoc: '30s', parse: parseDurationIn(0, 3600),
  }),
  databaseConnectTimeout: setting({
    key: 'databaseConnectTimeout', flag: 'database-connect-timeout', env: 'LATCHKEY_DATABASE_CONNECT_TIMEOUT', arg: 'MS',
    doc: 'PostgreSQL: how long opening one connection may take, in milliseconds.',
    defaultDoc: '1000', parse: parseIntIn(50, 60000),
  }),
  databaseAcquireTimeout: setting({
    key: 'databaseAcquireTimeout', flag: 'database-acquire-timeout', env: 'LATCHKEY_DATABASE_ACQUIRE_TIMEOUT', arg: 'MS',
    doc: 'PostgreSQL: how long a request waits for a pooled connection (opening a new one included), in milliseconds; then it is refused with 503 STORE_UNAVAILABLE.',
    defaultDoc: '1000', parse: parseIntIn(50, 60000),
  }),
  databaseStatementTimeout: setting({
    key: 'databaseStatementTimeout', flag: 'database-statement-timeout', env: 'LATCHKEY_DATABASE_STATEMENT_TIMEOUT', arg: 'MS',
    doc: "PostgreSQL: longest one statement may run (the server's statement_timeout; the client gives up too, shortly after, if the server does not answer). A refusal takes at most about --database-acquire-timeout plus this. Migrations are not bounded.",
    defaultDoc: '1000', parse: parseIntIn(50, 600000),
  }),
  databaseProbeInterval: setting({
    key: 'databaseProbeInterval', flag: 'database-probe-interval', env: 'LATCHKEY_DATABASE_PROBE_INTERVAL', arg: 'MS',
    doc: 'How often the database is probed (select 1; a small write after writes failed) for /readyz, in milliseconds. Any request that finds the database unavailable makes /readyz unready at once; only a probe makes it ready again.',
    defaultDoc: '1000', parse: parseIntIn(100, 60000),
  }),
  logLevel: setting({
    key: 'logLevel', flag: 'log-level', env: 'LATCHKEY_LOG_LEVEL', arg: 'LEVEL',
    doc: `Log level: ${LOG_LEVELS.join(', ')}. Logs are JSON lines on stdout.`,
    defaultDoc: 'info', parse: (raw): LogLevel => parseList(LOG_LEVELS)(raw)[0] as LogLevel,
  }),
  logRequests: setting({
    key: 'logRequests', flag: 'log-requests', env: 'LATCHKEY_LOG_REQUESTS',
    doc: 'Log every HTTP request and its response (method, path, status, time) at info level. Refusals and errors are logged either way, and every exchange and IAM change is in the audit log.',
    defaultDoc: 'false', parse: parseBool,
  }),
  tokenTtl: setting({
    key: 'tokenTtl', flag: 'token-ttl', env: 'LATCHKEY_TOKEN_TTL', arg: 'DURATION',
    doc: 'Lifetime of issued tokens (at most 1h).',
    defaultDoc: '1h', parse: parseDurationIn(60, 3600),
  }),
  keyRotation: setting({
    key: 'keyRotation', flag: 'key-rotation', env: 'LATCHKEY_KEY_ROTATION', arg: 'DURATION',
    doc: 'How long a signing key signs before its successor takes over.',
    defaultDoc: '7d', parse: parseDurationIn(600, 365 * 86400),
  }),
  keyPublishAhead: setting({
    key: 'keyPublishAhead', flag: 'key-publish-ahead', env: 'LATCHKEY_KEY_PUBLISH_AHEAD', arg: 'DURATION',
    doc: 'How long a new signing key is published in the JWKS before it signs. At least 6m: the JWKS is served with max-age=300, and a relying party must see a key before the first token it signed.',
    defaultDoc: '1h', parse: parseDurationIn(0, 30 * 86400),
  }),
  awsPartitions: setting({
    key: 'awsPartitions', flag: 'aws-partitions', env: 'LATCHKEY_AWS_PARTITIONS', arg: 'LIST',
    doc: `AWS partitions whose STS endpoints are accepted, comma-separated: ${PARTITIONS.join(', ')}.`,
    defaultDoc: 'aws', parse: parseList(PARTITIONS),
  }),
  stsEndpoints: setting({
    key: 'stsEndpoints', flag: 'aws-sts-endpoints', env: 'LATCHKEY_AWS_STS_ENDPOINTS', arg: 'HOST=URL,...',
    doc: 'Send requests for an allow-listed STS host to another URL (a VPC endpoint, or the emulator). The token must still name the real host.',
    defaultDoc: 'none', parse: parseEndpointMap,
  }),
  stsTimeout: setting({
    key: 'stsTimeout', flag: 'aws-sts-timeout', env: 'LATCHKEY_AWS_STS_TIMEOUT', arg: 'MS',
    doc: 'Total timeout of one STS call, in milliseconds.',
    defaultDoc: '5000', parse: parseIntIn(100, 60000),
  }),
  stsConnectTimeout: setting({
    key: 'stsConnectTimeout', flag: 'aws-sts-connect-timeout', env: 'LATCHKEY_AWS_STS_CONNECT_TIMEOUT', arg: 'MS',
    doc: 'Connect timeout to STS, in milliseconds.',
    defaultDoc: '2000', parse: parseIntIn(50, 60000),
  }),
  workloadIssuerTimeout: setting({
    key: 'workloadIssuerTimeout', flag: 'workload-issuer-timeout', env: 'LATCHKEY_WORKLOAD_ISSUER_TIMEOUT', arg: 'MS',
    doc: "Timeout of one request to a claim-match identity's issuer (its discovery document or JWKS), in milliseconds; past it the exchange answers 503 ISSUER_UNAVAILABLE. Redirects are never followed; answers over 256 KiB are refused.",
    defaultDoc: '5000', parse: parseIntIn(100, 60000),
  }),
  workloadIssuerCacheTtl: setting({
    key: 'workloadIssuerCacheTtl', flag: 'workload-issuer-cache-ttl', env: 'LATCHKEY_WORKLOAD_ISSUER_CACHE_TTL', arg: 'DURATION',
    doc: "How long an issuer's keys are cached. A token signed with a key not in the cache makes one refetch, at most once per 30 s per issuer.",
    defaultDoc: '10m', parse: parseDurationIn(30, 86400),
  }),
  workloadTokenMaxLifetime: setting({
    key: 'workloadTokenMaxLifetime', flag: 'workload-token-max-lifetime', env: 'LATCHKEY_WORKLOAD_TOKEN_MAX_LIFETIME', arg: 'DURATION',
    doc: 'Longest lifetime (exp - iat) of an OpenID Connect token presented to the exchange; longer-lived tokens are refused (ID_TOKEN_TOO_LONG_LIVED).',
    defaultDoc: '24h', parse: parseDurationIn(60, 30 * 86400),
  }),
  workloadIssuerAllowLoopbackHttp: setting({
    key: 'workloadIssuerAllowLoopbackHttp', flag: 'workload-issuer-allow-loopback-http', env: 'LATCHKEY_WORKLOAD_ISSUER_ALLOW_LOOPBACK_HTTP',
    doc: 'Fetch the keys of claim-match issuers over plain http when they are on a loopback address (local issuers in development and tests). Always on with --dev; never for other hosts.',
    defaultDoc: 'false (true with --dev)', parse: parseBool,
  }),
  oneTimeCredentials: setting({
    key: 'oneTimeCredentials', flag: 'one-time-credentials', env: 'LATCHKEY_ONE_TIME_CREDENTIALS', arg: 'BOOL',
    doc: 'Accept each credential presented to the exchange once: an AWS request by its signature, an OpenID Connect token by (iss, jti), or by its signed header and claims when it has no jti. A second presentation, to any replica, is refused (401 CREDENTIAL_REPLAYED) until the credential has expired anyway. Turn off (false) only for callers that must retry the same token.',
    defaultDoc: 'true', parse: parseBool,
  }),
  authzCacheTtl: setting({
    key: 'authzCacheTtl', flag: 'authz-cache-ttl', env: 'LATCHKEY_AUTHZ_CACHE_TTL', arg: 'MS',
    doc: "How long an identity's role bindings, and its record (the rule an exchange is matched against), may be cached per replica. Changes apply at once on the replica that made them; on PostgreSQL the other replicas are notified and drop them within milliseconds, so this is only the bound when a notice is lost.",
    defaultDoc: '5000', parse: parseIntIn(0, 600000),
  }),
  inviteTtl: setting({
    key: 'inviteTtl', flag: 'invite-ttl', env: 'LATCHKEY_INVITE_TTL', arg: 'DURATION',
    doc: 'How long an invitation (a role binding made for an email address before that person first logs in) can be claimed; then it expires and is removed.',
    defaultDoc: '7d', parse: parseDurationIn(300, 90 * 86400),
  }),
  bodyLimit: setting({
    key: 'bodyLimit', flag: 'body-limit', env: 'LATCHKEY_BODY_LIMIT', arg: 'BYTES',
    doc: 'Largest request body accepted.',
    defaultDoc: '65536', parse: parseIntIn(1024, 10 * 1024 * 1024),
  }),
  trustProxy: setting({
    key: 'trustProxy', flag: 'trust-proxy', env: 'LATCHKEY_TRUST_PROXY',
    doc: 'Trust X-Forwarded-For from a reverse proxy for the client address in logs and audit.',
    defaultDoc: 'false', parse: parseBool,
  }),
  tlsCert: setting({
    key: 'tlsCert', flag: 'tls-cert', env: 'LATCHKEY_TLS_CERT', arg: 'FILE',
    doc: 'Serve HTTPS with this PEM certificate chain (with --tls-key). SIGHUP reloads both files. Without it, terminate TLS in a reverse proxy.',
    defaultDoc: 'none (plain HTTP)', parse: (raw): string | undefined => raw,
  }),
  tlsKey: setting({
    key: 'tlsKey', flag: 'tls-key', env: 'LATCHKEY_TLS_KEY', arg: 'FILE',
    doc: 'The PEM private key of --tls-cert.',
    defaultDoc: 'none', parse: (raw): string | undefined => raw,
  }),
  shutdownTimeout: setting({
    key: 'shutdownTimeout', flag: 'shutdown-timeout', env: 'LATCHKEY_SHUTDOWN_TIMEOUT', arg: 'DURATION',
    doc: 'On SIGTERM, how long in-flight requests may take before the server closes anyway.',
    defaultDoc: '10s', parse: parseDurationIn(0, 600),
  }),
  oidcProviders: setting({
    key: 'oidcProviders', flag: 'oidc-providers', env: 'LATCHKEY_OIDC_PROVIDERS', arg: 'JSON|FILE',
    doc: 'Upstream OpenID Connect providers people log in with: a JSON array (or a JSON file) of {name, issuer, clientId, clientSecret?, scopes?, idTokenAlg?, displayName?}. Register ISSUER_URL/oauth/callback as the redirect URI at each; issuers must be https (http only on loopback).',
    defaultDoc: 'none', parse: parseOidcProviders,
  }),
  oidcUpstreamTimeout: setting({
    key: 'oidcUpstreamTimeout', flag: 'oidc-upstream-timeout', env: 'LATCHKEY_OIDC_UPSTREAM_TIMEOUT', arg: 'MS',
    doc: "Timeout of one request to an upstream provider (discovery, JWKS, token endpoint), in milliseconds. Redirects are never followed; bodies over 256 KiB are refused.",
    defaultDoc: '5000', parse: parseIntIn(100, 60000),
  }),
  refreshTokenTtl: setting({
    key: 'refreshTokenTtl', flag: 'refresh-token-ttl', env: 'LATCHKEY_REFRESH_TOKEN_TTL', arg: 'DURATION',
    doc: "How long a person's refresh token stays valid unused. Each use replaces it; reusing a replaced one revokes the whole login.",
    defaultDoc: '7d', parse: parseDurationIn(300, 90 * 86400),
  }),
  refreshTokenMaxAge: setting({
    key: 'refreshTokenMaxAge', flag: 'refresh-token-max-age', env: 'LATCHKEY_REFRESH_TOKEN_MAX_AGE', arg: 'DURATION',
    doc: 'Longest a login lasts through refreshes; then the person logs in again. At least --refresh-token-ttl.',
    defaultDoc: '30d', parse: parseDurationIn(300, 365 * 86400),
  }),
  deviceCodeTtl: setting({
    key: 'deviceCodeTtl', flag: 'device-code-ttl', env: 'LATCHKEY_DEVICE_CODE_TTL', arg: 'DURATION',
    doc: 'How long a headless login (device code) waits for the person to approve it.',
    defaultDoc: '10m', parse: parseDurationIn(60, 1800),
  }),
  deviceCodeInterval: setting({
    key: 'deviceCodeInterval', flag: 'device-code-interval', env: 'LATCHKEY_DEVICE_CODE_INTERVAL', arg: 'DURATION',
    doc: 'Least time between two polls of a headless login; faster polls are told to slow down.',
    defaultDoc: '5s', parse: parseDurationIn(1, 60),
  }),
  registryServices: setting({
    key: 'registryServices', flag: 'registry-services', env: 'LATCHKEY_REGISTRY_SERVICES', arg: 'LIST',
    doc: "Container registries Latchkey is the token service of, comma-separated: each registry's `auth.token.service`, which is also the audience a Latchkey token presented for it must carry (use the host clients pull from, e.g. registry.example.com or 127.0.0.1:5000). See docs/registry.md.",
    defaultDoc: 'none (GET /registry/token refuses every service)', parse: parseServices,
  }),
  registryTokenTtl: setting({
    key: 'registryTokenTtl', flag: 'registry-token-ttl', env: 'LATCHKEY_REGISTRY_TOKEN_TTL', arg: 'DURATION',
    doc: 'Lifetime of registry tokens (at most 1h).',
    defaultDoc: '5m', parse: parseDurationIn(60, 3600),
  }),
  registryKeyRotation: setting({
    key: 'registryKeyRotation', flag: 'registry-key-rotation', env: 'LATCHKEY_REGISTRY_KEY_ROTATION', arg: 'DURATION',
    doc: 'How long a registry signing key signs before its successor takes over.',
    defaultDoc: '90d', parse: parseDurationIn(600, 5 * 365 * 86400),
  }),
  registryKeyPublishAhead: setting({
    key: 'registryKeyPublishAhead', flag: 'registry-key-publish-ahead', env: 'LATCHKEY_REGISTRY_KEY_PUBLISH_AHEAD', arg: 'DURATION',
    doc: "How long a new registry signing key is in the certificate bundle before it signs (at least 1h). Distribution reads its rootcertbundle only when it starts: refresh the bundle and restart the registry at least this often.",
    defaultDoc: '30d', parse: parseDurationIn(3600, 365 * 86400),
  }),
  deviceCodeMaxGuesses: setting({
    key: 'deviceCodeMaxGuesses', flag: 'device-code-max-guesses', env: 'LATCHKEY_DEVICE_CODE_MAX_GUESSES', arg: 'N',
    doc: 'Wrong codes one browser may type on the device page before it must wait 15 minutes (one client address or IPv6 /64: four times as many).',
    defaultDoc: '5', parse: parseIntIn(1, 100),
  }),
  dev: setting({
    key: 'dev', flag: 'dev', env: 'LATCHKEY_DEV',
    doc: 'Development mode (loopback only): dev database, the AWS emulator wired in as STS, dev login, and claim-match issuers on loopback fetched over plain http.',
    defaultDoc: 'false', parse: parseBool,
  }),
  devAwsPort: setting({
    key: 'devAwsPort', flag: 'dev-aws-port', env: 'LATCHKEY_DEV_AWS_PORT', arg: 'PORT',
    doc: 'Port of the AWS emulator (STS and IMDSv2, on 127.0.0.1) that --dev starts; 0 picks a free port. Only with --dev.',
    defaultDoc: 'PORT+1 (0 when PORT is 0)', parse: parseIntIn(0, 65535),
  }),
} satisfies Record<string, Setting<unknown>>;

type Parsed<S> = S extends Setting<infer T> ? T : never;
export type ServerConfig = { [K in keyof typeof SERVER_SETTINGS]: Parsed<(typeof SERVER_SETTINGS)[K]> };
