// The CLI's side of the browser login's redirect (RFC 8252 §7.3): an HTTP listener on
// 127.0.0.1, on a port the OS picks, that takes exactly one answer at /callback. The answer
// must carry the state this login sent, and the issuer's `iss` (RFC 9207) when the issuer says
// it sends one.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CliError } from '../cli-error.js';
import { printable } from './oauth-client.js';

export interface LoopbackCallback {
  /** http://127.0.0.1:PORT/callback */
  redirectUri: string;
  /** Resolves with the authorization code; rejects on an error answer, a wrong state or timeout. */
  code: Promise<string>;
  close(): void;
}

export interface Expected {
  state: string;
  issuer: string;
  /** The issuer advertises authorization_response_iss_parameter_supported. */
  issRequired: boolean;
}

const PAGE = (message: string) =>
  `<!doctype html><meta charset="utf-8"><title>Latchkey</title><p id="result">${message}</p><p>You can close this tab and go back to the terminal.</p>`;

/** Parses the redirect's query, which anyone on this machine could send. */
function answerOf(url: URL, expected: Expected): { code: string } | { error: CliError } {
  const q = url.searchParams;
  const state = q.get('state');
  if (state !== expected.state) {
    return { error: new CliError('BAD_RESPONSE', 'the login answer carries a state this login did not send (a stale browser tab, or another program)',
      { hint: 'run `latchkey auth login` again', serverCode: 'STATE_MISMATCH' }) };
  }
  const iss = q.get('iss');
  if ((iss !== null || expected.issRequired) && iss !== expected.issuer) {
    return { error: new CliError('BAD_RESPONSE', `the login answer comes from issuer ${printable(iss ?? 'unnamed', 100)}, not ${expected.issuer}`,
      { hint: 'run `latchkey auth login` again', serverCode: 'ISSUER_MISMATCH' }) };
  }
  const error = q.get('error');
  if (error !== null) {
    const code = printable(q.get('latchkey_code') ?? error, 64);
    return { error: new CliError('SERVER_ERROR', `the login failed: ${printable(q.get('error_description') ?? error)}`,
      { serverCode: code, hint: 'run `latchkey auth login` again; run with -v for details' }) };
  }
  const code = q.get('code');
  if (!code) return { error: new CliError('BAD_RESPONSE', 'the login answer has no code', { hint: 'run `latchkey auth login` again' }) };
  return { code };
}

export async function listenForCallback(expected: Expected, timeoutMs: number): Promise<LoopbackCallback> {
  let settle!: { resolve(code: string): void; reject(err: Error): void };
  const code = new Promise<string>((resolve, reject) => { settle = { resolve, reject }; });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== '/callback') {
      res.writeHead(404).end();
      return;
    }
    const answer = answerOf(url, expected);
    res.writeHead('code' in answer ? 200 : 400, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
    res.end(PAGE('code' in answer ? 'Latchkey received the sign-in.' : 'The login failed; the terminal says why.'));
    if ('code' in answer) settle.resolve(answer.code);
    else settle.reject(answer.error);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const timer = setTimeout(() => settle.reject(new CliError('ABORTED', `no sign-in arrived within ${Math.round(timeoutMs / 60000)} minutes`,
    { hint: 'run `latchkey auth login` again (or `--headless` on a machine without a browser)' })), timeoutMs);
  timer.unref();
  const close = () => {
    clearTimeout(timer);
    server.closeAllConnections();
    server.close();
  };
  code.then(close, close);
  return { redirectUri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`, code, close };
}
