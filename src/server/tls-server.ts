// HTTPS for `latchkey serve --tls-cert FILE --tls-key FILE`. The files are read at start-up,
// with an error naming the file that cannot be read or does not fit, and again on SIGHUP, so a
// renewed certificate is picked up without a restart (a failed reload keeps the old one).

import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { createSecureContext } from 'node:tls';
import { ConfigError } from '../config/index.js';

function readPair(certFile: string, keyFile: string): { cert: Buffer; key: Buffer } {
  const read = (flag: string, file: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new ConfigError(`cannot read ${flag} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  };
  const pair = { cert: read('--tls-cert', certFile), key: read('--tls-key', keyFile) };
  try {
    createSecureContext(pair);
  } catch (err) {
    // OpenSSL's reason (e.g. "key values mismatch"), never the files' contents.
    throw new ConfigError(`--tls-cert ${certFile} and --tls-key ${keyFile} are not a PEM certificate and its key: ${(err as Error).message}`);
  }
  return pair;
}

/** An HTTPS server (not yet listening) whose certificate SIGHUP reloads; `reloaded` hears how that went. */
export function createTlsServer(certFile: string, keyFile: string, reloaded: (err?: unknown) => void): Server {
  const server = createServer({ ...readPair(certFile, keyFile), minVersion: 'TLSv1.2' });
  process.on('SIGHUP', () => {
    try {
      server.setSecureContext({ ...readPair(certFile, keyFile), minVersion: 'TLSv1.2' });
      reloaded();
    } catch (err) {
      reloaded(err);
    }
  });
  return server;
}
