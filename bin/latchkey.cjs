#!/usr/bin/env node
// The latchkey binary: the bundled CLI (see scripts/build.mjs). Two command lines sit on the
// start-up path of jobs and are answered here, in CommonJS, before anything else loads:
// - `latchkey --version`, from package.json (the field the bundle inlines as VERSION);
// - `latchkey auth token` with a fresh cached token, by dist/fast/cached-token.cjs.
// CommonJS because starting Node's ES module loader alone costs ~4 ms, a fifth of `node -e 0`,
// and each ES module about one more (bench/README.md, "CLI start-up"). Anything else, a
// token that needs renewing, or a copy of bin/ without its package.json goes to the full CLI.
'use strict';

const args = process.argv.slice(2);

/** The answer to print, or undefined when the full CLI must run. */
async function fastAnswer() {
  if (args.length === 1 && args[0] === '--version') {
    try {
      const { version } = require('../package.json');
      return typeof version === 'string' ? version : undefined;
    } catch {
      return undefined;
    }
  }
  if (args.length === 2 && args[0] === 'auth' && args[1] === 'token') {
    try {
      return await require('../dist/fast/cached-token.cjs').cachedToken(process.env, Date.now());
    } catch {
      return undefined; // No fast bundle (a build from before it existed): the full CLI answers.
    }
  }
  return undefined;
}

/**
 * Writes with fs.writeSync: process.stdout would load Node's stream modules (~3 ms) for one
 * line. A full non-blocking pipe (EAGAIN) gets the rest through process.stdout; a reader that
 * has gone away (EPIPE: `latchkey auth token | head -c0`) is not an error worth a stack trace.
 */
function print(text) {
  const fs = require('node:fs');
  let buf = Buffer.from(text, 'utf8');
  try {
    while (buf.length > 0) buf = buf.subarray(fs.writeSync(1, buf));
  } catch (err) {
    if (err.code === 'EPIPE') return;
    if (err.code !== 'EAGAIN') throw err;
    process.stdout.on('error', (e) => {
      if (e.code !== 'EPIPE') throw e;
    });
    process.stdout.write(buf);
  }
}

/**
 * The full CLI and server need Node.js 22 or later (package.json's engines): on an older Node
 * a dependency would fail far from the cause, better-sqlite3 with a crash. Say so first.
 */
function refuseOldNode() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= 22) return false;
  process.stderr.write(
    `latchkey needs Node.js 22 or later (the LTS lines 22 and 24); this is Node.js ${process.versions.node} (${process.execPath}).\n`,
  );
  process.exitCode = 1;
  return true;
}

void fastAnswer().then((answer) => {
  if (answer === undefined) return refuseOldNode() ? undefined : import('../dist/latchkey.mjs');
  print(`${answer}\n`);
  return undefined;
});
