#!/usr/bin/env node
// Writes docs/configuration.md from the one settings declaration (src/config/server-settings.ts).
// `--check` exits 1 when the file is out of date (the test suite runs it).
import { readFileSync, writeFileSync } from 'node:fs';
import { register } from 'tsx/esm/api';

register();
const { SERVER_SETTINGS } = await import('../src/config/server-settings.ts');
const rows = Object.values(SERVER_SETTINGS).map((s) =>
  `| \`--${s.flag}${s.arg ? ` ${s.arg}` : ''}\` | \`${s.env}\` | ${s.defaultDoc} | ${s.doc} |`);
const text = `# Server configuration

Every setting of \`latchkey serve\` (and \`latchkey admin\`) is a flag and a \`LATCHKEY_*\`
environment variable; a flag wins over the variable. Values are checked at start-up and a bad one
stops the server with a message naming it. Generated from \`src/config/server-settings.ts\` by
\`node scripts/gen-config-docs.mjs\`.

| flag | environment | default | what it does |
| --- | --- | --- | --- |
${rows.join('\n')}

Durations take a number of seconds or a unit: \`90s\`, \`15m\`, \`1h\`, \`7d\`.
`;
const path = new URL('../docs/configuration.md', import.meta.url);
if (process.argv.includes('--check')) {
  let cur = '';
  try { cur = readFileSync(path, 'utf8'); } catch { /* missing */ }
  if (cur !== text) {
    console.error('docs/configuration.md is out of date: run node scripts/gen-config-docs.mjs');
    process.exit(1);
  }
} else {
  writeFileSync(path, text);
}
