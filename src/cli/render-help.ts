// `--help` text, rendered from the command tree (no command code is loaded to show help).

import { GLOBAL_FLAGS, commandName, type CommandSpec, type FlagSpec } from './command-spec.js';

function flagLabel(f: FlagSpec): string {
  const short = f.short ? `-${f.short}, ` : '    ';
  return `${short}--${f.name}${f.arg ? ` ${f.arg}` : ''}`;
}

function columns(rows: Array<[string, string]>, indent = '  '): string {
  const width = Math.max(...rows.map(([a]) => a.length));
  return rows.map(([a, b]) => `${indent}${a.padEnd(width)}   ${b}`.trimEnd()).join('\n');
}

/** The usage line of a command. */
export function usageOf(path: readonly CommandSpec[]): string {
  const node = path[path.length - 1]!;
  const parts = [commandName(path)];
  if (node.subcommands?.length) parts.push(node.load ? '[COMMAND]' : 'COMMAND');
  if (node.positionals?.usage) parts.push(node.positionals.usage);
  if (node.load || !node.subcommands?.length) parts.push('[flags]');
  return parts.join(' ');
}

export function renderHelp(path: readonly CommandSpec[]): string {
  const node = path[path.length - 1]!;
  const out: string[] = [node.description ?? node.summary, '', `Usage:\n  ${usageOf(path)}`];
  if (node.aliases?.length) out.push('', `Aliases:\n  ${[node.name, ...node.aliases].join(', ')}`);
  if (node.examples?.length) out.push('', `Examples:\n${node.examples.map((e) => `  ${e}`).join('\n')}`);
  if (node.subcommands?.length) {
    out.push('', `Commands:\n${columns(node.subcommands.map((c) => [c.name, c.summary]))}`);
  }
  if (node.flags?.length) out.push('', `Flags:\n${columns(node.flags.map((f) => [flagLabel(f), f.doc]))}`);
  const globals: Array<[string, string]> = GLOBAL_FLAGS.map((f) => [flagLabel(f), f.doc]);
  if (path.length === 1) globals.push(['-V, --version', 'Print the version.']);
  out.push('', `Global flags:\n${columns(globals)}`);
  if (node.subcommands?.length) out.push('', `Run \`${commandName(path)} COMMAND --help\` for more about a command.`);
  return `${out.join('\n')}\n`;
}
