// `latchkey registry ...`: Latchkey as the token service of a container registry.

import type { CommandSpec } from '../command-spec.js';

export const REGISTRY: CommandSpec = {
  name: 'registry',
  summary: 'Set up a container registry that trusts Latchkey (docs/registry.md).',
  subcommands: [
    {
      name: 'certificate',
      summary: 'Print the certificates of the registry signing keys (the registry\'s rootcertbundle).',
      description:
        'Print, in PEM, a certificate for every registry signing key in use: the next one, the current\n'
        + 'one and retired ones whose tokens may still be alive. Save it as the registry\'s\n'
        + 'auth.token.rootcertbundle and restart the registry, at least every --registry-key-publish-ahead.',
      examples: ['latchkey registry certificate > /etc/docker/registry/latchkey.pem'],
      load: () => import('../commands/registry-certificate.js'),
    },
  ],
};
