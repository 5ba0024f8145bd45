// The whole `latchkey` command tree (see command-spec.ts for why it is data).

import type { CommandSpec } from '../command-spec.js';
import { AUDIT } from './audit.js';
import { AUTH, AWS } from './auth.js';
import { IAM } from './iam.js';
import { COMPLETION, CONFIG } from './local.js';
import { REGISTRY } from './registry.js';
import { SERVER_COMMANDS } from './server.js';

export const COMMAND_TREE: CommandSpec = {
  name: 'latchkey',
  summary: 'Latchkey: workloads and people get short-lived tokens, with no long-lived secret.',
  description:
    'Latchkey\'s command line. It mirrors Chainguard\'s chainctl: the same words, aliases and flags.',
  subcommands: [
    AUTH,
    IAM,
    AWS,
    AUDIT,
    REGISTRY,
    CONFIG,
    COMPLETION,
    { name: 'version', summary: 'Print the version.' },
    ...SERVER_COMMANDS,
  ],
};
