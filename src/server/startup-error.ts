// What `latchkey serve` says when it cannot start listening: which address, which setting
// moves it. Other start-up failures are left to the caller.

import type { ServerConfig } from '../config/index.js';

/** One line for a listen error of the server's port or the dev emulator's, or undefined. */
export function describeListenError(err: unknown, config: Pick<ServerConfig, 'host' | 'port' | 'dev' | 'devAwsPort'>): string | undefined {
  const e = err as NodeJS.ErrnoException & { syscall?: string; address?: string; port?: number };
  if (e?.syscall !== 'listen' || typeof e.port !== 'number') return undefined;
  const emulator = config.dev && e.port === config.devAwsPort && e.port !== config.port;
  const what = emulator ? `the AWS emulator's port ${e.port} (--dev-aws-port)` : `port ${e.port} on ${e.address ?? config.host}`;
  const move = emulator
    ? 'pick another with --dev-aws-port PORT (0 picks a free one)'
    : `pick another with --port PORT${config.dev ? ' (--dev puts its AWS emulator on PORT+1 unless --dev-aws-port says otherwise)' : ''}`;
  switch (e.code) {
    case 'EADDRINUSE':
      return `${what} is taken (another latchkey serve?): stop what listens there, or ${move}`;
    case 'EACCES':
      return `${what} needs privileges this user lacks (ports below 1024): ${move}`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${e.address ?? config.host}: no interface of this machine has that address; fix --host`;
    default:
      return undefined;
  }
}
