// The `latchkey` command: the CLI's composition root, bundled into dist/latchkey.mjs. It wires
// the process (streams, environment, clock, fetch) into runCli and nothing else, so that
// `latchkey --version` and a cached `latchkey auth token` load almost no code: each command's
// module is imported only when that command runs (see command-spec.ts).

import { runCli } from './run-cli.js';

// `latchkey ... | head` closes stdout early: that is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: () => process.stdin,
  env: process.env,
  fetch: globalThis.fetch,
  now: Date.now,
});
