// Regenerates the generated sections of docs/cli.md (commands, settings):
//   npx tsx src/cli/write-cli-reference.ts          write them
//   npx tsx src/cli/write-cli-reference.ts --check  exit 1 when the file is out of date

import { readFileSync, writeFileSync } from 'node:fs';
import { fillGeneratedSections } from './cli-reference.js';

const path = new URL('../../docs/cli.md', import.meta.url);
const current = readFileSync(path, 'utf8');
const next = fillGeneratedSections(current);
if (process.argv.includes('--check')) {
  if (next !== current) {
    console.error('docs/cli.md is out of date: run npx tsx src/cli/write-cli-reference.ts');
    process.exit(1);
  }
} else {
  writeFileSync(path, next);
}
