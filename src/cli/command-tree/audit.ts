// `latchkey audit ...`: the record of IAM changes and token exchanges, for owners.

import type { CommandSpec } from '../command-spec.js';

export const AUDIT: CommandSpec = {
  name: 'audit',
  summary: 'Read the audit log: who changed what, when, from where (owners).',
  subcommands: [
    {
      name: 'list', aliases: ['ls'],
      summary: 'List the audit events of an organization or folder, newest first.',
      description: 'Lists the audit events within a group (capability audit.list, which owners have), newest first. '
        + 'The filters apply to the newest --limit events the server returns (at most 1000).',
      flags: [
        { name: 'group', arg: 'GROUP', doc: 'Organization or folder, by name or UIDP (default: config default.group).' },
        { name: 'action', arg: 'ACTION', doc: 'Only this action, e.g. identity.create; "identity." matches every identity action.' },
        { name: 'actor', arg: 'IDENTITY', doc: 'Only events of this identity (name or UIDP).' },
        { name: 'since', arg: 'TIME', doc: 'Only events at or after TIME: RFC 3339, or a duration ago (90m, 24h, 7d).' },
        { name: 'until', arg: 'TIME', doc: 'Only events before TIME: RFC 3339, or a duration ago.' },
        { name: 'limit', arg: 'N', doc: 'How many of the newest events to read, 1 to 1000 (default 1000).' },
      ],
      examples: [
        'latchkey audit list --group acme --since 24h',
        'latchkey audit list --group acme --action role_bindings. -o json',
      ],
      load: () => import('../commands/audit-list.js'),
    },
  ],
};
