// `latchkey iam identities test IDENTITY --token TOKEN|@FILE`: POST /iam/v1/identities:test/ID.
// The server verifies the credential as an exchange would, mints nothing, and answers with each
// check; this prints them (never the token) and exits 1 when the credential would be refused.

import { readFile } from 'node:fs/promises';
import { CliError } from '../cli-error.js';
import type { CommandInput } from '../command-input.js';
import type { CliContext } from '../context.js';
import { iamClient } from '../iam-client.js';
import { parentOf } from '../iam-ids.js';
import { serialize } from '../print-output.js';
import { renderTable, type Column } from '../render-table.js';
import { IDENTITIES, resolveId } from '../resolve-names.js';

export interface TraceStep { check: string; ok: boolean; expected?: string; actual?: string }

export interface Explanation {
  identity: string;
  kind: string;
  ok: boolean;
  code?: string;
  message?: string;
  trace: TraceStep[];
}

export const TRACE_COLUMNS: readonly Column<TraceStep>[] = [
  { header: 'CHECK', value: (s) => s.check },
  { header: 'RESULT', value: (s) => (s.ok ? 'pass' : 'FAIL') },
  { header: 'EXPECTED', value: (s) => s.expected ?? '-' },
  { header: 'ACTUAL', value: (s) => s.actual ?? '-' },
];

/** A credential file is read whole, up to this size (the server takes 64 KiB at most). */
const MAX_TOKEN_FILE = 65_536;

async function tokenOf(raw: string): Promise<string> {
  if (!raw.startsWith('@')) return raw.trim();
  const path = raw.slice(1);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new CliError('INPUT_INVALID', `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  if (text.length > MAX_TOKEN_FILE) throw new CliError('INPUT_INVALID', `${path} is larger than ${MAX_TOKEN_FILE} bytes: is it a token?`);
  return text.trim();
}

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  const ref = input.arg(0)!;
  const raw = input.string('token');
  if (!raw) throw new CliError('USAGE', 'give the credential to test with --token TOKEN or --token @FILE');
  const token = await tokenOf(raw);
  if (!token) throw new CliError('INPUT_INVALID', 'the credential is empty');
  const api = await iamClient(ctx);
  const id = await resolveId(api, IDENTITIES, ref);
  const out = await api.send<Explanation>({
    method: 'POST',
    path: `/iam/v1/identities:test/${id}`,
    json: { token },
    op: { what: `test a credential for identity ${ref}`, capability: 'identity.update', where: parentOf(id) ?? id, resource: 'identities' },
  });
  const format = await ctx.outputFormat();
  if (format === 'json' || format === 'yaml') ctx.stdout.write(await serialize(out, format));
  else ctx.stdout.write(renderTable(TRACE_COLUMNS, out.trace, ctx.color));
  if (!out.ok) {
    throw new CliError('CREDENTIAL_REFUSED', `the credential would be refused: ${out.message ?? 'see the failing check above'}`, { serverCode: out.code });
  }
  if (format === 'table') ctx.stdout.write('Every check passed: this credential would be exchanged.\n');
}
