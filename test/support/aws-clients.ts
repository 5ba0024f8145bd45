// Runs the real AWS clients — the AWS CLI, botocore, curl's --aws-sigv4 — hermetically, for
// tests against the AWS emulator: no user config, no instance metadata, no proxies, no retries.
// Everything is asynchronous: the emulator usually runs in the test's own process, so a
// blocking spawnSync would stall the very server the client is talking to.

import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface AwsCredentialsEnv {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first of `preferred` that exists, else `name` looked up on PATH; undefined when neither. */
export function findExecutable(name: string, preferred: readonly string[] = []): string | undefined {
  for (const p of preferred) if (executable(p)) return p;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && executable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** Debian's AWS CLI (`/usr/bin/aws`) in preference to whatever else is on PATH (e.g. a pyenv shim). */
export function findAwsCli(): string | undefined {
  return findExecutable('aws', ['/usr/bin/aws']);
}

/** Debian's python3 (the one with python3-botocore) in preference to PATH's. */
export function findPython(): string | undefined {
  return findExecutable('python3', ['/usr/bin/python3']);
}

export function findCurl(): string | undefined {
  return findExecutable('curl', ['/usr/bin/curl']);
}

/** Runs a program to completion; never rejects for a non-zero exit (read `code`). */
export function runProcess(
  command: string,
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number; cwd?: string } = {},
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: opts.env ?? process.env,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (c: Buffer) => out.push(c));
    child.stderr?.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    if (child.stdin) {
      // A child may exit without reading its input; that EPIPE is not the caller's error.
      child.stdin.on('error', () => {});
      child.stdin.end(opts.input);
    }
  });
}

/**
 * An environment with nothing of the caller's AWS setup: a fresh HOME, config and credentials
 * files that don't exist, IMDS disabled, no proxy variables, one attempt per call, and the
 * given credentials (if any) in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN.
 */
export function hermeticAwsEnv(credentials?: AwsCredentialsEnv, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), 'latchkey-aws-home-'));
  const env: NodeJS.ProcessEnv = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    LANG: 'C.UTF-8',
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    AWS_RETRY_MODE: 'standard',
    AWS_PAGER: '',
    AWS_CLI_AUTO_PROMPT: 'off',
    NO_PROXY: '*',
    no_proxy: '*',
  };
  if (credentials) {
    env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
    if (credentials.sessionToken !== undefined) env.AWS_SESSION_TOKEN = credentials.sessionToken;
  }
  return { ...env, ...extra };
}

/**
 * Runs the AWS CLI with `args` in `env` (build it with hermeticAwsEnv).
 * @example runAwsCli(['sts', 'get-caller-identity', '--endpoint-url', url, '--region', 'us-east-1', '--output', 'json'], env)
 */
export function runAwsCli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<ProcessResult> {
  const aws = findAwsCli();
  if (!aws) throw new Error('the AWS CLI is not installed (apt-get install awscli)');
  return runProcess(aws, args, { env, timeoutMs: 120_000 });
}

/** Runs a Python script (`python3 -c`) that imports botocore, in `env`. */
export function runBotocore(script: string, env: NodeJS.ProcessEnv): Promise<ProcessResult> {
  const python = findPython();
  if (!python) throw new Error('python3 is not installed (apt-get install python3-botocore)');
  return runProcess(python, ['-c', script], { env, timeoutMs: 120_000 });
}

/** True when `python3` can import botocore. */
export async function hasBotocore(): Promise<boolean> {
  const python = findPython();
  if (!python) return false;
  return (await runProcess(python, ['-c', 'import botocore'], { env: hermeticAwsEnv() })).code === 0;
}

/** Runs curl with `args`; add `-v` to see the request head on stderr (see curlRequestHead). */
export function runCurl(args: readonly string[], env: NodeJS.ProcessEnv = hermeticAwsEnv()): Promise<ProcessResult> {
  const curl = findCurl();
  if (!curl) throw new Error('curl is not installed');
  return runProcess(curl, ['--noproxy', '*', ...args], { env, timeoutMs: 60_000 });
}

/** True when curl has `--aws-sigv4` (curl 7.75 and later). */
export async function curlSupportsAwsSigv4(): Promise<boolean> {
  if (!findCurl()) return false;
  const m = /^curl (\d+)\.(\d+)/.exec((await runCurl(['--version'])).stdout);
  return m !== null && (Number(m[1]) > 7 || (Number(m[1]) === 7 && Number(m[2]) >= 75));
}

/**
 * The request head curl sent, from `curl -v` stderr — the seed's `grep '^> ' | sed 's/> //'`
 * — with CRLF line ends and the blank line that ends the head.
 */
export function curlRequestHead(verboseStderr: string): string {
  const lines = verboseStderr
    .split(/\r?\n/)
    .filter((l) => l.startsWith('> '))
    .map((l) => l.slice(2));
  return lines.join('\r\n') + '\r\n\r\n';
}

/** Sends `raw` bytes as-is to host:port and resolves with everything the server answered. */
export function sendRawRequest(host: string, port: number, raw: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.setTimeout(10_000, () => socket.destroy(new Error('raw request timed out')));
    socket.end(raw);
  });
}
