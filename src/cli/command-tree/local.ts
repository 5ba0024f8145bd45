// Commands that work on this machine only: config, completion, version.

import type { CommandSpec } from '../command-spec.js';
import { SETTING_KEYS } from '../settings/cli-settings.js';
import { YES } from './common-flags.js';

export const CONFIG: CommandSpec = {
  name: 'config',
  summary: 'View and change the CLI\'s configuration file.',
  description:
    'The configuration file is $XDG_CONFIG_HOME/latchkey/config.yaml (~/.config/latchkey/config.yaml),\n'
    + 'or --config PATH, or $LATCHKEY_CONFIG. Each key can also be set for one run with an environment\n'
    + `variable LATCHKEY_<KEY> (e.g. LATCHKEY_PLATFORM_API). Keys: ${SETTING_KEYS.join(', ')}.`,
  subcommands: [
    {
      name: 'view', summary: 'Show the effective configuration and where each value comes from.',
      load: () => import('../commands/config-view.js'),
    },
    {
      name: 'set', summary: 'Set a key in the configuration file.',
      positionals: { usage: 'KEY VALUE', min: 2, max: 2, choices: SETTING_KEYS },
      examples: ['latchkey config set platform.api https://latchkey.example.com', 'latchkey config set auth.mode headless'],
      load: () => import('../commands/config-set.js'),
    },
    {
      name: 'unset', summary: 'Remove a key from the configuration file (back to its default).',
      positionals: { usage: 'KEY', min: 1, max: 1, choices: SETTING_KEYS },
      examples: ['latchkey config unset auth.mode'],
      load: () => import('../commands/config-unset.js'),
    },
    {
      name: 'reset', summary: 'Delete the configuration file.',
      flags: [YES],
      load: () => import('../commands/config-reset.js'),
    },
  ],
};

export const COMPLETION: CommandSpec = {
  name: 'completion',
  summary: 'Print a shell completion script: bash or zsh.',
  positionals: { usage: 'SHELL', min: 1, max: 1, choices: ['bash', 'zsh'] },
  examples: [
    'source <(latchkey completion bash)        # in ~/.bashrc',
    'latchkey completion zsh > "${fpath[1]}/_latchkey"   # then restart zsh',
  ],
  load: () => import('../commands/completion.js'),
};
