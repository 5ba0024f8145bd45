// Commands the server side owns. They parse their own flags and own their own --help; the CLI
// only lists them and hands over the rest of the command line.

import type { CommandSpec } from '../command-spec.js';

export const SERVER_COMMANDS: readonly CommandSpec[] = [
  {
    name: 'serve',
    summary: 'Run the Latchkey server (`latchkey serve --dev` for a local playground).',
    passthrough: (argv) => import('../../server/main.js').then((m) => m.runServe(argv)),
  },
  {
    name: 'aws-emulator',
    summary: 'Run the local AWS emulator (STS GetCallerIdentity and IMDSv2) for development.',
    passthrough: (argv) => import('../../aws-emulator/command.js').then((m) => m.runAwsEmulatorCommand(argv)),
  },
  {
    name: 'admin',
    summary: 'Operator commands that work on the database directly (e.g. bootstrap).',
    passthrough: (argv) => import('../../server/admin.js').then((m) => m.runAdmin(argv)),
  },
];
