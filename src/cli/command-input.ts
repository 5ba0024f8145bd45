// A command's parsed arguments: positionals and flag values, with typed accessors.

export type FlagValue = string | boolean | string[] | undefined;

export class CommandInput {
  /** The command's words, e.g. "iam identities create aws". */
  readonly command: string;
  readonly args: readonly string[];
  private readonly flags: Readonly<Record<string, FlagValue>>;

  constructor(command: string, args: readonly string[], flags: Record<string, FlagValue>) {
    this.command = command;
    this.args = args;
    this.flags = flags;
  }

  /** A string flag's value, or undefined when absent. */
  string(name: string): string | undefined {
    const v = this.flags[name];
    return typeof v === 'string' ? v : undefined;
  }

  /** Every value of a flag that may be repeated (or the one value of another). */
  all(name: string): string[] {
    const v = this.flags[name];
    return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
  }

  /** True when a switch was given. */
  bool(name: string): boolean {
    return this.flags[name] === true;
  }

  /** True when the flag was given at all (even as an empty string). */
  has(name: string): boolean {
    return this.flags[name] !== undefined;
  }

  /** A comma-separated flag's values, trimmed, empty items dropped. */
  list(name: string): string[] | undefined {
    const v = this.string(name);
    return v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean);
  }

  /** The n-th positional argument. */
  arg(n: number): string | undefined {
    return this.args[n];
  }
}
