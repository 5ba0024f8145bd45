// `latchkey aws-emulator`: the composition root of the local AWS emulator — reads its flags,
// starts it, prints how to point AWS tools at it, and stops cleanly on SIGINT/SIGTERM.

import { Command, InvalidArgumentError } from 'commander';
import { parsePrincipalSpec, type EmulatedPrincipal } from './principals.js';
import { startAwsEmulator } from './start-aws-emulator.js';

const DEFAULT_PRINCIPAL = '123456789012:latchkey-dev-role:i-0123456789abcdef0';

function principalOption(value: string, previous: EmulatedPrincipal[] | undefined): EmulatedPrincipal[] {
  try {
    return [...(previous ?? []), parsePrincipalSpec(value)];
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

function integerOption(min: number, max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    }
    return Number(value);
  };
}

export async function runAwsEmulatorCommand(argv: string[]): Promise<void> {
  const cmd = new Command('latchkey aws-emulator')
    .description(
      'Run a local stand-in for AWS STS (GetCallerIdentity, verifying SigV4), EC2 IMDSv2 and the ' +
        'ECS/EKS container-credentials endpoint. Loopback only; credentials live in memory.',
    )
    .option('--host <HOST>', 'loopback address to listen on', '127.0.0.1')
    .option('--port <PORT>', 'TCP port (0 picks a free one)', integerOption(0, 65535), 0)
    .option(
      '--principal <ACCOUNT:ROLE[:SESSION]>',
      `an assumed-role principal; repeat for more, the first is the instance's (default ${DEFAULT_PRINCIPAL})`,
      principalOption,
    )
    .option('--credential-ttl <SECONDS>', 'lifetime of issued credentials', integerOption(60, 43200), 3600)
    .option('--container-auth-token <TOKEN>', 'Authorization value the container endpoint requires (AWS_CONTAINER_AUTHORIZATION_TOKEN)')
    .option('--quiet', 'do not log each request')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError();
  cmd.parse(argv, { from: 'user' });
  const o = cmd.opts<{
    host: string;
    port: number;
    principal?: EmulatedPrincipal[];
    credentialTtl: number;
    containerAuthToken?: string;
    quiet?: boolean;
  }>();

  let emulator;
  try {
    emulator = await startAwsEmulator({
      host: o.host,
      port: o.port,
      principals: o.principal ?? [parsePrincipalSpec(DEFAULT_PRINCIPAL)],
      credentialTtlSeconds: o.credentialTtl,
      ...(o.containerAuthToken !== undefined ? { containerAuthorizationToken: o.containerAuthToken } : {}),
      ...(o.quiet ? {} : { log: (msg: string, fields?: object) => process.stderr.write(`${msg} ${JSON.stringify(fields ?? {})}\n`) }),
    });
  } catch (err) {
    if (err instanceof TypeError) {
      process.stderr.write(`latchkey aws-emulator: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }

  const u = emulator.url;
  process.stdout.write(
    [
      `AWS emulator at ${u}`,
      ...emulator.principals.map((p, i) => `  principal ${i}: ${p.arn} (UserId ${p.userId})`),
      'Point AWS tools at it:',
      `  export AWS_EC2_METADATA_SERVICE_ENDPOINT=${u}`,
      `  export AWS_ENDPOINT_URL_STS=${u}`,
      `  export AWS_CONTAINER_CREDENTIALS_FULL_URI=${u}/v2/credentials/0`,
      '  export AWS_REGION=us-east-1',
      '',
    ].join('\n'),
  );

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await emulator.close();
}
