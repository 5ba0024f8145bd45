// Turns argv into a command of the tree and its arguments, with node:util's parseArgs (built
// in: nothing to load). Global flags may come before or after the command words; `-oid` and
// `-ojson` work as the seed writes them.

import { parseArgs } from 'node:util';
import { CliError } from './cli-error.js';
import { CommandInput, type FlagValue } from './command-input.js';
import { GLOBAL_FLAGS, commandName, type CommandSpec, type FlagSpec } from './command-spec.js';

export type CommandLine =
  | { kind: 'version' }
  | { kind: 'help'; path: CommandSpec[] }
  | { kind: 'passthrough'; path: CommandSpec[]; argv: string[] }
  | { kind: 'run'; path: CommandSpec[]; input: CommandInput; globals: Record<string, string | undefined>; verbose: boolean };

const GLOBAL_NAMES = new Set(GLOBAL_FLAGS.map((f) => f.name));

/** The child of `node` called `word` (by name or alias). */
export function findSubcommand(node: CommandSpec, word: string): CommandSpec | undefined {
  return node.subcommands?.find((c) => c.name === word || c.aliases?.includes(word));
}

/** The global flags and the command's own; a command's own flag of a global name wins. */
function flagsOf(path: readonly CommandSpec[]): FlagSpec[] {
  const own = path[path.length - 1]?.flags ?? [];
  return [...GLOBAL_FLAGS.filter((g) => !own.some((f) => f.name === g.name)), ...own];
}

/** Does this option word consume the next word as its value? */
function takesNextValue(word: string, flags: readonly FlagSpec[]): boolean {
  if (word.startsWith('--')) {
    if (word.includes('=')) return false;
    return flags.some((f) => f.name === word.slice(2) && f.arg !== undefined);
  }
  // A short group like -vy or -oid: the first value-taking letter takes the rest, or the next word.
  for (let i = 1; i < word.length; i++) {
    const f = flags.find((x) => x.short === word[i]);
    if (f?.arg !== undefined) return i === word.length - 1;
  }
  return false;
}

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length]!;
}

function unknownCommand(path: readonly CommandSpec[], word: string): CliError {
  const node = path[path.length - 1]!;
  const names = (node.subcommands ?? []).flatMap((c) => [c.name, ...(c.aliases ?? [])]);
  const close = names.filter((n) => distance(n, word) <= 2 || n.startsWith(word));
  const suggest = close.length ? `did you mean ${close.map((n) => `"${n}"`).join(' or ')}? ` : '';
  return new CliError('USAGE', `unknown command "${word}" for "${commandName(path)}"`,
    { hint: `${suggest}run \`${commandName(path)} --help\`` });
}

export function parseCommandLine(tree: CommandSpec, argv: readonly string[]): CommandLine {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) return { kind: 'version' };

  // 1. Walk the command words, skipping flags (and the values of flags that take one).
  const path: CommandSpec[] = [tree];
  const rest: string[] = [];
  let positional = false;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (word.startsWith('-') && word !== '-') {
      rest.push(word);
      if (takesNextValue(word, flagsOf(path)) && i + 1 < argv.length) rest.push(argv[++i]!);
      continue;
    }
    const child = positional ? undefined : findSubcommand(path[path.length - 1]!, word);
    if (child?.passthrough) return { kind: 'passthrough', path: [...path, child], argv: argv.slice(i + 1) };
    if (child) {
      path.push(child);
      continue;
    }
    positional = true;
    rest.push(word);
  }
  const node = path[path.length - 1]!;
  if (node === tree && rest.includes('--version')) return { kind: 'version' };

  // 2. Parse the flags of the command reached.
  const flags = flagsOf(path);
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const f of flags) {
    options[f.name] = { type: f.arg ? 'string' : 'boolean', ...(f.short ? { short: f.short } : {}), ...(f.multiple ? { multiple: true } : {}) };
  }
  let parsed: { values: Record<string, FlagValue | FlagValue[]>; positionals: string[] };
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  } catch (err) {
    if (rest.includes('--help') || rest.includes('-h')) return { kind: 'help', path };
    throw new CliError('USAGE', (err as Error).message.split('\n')[0]!.replace(/\. To specify a positional.*$/, ''),
      { hint: `run \`${commandName(path)} --help\`` });
  }
  const values = parsed.values as Record<string, FlagValue>;
  if (values.help) return { kind: 'help', path };
  if (node.name === 'version' && path.length === 2) return { kind: 'version' };
  if (!node.load) {
    const first = parsed.positionals[0];
    if (first !== undefined) throw unknownCommand(path, first);
    return { kind: 'help', path };
  }
  for (const f of flags) {
    const v = values[f.name];
    if (f.choices && typeof v === 'string' && !f.choices.includes(v)) {
      throw new CliError('USAGE', `--${f.name} must be one of ${f.choices.join(', ')}, not "${v}"`,
        { hint: `run \`${commandName(path)} --help\`` });
    }
  }
  const pos = node.positionals ?? { usage: '', min: 0, max: 0 };
  if (parsed.positionals.length > pos.max) {
    const extra = parsed.positionals[pos.max]!;
    if (node.subcommands?.length && pos.max === 0) throw unknownCommand(path, extra);
    throw new CliError('USAGE', `unexpected argument "${extra}" for "${commandName(path)}"`,
      { hint: `usage: ${commandName(path)} ${pos.usage}`.trimEnd() });
  }
  const first = parsed.positionals[0];
  if (pos.choices && first !== undefined && !pos.choices.includes(first)) {
    throw new CliError('USAGE', `${pos.usage.split(' ')[0]} must be one of ${pos.choices.join(', ')}, not "${first}"`,
      { hint: `run \`${commandName(path)} --help\`` });
  }
  if (parsed.positionals.length < pos.min) {
    throw new CliError('USAGE', `"${commandName(path)}" needs ${pos.usage}`,
      { hint: `run \`${commandName(path)} --help\`` });
  }

  const globals: Record<string, string | undefined> = {};
  const own: Record<string, FlagValue> = {};
  const shadowed = new Set((node.flags ?? []).map((f) => f.name));
  for (const [k, v] of Object.entries(values)) {
    if (GLOBAL_NAMES.has(k) && !shadowed.has(k) && typeof v === 'string') globals[k] = v;
    own[k] = v;
  }
  const words = path.slice(1).map((c) => c.name).join(' ');
  return {
    kind: 'run',
    path,
    input: new CommandInput(words, parsed.positionals, own),
    globals,
    verbose: values.verbose === true,
  };
}
