// Which hosts only the local machine can reach (dev mode, upstream issuers, CLI redirects).

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** True for hosts that only the local machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
