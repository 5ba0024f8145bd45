// docs/cli.md's reference sections are generated from the declarations the CLI runs on; this
// fails when a command, flag or setting changed and the doc did not.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { fillGeneratedSections } from '../../src/cli/cli-reference.js';

it('docs/cli.md is up to date (regenerate: npx tsx src/cli/write-cli-reference.ts)', () => {
  const doc = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');
  assert.equal(doc, fillGeneratedSections(doc));
  for (const word of ['latchkey iam identities create aws role NAME', '`LATCHKEY_PLATFORM_API`', '`--aws-user-id-pattern RE2`']) {
    assert.ok(doc.includes(word), word);
  }
});
