// `latchkey admin ...`: operator commands that work on the database directly, before anyone
// can log in. Run them with the same --database / LATCHKEY_DATABASE as `latchkey serve`.

import { mkdirSync } from 'node:fs';
import { Command } from 'commander';
import { ConfigError } from '../config/index.js';
import { LatchkeyError } from '../errors/index.js';
import { IamService, OPERATOR, builtinRoleId } from '../iam/index.js';
import { openStore } from '../store/index.js';
import { addServerOptions, configFromOptions } from './server-command.js';

export async function runAdmin(argv: string[]): Promise<void> {
  const root = new Command('latchkey admin').description('Operator commands run against the database directly.');
  const bootstrap = addServerOptions(
    root.command('bootstrap')
      .description('Create an organization and name its first owner by email, before they have ever logged in.')
      .requiredOption('--org <NAME>', 'name of the organization to create')
      .requiredOption('--owner-email <EMAIL>', "email of the first owner; their first login (with that email verified by the provider) binds them as owner, until --invite-ttl has passed")
      .option('-o, --output <FORMAT>', 'table or id', 'table'),
  );
  bootstrap.action(async (opts: Record<string, unknown>) => {
    try {
      const config = configFromOptions(opts, process.env);
      const email = String(opts.ownerEmail).trim();
      // Checked before anything is written: a bad email must not leave an ownerless organization.
      if (!/^[^\s@]{1,64}@[^\s@]{1,255}$/.test(email)) throw new ConfigError(`--owner-email "${email}" is not an email address`);
      if (!/^postgres(ql)?:\/\//.test(config.database)) mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
      const store = await openStore(config.database);
      try {
        await store.migrate();
        const iam = new IamService(store, () => new Date(), 0);
        await iam.init();
        const org = await iam.groups.createOrganization(OPERATOR, { name: opts.org, description: '' });
        const invitation = await iam.bindings.create(OPERATOR, org.id, { email, role: builtinRoleId('owner') }, { inviteTtlSeconds: config.inviteTtl });
        const expires = 'expiresAt' in invitation ? invitation.expiresAt : '';
        if (opts.output === 'id') process.stdout.write(`${org.id}\n`);
        else process.stdout.write(`Created organization ${org.name} (${org.id}).\n${email} becomes its owner at first login (invitation ${invitation.id}, claimable until ${expires}).\n`);
      } finally {
        await store.close();
      }
    } catch (err) {
      if (err instanceof ConfigError || err instanceof LatchkeyError) {
        process.stderr.write(`latchkey admin bootstrap: ${err.message}\n`);
        process.exit(2);
      }
      throw err;
    }
  });
  await root.parseAsync(argv, { from: 'user' });
}
