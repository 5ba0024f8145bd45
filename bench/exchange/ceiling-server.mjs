// The ceiling: a bare Fastify route that signs one ES256 JWT with jose per request and
// nothing else (no parsing of the credential, no database, no upstream call). The key is
// generated and imported once; logging is off. Plain .mjs so no loader runs in the measured
// process. Prints "listening <url>" once it accepts connections.

import Fastify from 'fastify';
import { SignJWT, generateKeyPair } from 'jose';
import { randomUUID } from 'node:crypto';

const { privateKey } = await generateKeyPair('ES256');
const issuer = 'http://127.0.0.1/ceiling';
const app = Fastify({ logger: false });
// The load generator sends the same form body to every target; accept it as a string.
app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, body));
app.post('/token', async () => {
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: 'ceiling', typ: 'JWT' })
    .setIssuer(issuer)
    .setSubject('ceiling')
    .setAudience(issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .setJti(randomUUID())
    .sign(privateKey);
  return { token, expiry: new Date((now + 3600) * 1000).toISOString() };
});
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`listening ${url}\n`);
const stop = () => app.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
