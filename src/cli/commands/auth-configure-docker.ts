// `latchkey auth configure-docker --registry HOST`: make docker, podman and skopeo ask
// docker-credential-latchkey for that registry's credentials.

import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { CliError } from '../cli-error.js';
import type { CommandInput } from '../command-input.js';
import type { CliContext } from '../context.js';
import { addCredHelper, containersAuthPath, dockerConfigPath, HELPER_NAME, registryHost } from '../docker-config.js';

async function onPath(env: CliContext['env'], name: string): Promise<boolean> {
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    try {
      await access(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  const raw = input.string('registry');
  if (!raw) throw new CliError('USAGE', '--registry HOST is required: the registry to use Latchkey credentials for');
  const host = registryHost(raw);
  for (const path of [dockerConfigPath(ctx.env), containersAuthPath(ctx.env)]) {
    const changed = await addCredHelper(path, host);
    ctx.stdout.write(`${changed ? 'Configured' : 'Already configured'}: ${path} (credHelpers ${host} -> ${HELPER_NAME})\n`);
  }
  if (!(await onPath(ctx.env, `docker-credential-${HELPER_NAME}`))) {
    ctx.notice(`warning: docker-credential-${HELPER_NAME} is not on PATH; clients will not find it (it is installed with the latchkey package, beside latchkey)`);
  }
}
