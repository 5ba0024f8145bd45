// A loopback URL where nothing listens (fetch refuses some well-known ports outright, so a
// port that was free a moment ago is the honest "server not running").

import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

export async function closedUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
}
