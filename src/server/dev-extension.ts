// `latchkey serve --dev`: loopback only, a dev data directory, and the AWS emulator wired in as
// STS. Dev login (the built-in dev user, who owns a dev organization, logging in with no
// browser) is part of human login: src/auth, enabled by `config.dev`.

import { startAwsEmulator, type AwsEmulator } from '../aws-emulator/index.js';
import type { ServerConfig } from '../config/index.js';
import type { ServerExtension } from './create-server.js';

export { DEV_USER } from '../auth/index.js';
export const DEV_PRINCIPAL = { account: '123456789012', roleName: 'latchkey-dev-role', sessionName: 'i-0123456789abcdef0' };

export async function devExtension(config: ServerConfig): Promise<{
  config: ServerConfig;
  extension: () => ServerExtension;
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
  const extension = (): ServerExtension => ({ close: () => emulator.close() });
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
