// What every command receives: the process's streams, environment, clock and fetch (passed in
// by main.ts, so tests pass their own), the global flags, and lazily loaded settings.

import type { OutputFormat } from './settings/cli-settings.js';
import type { Settings } from './settings/load-settings.js';

export interface OutStream {
  write(s: string): unknown;
  isTTY?: boolean;
}

export interface InStream extends NodeJS.ReadableStream {
  isTTY?: boolean;
}

/** The outside world, as main.ts wires it. */
export interface CliIo {
  stdout: OutStream;
  stderr: OutStream;
  /** A function, so stdin is only opened by the commands that read it. */
  stdin(): InStream;
  env: Readonly<Record<string, string | undefined>>;
  fetch: typeof fetch;
  /** Milliseconds since the epoch. */
  now(): number;
}

export interface CliContext extends CliIo {
  /** The global flags (api, issuer, audience, config, output, verbose). */
  readonly globals: Readonly<Record<string, string | undefined>>;
  readonly verbose: boolean;
  /** Settings, read and validated on first use. */
  settings(): Promise<Settings>;
  /** -o, else default.output. */
  outputFormat(): Promise<OutputFormat>;
  /** True when stdout is a terminal and NO_COLOR is not set. */
  readonly color: boolean;
  /** A line on stderr, only with -v. */
  debug(line: string): void;
  /** A line on stderr (notices and prompts, so stdout stays clean for -o id / json). */
  notice(line: string): void;
}

export function createContext(io: CliIo, globals: Record<string, string | undefined>, verbose: boolean): CliContext {
  let settings: Promise<Settings> | undefined;
  const ctx: CliContext = {
    ...io,
    globals,
    verbose,
    color: io.stdout.isTTY === true && !io.env.NO_COLOR,
    settings() {
      settings ??= import('./settings/load-settings.js').then((m) => m.loadSettings({ env: io.env, flags: globals }));
      return settings;
    },
    async outputFormat() {
      return (globals.output as OutputFormat | undefined) ?? (await ctx.settings()).defaultOutput;
    },
    debug(line) {
      if (verbose) io.stderr.write(`${line}\n`);
    },
    notice(line) {
      io.stderr.write(`${line}\n`);
    },
  };
  return ctx;
}
