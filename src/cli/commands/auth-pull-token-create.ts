// `latchkey auth pull-token create --parent GROUP [--ttl 720h]`: a registry pull token, for
// systems with no workload identity. Prints the user name and the secret (shown this once).

import { parseDuration } from '../../config/setting.js';
import { CliError } from '../cli-error.js';
import type { CommandInput } from '../command-input.js';
import type { CliContext } from '../context.js';
import { iamClient } from '../iam-client.js';
import { serialize } from '../print-output.js';
import { renderFields } from '../render-table.js';
import { resolveParent } from '../resolve-names.js';

const MAX_TTL_S = 365 * 86400;

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  let ttlSeconds: number;
  try {
    ttlSeconds = parseDuration(input.string('ttl') ?? '720h');
  } catch (err) {
    throw new CliError('USAGE', `--ttl: ${(err as Error).message}`);
  }
  if (ttlSeconds < 60 || ttlSeconds > MAX_TTL_S) throw new CliError('USAGE', '--ttl must be from 60s to 8760h (one year)');
  const api = await iamClient(ctx);
  const parent = await resolveParent(ctx, api, input, true);
  const created = await api.send<{ id: string; username: string; secret: string; expiresAt: string }>({
    method: 'POST',
    path: `/registry/v1/pull-tokens/${parent.id}`,
    json: { ttlSeconds },
    op: { what: 'create a pull token', capability: 'identity.create', where: parent.label },
  });
  const format = await ctx.outputFormat();
  if (format === 'json' || format === 'yaml') {
    ctx.stdout.write(await serialize({ id: created.id, username: created.username, secret: created.secret, expiresAt: created.expiresAt }, format));
    return;
  }
  if (format === 'id') {
    ctx.stdout.write(`${created.id}\n`);
    return;
  }
  ctx.stdout.write(renderFields([
    ['Username', created.username],
    ['Password', created.secret],
    ['Expires', created.expiresAt],
  ]));
  ctx.stdout.write('\nThe password is shown only now. To use it:\n'
    + `  docker login REGISTRY --username "${created.username}" --password-stdin\n`
    + `Revoke it with: latchkey iam identities delete ${created.id}\n`);
}
