// A CliIo for in-process tests: captured stdout and stderr, a chosen environment and clock,
// and the real fetch (tests point it at real servers on loopback).

import { Readable } from 'node:stream';
import type { CliIo } from '../../../src/cli/context.js';

export interface TestIo extends CliIo {
  out(): string;
  err(): string;
}

export function testIo(env: Record<string, string>, opts: { now?: () => number; fetch?: typeof fetch; tty?: boolean } = {}): TestIo {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => { out += s; }, isTTY: opts.tty ?? false },
    stderr: { write: (s: string) => { err += s; }, isTTY: opts.tty ?? false },
    stdin: () => Readable.from([]) as unknown as NodeJS.ReadStream,
    env,
    fetch: opts.fetch ?? globalThis.fetch,
    now: opts.now ?? Date.now,
    out: () => out,
    err: () => err,
  };
}
