// `latchkey serve --dev`: loopback only, a dev data directory, and the AWS emulator wired in as
// STS. Dev login (the built-in dev user, who owns a dev organization, logging in with no
// browser) is part of human login: src/auth, enabled by `config.dev`.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAwsEmulator, type AwsEmulator } from '../aws-emulator/index.js';
import type { ServerConfig } from '../config/index.js';
import type { ServerExtension } from './create-server.js';

export { DEV_USER } from '../auth/index.js';
export const DEV_PRINCIPAL = { account: '123456789012', roleName: 'latchkey-dev-role', sessionName: 'i-0123456789abcdef0' };

/**
 * AWS CLIs before AWS_ENDPOINT_URL_STS (Debian's 2.9, botocore before 1.31) find STS through
 * the endpoint rules of their data files; AWS_DATA_PATH adds a folder searched first. This
 * writes one rule there: every STS call goes to the emulator. Returns the folder.
 */
function writeStsEndpointRule(dataDir: string, emulatorUrl: string): string {
  const dir = join(dataDir, 'aws-data');
  const ruleDir = join(dir, 'sts', '2011-06-15');
  mkdirSync(ruleDir, { recursive: true });
  const rules = {
    version: '1.0',
    parameters: {},
    rules: [{ conditions: [], endpoint: { url: emulatorUrl, properties: {}, headers: {} }, type: 'endpoint' }],
  };
  writeFileSync(join(ruleDir, 'endpoint-rule-set-1.json'), `${JSON.stringify(rules, null, 2)}\n`);
  return dir;
}

/** The lines `serve --dev` prints: where things are, the exports for AWS tools, the curl line. */
export function devBanner(address: string, issuer: string, emulatorUrl: string, awsDataPath: string): string {
  const emu = new URL(emulatorUrl);
  return [
    '',
    `Latchkey dev server at ${address} (issuer ${issuer}). Log in with: latchkey auth login`,
    `AWS emulator at ${emulatorUrl} (account ${DEV_PRINCIPAL.account}, role ${DEV_PRINCIPAL.roleName}), as IMDSv2 and STS. Point AWS tools at it:`,
    `  export AWS_EC2_METADATA_SERVICE_ENDPOINT=${emulatorUrl}/`,
    `  export AWS_ENDPOINT_URL_STS=${emulatorUrl}`,
    `  export AWS_DATA_PATH=${awsDataPath}`,
    '  export AWS_REGION=us-east-1',
    `By hand (README, step 3): IMDSv2 is ${emulatorUrl} in place of http://169.254.169.254, and the token comes from`,
    `  TOK=$(curl -X POST "http://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15" --connect-to sts.amazonaws.com:80:${emu.host}`
      + ' --aws-sigv4 "aws:amz:us-east-1:sts" -H "x-amz-security-token: $AWS_SESSION_TOKEN" --user "$AWS_ACCESS_KEY_ID":"$AWS_SECRET_ACCESS_KEY"'
      + ` -H "Chainguard-Identity: $LATCHKEY_IDENTITY" -H "Chainguard-Audience: ${issuer}" -H "Accept: application/json"`
      + " -v 2>&1 > /dev/null | grep '^> ' | sed 's/> //' | base64 -w0)",
    '  (plain http, sent to the emulator by --connect-to: nothing goes to AWS)',
    '',
  ].join('\n');
}

export async function devExtension(config: ServerConfig): Promise<{
  config: ServerConfig;
  extension: () => ServerExtension;
  announce: (address: string) => void;
}> {
  const emulator: AwsEmulator = await startAwsEmulator({
    host: '127.0.0.1',
    port: config.devAwsPort,
    principals: [DEV_PRINCIPAL],
  });
  const stsHosts = ['sts.amazonaws.com', 'sts.us-east-1.amazonaws.com'];
  const devConfig: ServerConfig = {
    ...config,
    stsEndpoints: { ...Object.fromEntries(stsHosts.map((h) => [h, emulator.url])), ...config.stsEndpoints },
  };
  const awsDataPath = writeStsEndpointRule(config.dataDir, emulator.url);
  const extension = (): ServerExtension => ({ close: () => emulator.close() });
  const announce = (address: string) => {
    process.stderr.write(devBanner(address, config.issuerUrl, emulator.url, awsDataPath));
  };
  return { config: devConfig, extension, announce };
}
