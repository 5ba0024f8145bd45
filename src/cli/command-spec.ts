// The shape of the command tree. Every command's words, aliases, flags and help are data, so
// dispatch, `--help`, shell completion and docs/cli.md read one declaration, and a command's
// code (`load`) is imported only when that command runs.

import type { CliContext } from './context.js';
import type { CommandInput } from './command-input.js';

export interface FlagSpec {
  /** Long name without dashes, e.g. "parent". */
  name: string;
  /** One-letter short form, e.g. "o" for -o. */
  short?: string;
  /** Placeholder of the value, e.g. "UIDP"; absent for a boolean switch. */
  arg?: string;
  /** One-line doc. */
  doc: string;
  /** Values the flag accepts (checked at parse time, offered by completion). */
  choices?: readonly string[];
  /** May be given several times (read with CommandInput.all). */
  multiple?: boolean;
}

/** What a command's module exports. */
export interface CommandModule {
  run(ctx: CliContext, input: CommandInput): Promise<void>;
}

export interface PositionalSpec {
  /** Usage text, e.g. "NAME" or "[NAME]". */
  usage: string;
  min: number;
  max: number;
  /** Values the first positional takes (offered by completion). */
  choices?: readonly string[];
}

export interface CommandSpec {
  name: string;
  aliases?: readonly string[];
  /** One line, shown in the parent's command list. */
  summary: string;
  /** Longer help; defaults to the summary. */
  description?: string;
  positionals?: PositionalSpec;
  flags?: readonly FlagSpec[];
  examples?: readonly string[];
  subcommands?: readonly CommandSpec[];
  /** The command's code, loaded only when it runs. */
  load?: () => Promise<CommandModule>;
  /**
   * A command that parses its own arguments (the server's `serve`, `admin`, ...): it gets
   * every word after its name, and owns its own `--help`.
   */
  passthrough?: (argv: string[]) => Promise<void>;
}

/** Flags every command accepts. */
export const GLOBAL_FLAGS: readonly FlagSpec[] = [
  { name: 'api', arg: 'URL', doc: 'URL of the Latchkey API (config platform.api).' },
  { name: 'issuer', arg: 'URL', doc: 'URL of the Latchkey issuer (config platform.issuer).' },
  { name: 'audience', arg: 'AUD', doc: 'Token audience to request (config platform.audience).' },
  { name: 'config', arg: 'PATH', doc: 'Config file to use (env LATCHKEY_CONFIG).' },
  {
    name: 'output', short: 'o', arg: 'FORMAT', choices: ['table', 'json', 'yaml', 'id'],
    doc: 'Output format: table, json, yaml or id (config default.output).',
  },
  { name: 'verbose', short: 'v', doc: 'Print each HTTP request and error details to stderr (never tokens).' },
  { name: 'help', short: 'h', doc: 'Show help for the command.' },
];

/** The full name of a command path, e.g. "latchkey iam identities create". */
export function commandName(path: readonly CommandSpec[]): string {
  return path.map((c) => c.name).join(' ');
}
