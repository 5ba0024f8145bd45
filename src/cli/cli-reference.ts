// The generated parts of docs/cli.md: every command with its flags, and every setting, from the
// same declarations the CLI runs on (the command tree and CLI_SETTINGS). The narrative around
// them is hand-written; `write-cli-reference.ts` puts the two together.

import { GLOBAL_FLAGS, type CommandSpec, type FlagSpec } from './command-spec.js';
import { COMMAND_TREE } from './command-tree/index.js';
import { usageOf } from './render-help.js';
import { CLI_SETTINGS, envNameOf, type CliSetting } from './settings/cli-settings.js';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n+/g, ' ');

function flagTable(flags: readonly FlagSpec[]): string {
  const rows = flags.map((f) => `| \`${f.short ? `-${f.short}, ` : ''}--${f.name}${f.arg ? ` ${f.arg}` : ''}\` | ${cell(f.doc)} |`);
  return ['| flag | what it does |', '| --- | --- |', ...rows].join('\n');
}

function commandSection(path: CommandSpec[]): string[] {
  const node = path[path.length - 1]!;
  const out: string[] = [];
  if (path.length > 1 && (node.load || node.passthrough || !node.subcommands?.length)) {
    out.push(`### \`${usageOf(path)}\``, '');
    if (node.aliases?.length) out.push(`Aliases: ${node.aliases.map((a) => `\`${a}\``).join(', ')}.`, '');
    out.push(node.passthrough ? `${node.summary} Owned by the server: see \`latchkey ${node.name} --help\`.` : (node.description ?? node.summary), '');
    if (node.flags?.length) out.push(flagTable(node.flags), '');
    if (node.examples?.length) out.push('```sh', ...node.examples, '```', '');
  } else if (path.length > 1) {
    out.push(`## \`${path.map((c) => c.name).join(' ')}\``, '');
    if (node.aliases?.length) out.push(`Aliases: ${node.aliases.map((a) => `\`${a}\``).join(', ')}.`, '');
    out.push(node.description ?? node.summary, '');
  }
  for (const c of node.subcommands ?? []) out.push(...commandSection([...path, c]));
  return out;
}

/** Every command, its aliases, flags and examples; then the global flags. */
export function renderCommandReference(): string {
  return [
    '## Global flags', '',
    'Every command takes these, before or after its words.', '',
    flagTable(GLOBAL_FLAGS), '',
    ...commandSection([COMMAND_TREE]),
  ].join('\n').trimEnd();
}

/** Every setting: its key in config.yaml, its variable, its flag and default. */
export function renderSettingsReference(): string {
  const rows = (Object.values(CLI_SETTINGS) as CliSetting<unknown>[]).map((s) =>
    `| \`${s.key}\` | \`${envNameOf(s.key)}\` | ${s.flag ? `\`--${s.flag}\`` : ''} | ${cell(s.defaultDoc)} | ${cell(s.doc)} |`);
  return ['| key | environment | flag | default | what it does |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

const SECTIONS: Record<string, () => string> = { commands: renderCommandReference, settings: renderSettingsReference };

/** `doc` with each `<!-- BEGIN GENERATED: x -->...<!-- END GENERATED: x -->` region regenerated. */
export function fillGeneratedSections(doc: string): string {
  let out = doc;
  for (const [name, render] of Object.entries(SECTIONS)) {
    const begin = `<!-- BEGIN GENERATED: ${name} -->`;
    const end = `<!-- END GENERATED: ${name} -->`;
    const i = out.indexOf(begin);
    const j = out.indexOf(end);
    if (i < 0 || j < i) throw new Error(`docs/cli.md lacks the ${begin} ... ${end} markers`);
    out = `${out.slice(0, i + begin.length)}\n${render()}\n${out.slice(j)}`;
  }
  return out;
}
