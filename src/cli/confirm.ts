// "Do you want to continue? [Y,n]:" as chainctl asks it. The question goes to stderr, so
// `-o id` output stays clean. It is asked only when stdin and stderr are both terminals:
// without a terminal a create goes ahead (scripts, as the seed's `$(...)` runs it), while a
// delete needs --yes, because it cannot be undone.

import { CliError } from './cli-error.js';
import type { CommandInput } from './command-input.js';
import type { CliContext } from './context.js';

export interface ConfirmOptions {
  /** Refuse without a terminal unless --yes (deletes). */
  destructive?: boolean;
}

async function readAnswer(ctx: CliContext): Promise<string | undefined> {
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: ctx.stdin(), terminal: false });
  try {
    return await new Promise<string | undefined>((resolve) => {
      rl.once('line', (line) => resolve(line));
      rl.once('close', () => resolve(undefined));
    });
  } finally {
    rl.close();
  }
}

export async function confirm(ctx: CliContext, input: CommandInput, opts: ConfirmOptions = {}): Promise<void> {
  if (input.bool('yes')) return;
  const interactive = ctx.stdin().isTTY === true && ctx.stderr.isTTY === true;
  if (!interactive) {
    if (!opts.destructive) return;
    throw new CliError('USAGE', 'refusing to delete without a terminal to confirm on', { hint: 'pass --yes' });
  }
  ctx.stderr.write(opts.destructive ? 'Do you want to continue? [y,N]: ' : 'Do you want to continue? [Y,n]: ');
  const answer = (await readAnswer(ctx))?.trim().toLowerCase();
  const yes = answer === 'y' || answer === 'yes' || (answer === '' && !opts.destructive);
  if (!yes) throw new CliError('ABORTED', 'cancelled; nothing was changed');
}

/**
 * The seed's "Creating new identity NAME (aws) in location PARENT." then the question. With
 * --yes neither is printed: the caller asked to run non-interactively.
 */
export async function confirmCreate(ctx: CliContext, input: CommandInput, what: string, where: string): Promise<void> {
  if (input.bool('yes')) return;
  ctx.notice(`Creating new ${what} in location ${where}.`);
  await confirm(ctx, input);
}

/** "Deleting WHAT." then the question (default no; --yes needed without a terminal). */
export async function confirmDelete(ctx: CliContext, input: CommandInput, what: string): Promise<void> {
  if (input.bool('yes')) return;
  ctx.notice(`Deleting ${what}.`);
  await confirm(ctx, input, { destructive: true });
}
