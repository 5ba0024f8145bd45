// `latchkey serve --dev`: loopback only, a dev data directory, the AWS emulator wired in as
// STS, and a built-in dev user who owns a dev organization and logs in with no browser.

import type { FastifyInstance } from 'fastify';
import { startAwsEmulator, type AwsEmulator } from '../aws/emulator/index.js';
import { isLoopbackHost, type ServerConfig } from '../config/index.js';
import { LatchkeyError } from '../errors/index.js';
import { OPERATOR, builtinRoleId } from '../iam/index.js';
import type { ServerExtension, ServerParts } from './create-server.js';

export const DEV_PRINCIPAL = { account: '123456789012', roleName: 'latchkey-dev-role', sessionName: 'i-0123456789abcdef0' };
export const DEV_USER = { subject: 'dev', email: 'dev@latchkey.localhost', name: 'Dev User' };
const DEV_ORG = 'dev-org';

export async function devExtension(config: ServerConfig): Promise<{
  config: ServerConfig;
  extension: (parts: Omit<ServerParts, 'app' | 'close'>) => Promise<ServerExtension>;
  announce: (address: string) => void;
}> {
  const emulator: AwsEmulator = await startAwsEmulator({
    host: '127.0.0.1',
    port: config.port === 0 ? 0 : config.port + 1,
    principals: [DEV_PRINCIPAL],
  });
  const stsHosts = ['sts.amazonaws.com', 'sts.us-east-1.amazonaws.com'];
  const devConfig: ServerConfig = {
    ...config,
    stsEndpoints: { ...Object.fromEntries(stsHosts.map((h) => [h, emulator.url])), ...config.stsEndpoints },
  };
  const extension = async (parts: Omit<ServerParts, 'app' | 'close'>): Promise<ServerExtension> => {
    const userInfo = { issuer: `${config.issuerUrl}/dev`, subject: DEV_USER.subject, email: DEV_USER.email };
    const { identity: user } = await parts.iam.identities.upsertUser(OPERATOR, userInfo, DEV_USER.name);
    const orgs = await parts.store.listGroups({ rootsOnly: true, limit: 1 });
    if (orgs.length === 0) {
      const org = await parts.iam.groups.createOrganization(OPERATOR, { name: DEV_ORG, description: 'Created by latchkey serve --dev' });
      await parts.iam.bindings.create(OPERATOR, org.id, { identity: user.id, role: builtinRoleId('owner') });
    }
    return {
      discovery: { latchkey_dev_login_endpoint: `${config.issuerUrl}/auth/v1/dev/login` },
      close: () => emulator.close(),
      routes: (app: FastifyInstance) => {
        app.post('/auth/v1/dev/login', {
          config: { auth: { public: true } },
          schema: { tags: ['auth'], summary: 'Dev login (only under serve --dev, loopback only)' },
        }, async (req) => {
          if (!isLoopbackHost(req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '')) {
            throw new LatchkeyError('PERMISSION_DENIED', 'dev login answers loopback clients only');
          }
          const minted = await parts.issuer.mint({ sub: user.id, aud: [config.apiAudience], ttlSeconds: config.tokenTtl, extra: { email: DEV_USER.email } });
          return { token: minted.token, expiry: minted.expiry.toISOString(), identity: user.id };
        });
      },
    };
  };
  const announce = (address: string) => {
    const u = emulator.url;
    process.stderr.write([
      '',
      `Latchkey dev server at ${address} (issuer ${config.issuerUrl}). Log in with: latchkey auth login`,
      `AWS emulator at ${u} (account ${DEV_PRINCIPAL.account}, role ${DEV_PRINCIPAL.roleName}). Point AWS tools at it:`,
      `  export AWS_EC2_METADATA_SERVICE_ENDPOINT=${u}`,
      `  export AWS_ENDPOINT_URL_STS=${u}`,
      '  export AWS_REGION=us-east-1',
      '',
    ].join('\n'));
  };
  return { config: devConfig, extension, announce };
}
