// A local stand-in for STS on 127.0.0.1 (node:http, real sockets) whose behaviour each test
// picks. Its "ok" behaviour really checks the SigV4 signature of what arrives, so a passing
// exchange proves the forwarded request is still the signed one.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { hasValidSignature } from './support.js';

export interface Received {
  method: string;
  target: string;
  rawHeaders: string[];
  headers: IncomingMessage['headers'];
  body: string;
  signatureValid: boolean;
}

export type Behaviour = (req: Received, res: ServerResponse) => unknown;

export const ACCOUNT = '123456789012';
export const ARN = `arn:aws:sts::${ACCOUNT}:assumed-role/ci-runner/i-0abc`;
export const USER_ID = 'AROAEXAMPLEEXAMPLE123:i-0abc';

export function jsonIdentity(arn = ARN, account = ACCOUNT, userId = USER_ID): string {
  return JSON.stringify({
    GetCallerIdentityResponse: {
      GetCallerIdentityResult: { Account: account, Arn: arn, UserId: userId },
      ResponseMetadata: { RequestId: '01234567-89ab-cdef-0123-456789abcdef' },
    },
  });
}

export function xmlIdentity(arn = ARN, account = ACCOUNT, userId = USER_ID): string {
  return `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>${arn}</Arn>
    <UserId>${userId}</UserId>
    <Account>${account}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>
`;
}

export function xmlError(code: string, message = 'x'): string {
  return `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r</RequestId></ErrorResponse>`;
}

/** Answers like STS: JSON identity when the signature checks out, 403 SignatureDoesNotMatch otherwise. */
export const realistic: Behaviour = (req, res) => {
  if (!req.signatureValid) {
    res.writeHead(403, { 'content-type': 'text/xml' }).end(xmlError('SignatureDoesNotMatch'));
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(jsonIdentity());
};

export interface FakeSts {
  url: string;
  received: Received[];
  /** TCP connections accepted so far. */
  connections: () => number;
  behave: (b: Behaviour) => void;
  close: () => Promise<void>;
}

export async function startFakeSts(initial: Behaviour = realistic): Promise<FakeSts> {
  let behaviour = initial;
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('latin1');
      void (async () => {
        const r: Received = {
          method: req.method ?? '',
          target: req.url ?? '',
          rawHeaders: req.rawHeaders,
          headers: req.headers,
          body,
          signatureValid: await hasValidSignature(req.method ?? '', req.url ?? '', req.headers as Record<string, string>, body),
        };
        received.push(r);
        await behaviour(r, res);
      })();
    });
  });
  server.on('connection', (s: Socket) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    received,
    connections: () => connections,
    behave: (b) => {
      behaviour = b;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
