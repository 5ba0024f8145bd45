// `latchkey audit list --group GROUP [--action A] [--actor IDENTITY] [--since T] [--until T]`:
// GET /iam/v1/audit, filtered here.

import { CliError } from '../cli-error.js';
import type { CommandInput } from '../command-input.js';
import type { CliContext } from '../context.js';
import { iamClient } from '../iam-client.js';
import { printList } from '../print-output.js';
import type { Column } from '../render-table.js';
import { GROUPS, IDENTITIES, resolveId } from '../resolve-names.js';

export interface AuditEvent {
  id: string;
  at: string;
  actor: string | null;
  action: string;
  target: string | null;
  group: string | null;
  remoteAddr: string | null;
  details?: unknown;
}

const COLUMNS: readonly Column<AuditEvent>[] = [
  { header: 'AT', value: (e) => e.at },
  { header: 'ACTION', value: (e) => e.action },
  { header: 'ACTOR', value: (e) => e.actor ?? '-' },
  { header: 'TARGET', value: (e) => e.target ?? '-' },
  { header: 'FROM', value: (e) => e.remoteAddr ?? '-' },
];

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** RFC 3339, or a duration before `now` (90m, 24h, 7d), as epoch milliseconds. */
export function parseTime(flag: string, raw: string, now: number): number {
  const ago = /^(\d{1,6})([smhd])$/.exec(raw.trim());
  if (ago) return now - Number(ago[1]) * UNIT_SECONDS[ago[2]!]! * 1000;
  const at = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(raw.trim()) ? Date.parse(raw.trim()) : NaN;
  if (Number.isNaN(at)) {
    throw new CliError('USAGE', `--${flag} must be a time (2026-11-27T09:00:00Z, 2026-11-27) or a duration ago (90m, 24h, 7d), not "${raw.slice(0, 40)}"`);
  }
  return at;
}

export async function run(ctx: CliContext, input: CommandInput): Promise<void> {
  const groupRef = input.string('group') ?? (await ctx.settings()).defaultGroup;
  if (!groupRef) {
    throw new CliError('USAGE', '"latchkey audit list" needs --group (an organization or folder, by name or UIDP)',
      { hint: 'find one with `latchkey iam org ls`, or set a default with `latchkey config set default.group GROUP`' });
  }
  const limitRaw = input.string('limit');
  const limit = limitRaw === undefined ? 1000 : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new CliError('USAGE', `--limit must be a whole number from 1 to 1000, not "${limitRaw}"`);
  const now = ctx.now();
  const since = input.has('since') ? parseTime('since', input.string('since')!, now) : undefined;
  const until = input.has('until') ? parseTime('until', input.string('until')!, now) : undefined;
  if (since !== undefined && until !== undefined && since >= until) throw new CliError('USAGE', '--since must be before --until');
  const action = input.string('action');

  const api = await iamClient(ctx);
  const group = await resolveId(api, GROUPS, groupRef);
  const actorRef = input.string('actor');
  const actor = actorRef === undefined ? undefined : await resolveId(api, IDENTITIES, actorRef);
  const res = await api.get<{ items: AuditEvent[] }>('/iam/v1/audit', { group, pageSize: String(limit) },
    { what: `list the audit events of ${groupRef}`, capability: 'audit.list', where: groupRef, resource: 'folders' });
  const shown = res.items.filter((e) => {
    if (action !== undefined && !(action.endsWith('.') ? e.action.startsWith(action) : e.action === action)) return false;
    if (actor !== undefined && e.actor !== actor) return false;
    const at = Date.parse(e.at);
    if (since !== undefined && at < since) return false;
    if (until !== undefined && at >= until) return false;
    return true;
  });
  await printList(ctx, shown, COLUMNS);
}
