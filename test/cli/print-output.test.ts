// Output formats: -o json of a list is {"items": [...]} (the seed's jq '.items[0].id'), -o id
// prints ids one per line, tables are aligned and plain unless stdout is a terminal.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createContext } from '../../src/cli/context.js';
import { GROUP_COLUMNS, type Group } from '../../src/cli/iam-records.js';
import { printDeleted, printList, printOne } from '../../src/cli/print-output.js';
import { renderTable } from '../../src/cli/render-table.js';
import { testIo } from './support/test-io.js';

const group = (id: string, name: string, description = ''): Group =>
  ({ id, name, description, parentId: null, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' });
const ORGS = [group('a'.repeat(40), 'acme', 'the org'), group('b'.repeat(40), 'x')];

async function print(output: string | undefined, fn: Parameters<typeof printList>[0] extends infer C ? (ctx: C) => Promise<void> : never, tty = false, env: Record<string, string> = {}) {
  const io = testIo({ HOME: '/nonexistent', ...env }, { tty });
  const ctx = createContext(io, output ? { output } : {}, false);
  await fn(ctx);
  return io.out();
}

describe('output', () => {
  it('-o json: a list is {"items": [...]}, one record is the record', async () => {
    const list = JSON.parse(await print('json', (c) => printList(c, ORGS, GROUP_COLUMNS)));
    assert.equal(list.items[0].id, 'a'.repeat(40));
    assert.equal(list.items.length, 2);
    const one = JSON.parse(await print('json', (c) => printOne(c, ORGS[0]!, GROUP_COLUMNS)));
    assert.equal(one.name, 'acme');
  });

  it('-o id: the ids alone, one per line', async () => {
    assert.equal(await print('id', (c) => printList(c, ORGS, GROUP_COLUMNS)), `${'a'.repeat(40)}\n${'b'.repeat(40)}\n`);
    assert.equal(await print('id', (c) => printOne(c, ORGS[1]!, GROUP_COLUMNS)), `${'b'.repeat(40)}\n`);
    assert.equal(await print('id', (c) => printList(c, [], GROUP_COLUMNS)), '');
    assert.equal(await print('id', (c) => printDeleted(c, 'folder x', 'c'.repeat(40))), `${'c'.repeat(40)}\n`);
  });

  it('-o yaml: items under "items"', async () => {
    const text = await print('yaml', (c) => printList(c, ORGS, GROUP_COLUMNS));
    assert.match(text, /^items:\n {2}- id: a{40}\n {4}name: acme\n/);
  });

  it('table (the default): aligned columns, no escape codes off a terminal or with NO_COLOR', async () => {
    const text = await print(undefined, (c) => printList(c, ORGS, GROUP_COLUMNS));
    const lines = text.split('\n');
    assert.equal(lines[0], `ID${' '.repeat(41)}NAME   DESCRIPTION`);
    assert.equal(lines[1], `${'a'.repeat(40)}   acme   the org`);
    assert.equal(lines[2], `${'b'.repeat(40)}   x`);
    assert.doesNotMatch(text, /\x1b/);
    assert.match(await print(undefined, (c) => printList(c, ORGS, GROUP_COLUMNS), true), /^\x1b\[1mID/);
    assert.doesNotMatch(await print(undefined, (c) => printList(c, ORGS, GROUP_COLUMNS), true, { NO_COLOR: '1' }), /\x1b/);
  });

  it('tables neutralise control characters a server might send in a name', () => {
    const text = renderTable([{ header: 'NAME', value: (s: string) => s }], ['evil\x1b[2Jname\nnext'], false);
    assert.equal(text, 'NAME\nevil [2Jname next\n');
  });

  it('default.output applies when -o is not given', async () => {
    const io = testIo({ HOME: '/nonexistent', XDG_CONFIG_HOME: '/nonexistent', LATCHKEY_DEFAULT_OUTPUT: 'id' });
    const ctx = createContext(io, {}, false);
    await printList(ctx, ORGS, GROUP_COLUMNS);
    assert.equal(io.out(), `${'a'.repeat(40)}\n${'b'.repeat(40)}\n`);
  });
});
