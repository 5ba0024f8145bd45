// `latchkey serve`: the composition root of the server. The only place (with the CLI's
// main) that reads flags and the environment.

import { createServer as createHttpServer, type Server } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import type { AddressInfo } from 'node:net';
import { Command } from 'commander';
import { ConfigError, type ServerConfig } from '../config/index.js';
import { createServer, type CreateServerOptions } from './create-server.js';
import type { FastifyRequest } from 'fastify';
import { humanLoginExtension, loggableUrl } from '../auth/index.js';
import { LatchkeyError } from '../errors/index.js';
import { devExtension } from './dev-extension.js';
import type { StartupLog } from './wait-for-database.js';
import { addServerOptions, configFromOptions } from './server-command.js';
import { describeListenError } from './startup-error.js';
import { createTlsServer } from './tls-server.js';

export async function runServe(argv: string[]): Promise<void> {
  const cmd = addServerOptions(
    new Command('latchkey serve')
      .description('Run the Latchkey server: IAM API, token exchange, issuer discovery and JWKS.')
      .helpOption('-h, --help', 'show help')
      .option('-v, --verbose', 'on a start-up failure, print its detail too')
      .showHelpAfterError(),
  );
  cmd.parse(argv, { from: 'user' });
  const verbose = cmd.opts().verbose === true;
  let config: ServerConfig;
  try {
    config = configFromOptions(cmd.opts(), process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`latchkey serve: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  try {
    await serve(config);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`latchkey serve: ${err.message}\n`);
      process.exit(2);
    }
    // Start-up failed (the database never answered, the port is taken, ...): say what and exit,
    // rather than leave a process that serves nothing.
    const listen = describeListenError(err, config);
    const message = listen ?? (err instanceof Error ? err.message : String(err));
    process.stderr.write(`latchkey serve: ${message}${verbose || listen ? '' : ' (run with -v for details)'}\n`);
    if (verbose) {
      const detail = err instanceof LatchkeyError ? err.detail : undefined;
      if (detail) process.stderr.write(`  detail: ${JSON.stringify(detail)}\n`);
      if (!listen && !(err instanceof LatchkeyError) && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    }
    process.exit(1);
  }
}

export async function serve(config: ServerConfig): Promise<void> {
  boundHeapGrowth();
  const logger = {
    level: config.logLevel,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-amz-security-token"]'],
    serializers: {
      req: (req: FastifyRequest) => ({ method: req.method, url: loggableUrl(req.url), host: req.host, remoteAddress: req.ip }),
    },
  };
  let tlsReloaded: (err?: unknown) => void = () => {};
  const tls = config.tlsCert && config.tlsKey ? createTlsServer(config.tlsCert, config.tlsKey, (err) => tlsReloaded(err)) : undefined;
  // Port 0 with no explicit issuer: bind first, so the issuer URL names the real port.
  let server: Server | undefined;
  let listening = false;
  if (config.port === 0 && config.issuerUrl.endsWith(':0')) {
    server = await listenFirst(config.host, tls);
    listening = true;
    const real = config.issuerUrl.replace(/:0$/, `:${(server.address() as AddressInfo).port}`);
    config = { ...config, apiAudience: config.apiAudience === config.issuerUrl ? real : config.apiAudience, issuerUrl: real };
  } else {
    server = tls;
  }
  const opts: CreateServerOptions = { logger, startupLog: startupLogger(config.logLevel) };
  if (server) {
    const s = server;
    opts.serverFactory = (handler) => s.on('request', handler);
  }
  const dev = config.dev ? await devExtension(config) : undefined;
  if (dev) config = dev.config;
  opts.extensions = [humanLoginExtension(), ...(dev ? [dev.extension] : [])];
  let parts: Awaited<ReturnType<typeof createServer>>;
  try {
    parts = await createServer(config, opts);
  } catch (err) {
    // The socket bound first (port 0) must not keep a process alive that will never serve.
    if (listening) server?.close();
    await dev?.extension().close?.();
    throw err;
  }
  const { app } = parts;
  let address: string;
  if (listening) {
    await app.ready();
    address = config.issuerUrl;
  } else {
    address = await app.listen({ host: config.host, port: config.port });
    if (tls) address = address.replace(/^http:/, 'https:');
  }
  tlsReloaded = (err) => (err ? app.log.error({ err }, 'TLS certificate reload failed; still serving the previous one')
    : app.log.info('TLS certificate reloaded'));
  app.log.info({ address, issuer: config.issuerUrl, database: redactDb(config.database), dev: config.dev }, 'latchkey serving');
  if (dev) dev.announce(address);
  if (!config.dev && config.oidcProviders.length === 0) {
    app.log.warn('no login provider: people cannot log in (workloads can, with their identity tokens). '
      + 'Configure one with --oidc-providers (see docs/human-login.md), or try everything with `latchkey serve --dev`');
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      app.log.warn('shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeout * 1000 + 1000);
    force.unref();
    parts.close().then(() => (server ? new Promise((r) => server!.close(r)) : undefined)).then(
      () => process.exit(0),
      (err) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/**
 * When full collections are cheap, V8 lets the old generation grow to about four times what
 * survived the last one before collecting again: under exchange load that was 250+ MB resident
 * for 40 MB live (bench/README.md). Growing by half instead keeps it near 160 MB, at no CPU
 * cost we could measure. A --heap-growing-percent given to node (NODE_OPTIONS) wins.
 */
function boundHeapGrowth(): void {
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  if (!given.some((a) => a.startsWith('--heap-growing-percent') || a.startsWith('--heap_growing_percent'))) {
    setFlagsFromString('--heap-growing-percent=50');
  }
}

const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity } as const;

/** Log lines before the app's logger exists, in the same JSON-lines shape on stdout. */
function startupLogger(level: keyof typeof LEVELS): StartupLog {
  return (at, msg, fields) => {
    if (LEVELS[at] < LEVELS[level]) return;
    process.stdout.write(`${JSON.stringify({ level: LEVELS[at], time: Date.now(), pid: process.pid, ...fields, msg })}\n`);
  };
}

/** A database setting fit for a log line: never a password. */
function redactDb(db: string): string {
  return db.replace(/\/\/([^@/]*)@/, (_m, userinfo: string) => `//${userinfo.split(':')[0]}:***@`);
}

/** A server (node:http unless given) already listening on `host`, port 0. */
export function listenFirst(host: string, given?: Server): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = given ?? createHttpServer();
    s.once('error', reject);
    s.listen(0, host, () => resolve(s));
  });
}
