// `latchkey completion bash|zsh`: print the completion script.

import type { CommandInput } from '../command-input.js';
import { COMMAND_TREE } from '../command-tree/index.js';
import { bashCompletion, zshCompletion } from '../completion-script.js';
import type { CliContext } from '../context.js';

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  ctx.stdout.write(input.arg(0) === 'zsh' ? zshCompletion(COMMAND_TREE) : bashCompletion(COMMAND_TREE));
}
