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

/** "did you mean "a" or "b"? " for the names close to `word`, or nothing. */
function didYouMean(names: readonly string[], word: string, quote: (n: string) => string): string {
  const close = names.filter((n) => distance(n, word) <= 2 || (word.length > 1 && n.startsWith(word)));
  return close.length ? `did you mean ${close.map(quote).join(' or ')}? ` : '';
}

function unknownCommand(path: readonly CommandSpec[], word: string): CliError {
  const node = path[path.length - 1]!;
  const names = (node.subcommands ?? []).flatMap((c) => [c.name, ...(c.aliases ?? [])]);
  const suggest = didYouMean(names, word, (n) => `"${n}"`);
  return new CliError('USAGE', `unknown command "${word}" for "${commandName(path)}"`,
    { hint: `${suggest}run \`${commandName(path)} --help\`` });
}

/**
 * A flag that takes a value but is followed by another flag or by nothing: most often an empty
 * shell variable (`--identity-token $TOK` with TOK unset). Never quotes the values around it.
 */
function missingValue(path: readonly CommandSpec[], args: readonly string[], flags: readonly FlagSpec[]): CliError | undefined {
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if (word === '--') return undefined;
    if (!word.startsWith('--') || word.includes('=') || !takesNextValue(word, flags)) continue;
    const next = args[i + 1];
    if (next === undefined) {
      return new CliError('USAGE', `${word} needs a value`, { hint: `run \`${commandName(path)} --help\`` });
    }
    if (next.startsWith('-') && next !== '-') {
      const flag = /^--?[\w-]+/.exec(next)![0];
      return new CliError('USAGE', `${word} has no value: the word after it is the flag ${flag}`,
        { hint: `is the shell variable you gave it empty? (a value that starts with "-" is written ${word}=VALUE)` });
    }
    i++;
  }
  return undefined;
}

/**
 * The first positional argument past the `max` a command takes. Right after a flag's value it
 * is most often the rest of that value, split by the shell (a token with line feeds, unquoted):
 * say that, and quote neither. Otherwise quote it only when it is short enough to be a word.
 */
function unexpectedArgument(path: readonly CommandSpec[], args: readonly string[], flags: readonly FlagSpec[], max: number): CliError {
  let seen = 0;
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if (word === '--') break;
    if (word.startsWith('-') && word !== '-') {
      if (takesNextValue(word, flags)) i++;
      continue;
    }
    if (seen++ < max) continue;
    const before = args[i - 2];
    if (before !== undefined && before.startsWith('--') && takesNextValue(before, flags)) {
      return new CliError('USAGE', `the value of ${before} was split into several words by the shell: it has spaces or line feeds in it`,
        { hint: `quote it ("$VAR"); a token must be one line (\`base64 -w0\`)` });
    }
    const what = word.length <= 40 && /^[\w.:@/-]+$/.test(word) ? `"${word}"` : `of ${word.length} characters`;
    return new CliError('USAGE', `unexpected argument ${what} for "${commandName(path)}"`,
      { hint: `usage: ${commandName(path)} ${path[path.length - 1]!.positionals?.usage ?? ''}`.trimEnd() });
  }
  return new CliError('USAGE', `too many arguments for "${commandName(path)}"`, { hint: `run \`${commandName(path)} --help\`` });
}

/** An unknown flag, with the command's flags that are close to it. */
function unknownFlag(path: readonly CommandSpec[], word: string, flags: readonly FlagSpec[]): CliError {
  const name = word.replace(/^-+/, '').replace(/=.*$/, '');
  const suggest = word.startsWith('--') ? didYouMean(flags.map((f) => f.name), name, (n) => `--${n}`) : '';
  return new CliError('USAGE', `unknown flag ${word.startsWith('--') ? `--${name}` : word.slice(0, 2)} for "${commandName(path)}"`,
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
    const e = err as Error & { code?: string };
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const missing = missingValue(path, rest, flags);
      if (missing) throw missing;
    }
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const word = rest.find((w) => w.startsWith('-') && /'(-[^']*)'/.exec(e.message)?.[1] === w.replace(/=.*$/, ''));
      if (word) throw unknownFlag(path, word, flags);
    }
    // Node's message names the option, never its value.
    throw new CliError('USAGE', e.message.split('\n')[0]!.replace(/\. To specify a positional.*$/, ''),
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
    throw unexpectedArgument(path, rest, flags, pos.max);
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
