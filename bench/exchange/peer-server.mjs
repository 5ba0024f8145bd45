// The peer: oidc-provider (panva), the leading Node.js OpenID server, doing the simplest token
// issuance it has — the client_credentials grant, answered with an ES256-signed JWT access
// token for one resource server (resource indicators, accessTokenFormat 'jwt'). In-memory
// adapter (its default), no logging. Plain .mjs so no loader runs in the measured process.
// Prints "listening <url>" once it accepts connections.

import { createServer } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

const CLIENT_ID = 'bench-client';
const CLIENT_SECRET = 'bench-client-secret-0123456789abcdef';
const RESOURCE = 'https://api.bench.example';

const { privateKey } = await generateKeyPair('ES256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: 'peer', alg: 'ES256', use: 'sig' };

const server = createServer();
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(url, {
  clients: [{
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'ES256',
  }],
  jwks: { keys: [jwk] },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => RESOURCE,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'api:read',
        audience: RESOURCE,
        accessTokenTTL: 3600,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'ES256' } },
      }),
    },
  },
});
server.on('request', provider.callback());
process.stdout.write(`listening ${url}\n`);
const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
