// Runs one command line: parse argv against the tree, then load and run only the chosen
// command's code. Returns the exit code; every error becomes one line on stderr.

import { CliError, formatError } from './cli-error.js';
import { COMMAND_TREE } from './command-tree/index.js';
import { createContext, type CliIo } from './context.js';
import { parseCommandLine } from './parse-command-line.js';
import { VERSION } from './version.js';

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const verbose = argv.includes('-v') || argv.includes('--verbose');
  try {
    const line = parseCommandLine(COMMAND_TREE, argv);
    switch (line.kind) {
      case 'version':
        io.stdout.write(`${VERSION}\n`);
        return 0;
      case 'help': {
        const { renderHelp } = await import('./render-help.js');
        io.stdout.write(renderHelp(line.path));
        return 0;
      }
      case 'passthrough': {
        const command = line.path[line.path.length - 1]!;
        try {
          await command.passthrough!(line.argv);
        } catch (err) {
          // The server's commands have no -v: what went wrong, then where.
          const e = err instanceof Error ? err : new Error(String(err));
          io.stderr.write(`latchkey ${command.name}: ${e.message}\n${(e.stack ?? '').split('\n').slice(1).join('\n')}\n`);
          return 1;
        }
        return 0;
      }
      case 'run': {
        const ctx = createContext(io, line.globals, line.verbose);
        const command = await line.path[line.path.length - 1]!.load!();
        await command.run(ctx, line.input);
        return 0;
      }
    }
  } catch (err) {
    io.stderr.write(`${formatError(err)}\n`);
    if (verbose) {
      if (err instanceof CliError) for (const d of err.details) io.stderr.write(`  ${d}\n`);
      else if (err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
    }
    return err instanceof CliError ? err.exitCode : 1;
  }
}
