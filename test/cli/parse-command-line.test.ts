// Argv to command: words and aliases as chainctl spells them, global flags anywhere, `-oid`
// glued as the seed writes it, and usage errors that say what to do.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CliError } from '../../src/cli/cli-error.js';
import { COMMAND_TREE } from '../../src/cli/command-tree/index.js';
import { parseCommandLine, type CommandLine } from '../../src/cli/parse-command-line.js';

const parse = (line: string): CommandLine => parseCommandLine(COMMAND_TREE, line.split(' ').filter(Boolean));

function run(line: string) {
  const r = parse(line);
  assert.equal(r.kind, 'run', `${line} should run a command`);
  return r as Extract<CommandLine, { kind: 'run' }>;
}

function usageError(line: string): CliError {
  try {
    parse(line);
  } catch (err) {
    assert.ok(err instanceof CliError);
    assert.equal(err.code, 'USAGE');
    assert.equal(err.exitCode, 2);
    return err;
  }
  assert.fail(`${line} should be a usage error`);
}

describe('parseCommandLine', () => {
  it('reads the seed\'s command lines', () => {
    const create = run('iam id create aws --filename id.json -oid --parent 0123');
    assert.equal(create.input.command, 'iam identities create aws');
    assert.equal(create.input.string('filename'), 'id.json');
    assert.equal(create.input.string('parent'), '0123');
    assert.equal(create.globals.output, 'id');
    assert.deepEqual(create.input.args, []);

    const roles = run('iam roles list --name viewer -oid');
    assert.equal(roles.input.command, 'iam roles list');
    assert.equal(roles.input.string('name'), 'viewer');
    assert.equal(roles.globals.output, 'id');

    const bind = run('iam rolebinding create --identity A --role B --parent C');
    assert.equal(bind.input.command, 'iam role-bindings create');
    assert.deepEqual([bind.input.string('identity'), bind.input.string('role'), bind.input.string('parent')], ['A', 'B', 'C']);

    assert.equal(run('iam org ls -o json').globals.output, 'json');
    assert.equal(run('iam org ls -ojson').globals.output, 'json');
    assert.equal(run('auth login --identity-token TOK --identity ID').input.string('identity-token'), 'TOK');
  });

  it('accepts every alias', () => {
    for (const [line, command] of [
      ['iam organizations list', 'iam organizations list'],
      ['iam orgs ls', 'iam organizations list'],
      ['iam identities ls', 'iam identities list'],
      ['iam identity describe x', 'iam identities describe'],
      ['iam role-bindings ls', 'iam role-bindings list'],
      ['iam rolebindings list', 'iam role-bindings list'],
      ['iam folders ls', 'iam folders list'],
      ['iam role ls', 'iam roles list'],
    ] as const) {
      assert.equal(run(line).input.command, command, line);
    }
  });

  it('takes global flags before, between and after the command words', () => {
    const r = run('--api http://a:1 iam -v identities --config /c list -o yaml');
    assert.equal(r.input.command, 'iam identities list');
    assert.deepEqual(r.globals, { api: 'http://a:1', config: '/c', output: 'yaml' });
    assert.equal(r.verbose, true);
  });

  it('stops at the first positional: a NAME never becomes a subcommand', () => {
    const r = run('iam identities create aws my-name --filename f');
    assert.equal(r.input.command, 'iam identities create aws');
    assert.deepEqual(r.input.args, ['my-name']);
    const role = run('iam id create aws role ec2 --aws-account-id 123456789012 --aws-role-name r -y');
    assert.equal(role.input.command, 'iam identities create aws role');
    assert.deepEqual(role.input.args, ['ec2']);
    assert.equal(role.input.bool('yes'), true);
  });

  it('answers --help and --version without running anything', () => {
    assert.equal(parse('--version').kind, 'version');
    assert.equal(parse('-V').kind, 'version');
    assert.equal(parse('version').kind, 'version');
    const help = parse('iam id create aws --help');
    assert.equal(help.kind, 'help');
    assert.deepEqual((help as { path: Array<{ name: string }> }).path.map((c) => c.name), ['latchkey', 'iam', 'identities', 'create', 'aws']);
    assert.equal(parse('iam').kind, 'help');
    assert.equal(parse('').kind, 'help');
    assert.equal(parse('iam id create --nope --help').kind, 'help');
  });

  it('hands the server\'s commands every word after their name', () => {
    const r = parse('serve --dev --port 0 -v');
    assert.equal(r.kind, 'passthrough');
    assert.deepEqual((r as { argv: string[] }).argv, ['--dev', '--port', '0', '-v']);
    assert.deepEqual((parse('admin bootstrap --help') as { argv: string[] }).argv, ['bootstrap', '--help']);
    assert.equal(parse('aws-emulator').kind, 'passthrough');
  });

  it('says what is wrong with a command line, and what to do', () => {
    assert.match(usageError('iam identitys list').hint!, /did you mean "identities"/);
    assert.match(usageError('iam identities list --nope').message, /unknown flag --nope for "latchkey iam identities list"/);
    assert.match(usageError('iam identities list --parnet x').hint!, /did you mean --parent\?/);
    assert.match(usageError('iam rolebinding create --rol x').hint!, /did you mean --role\?/);
    assert.match(usageError('iam org ls -o xml').message, /--output must be one of table, json, yaml, id/);
    assert.match(usageError('iam folders create').message, /needs NAME/);
    assert.match(usageError('iam folders create a b').message, /unexpected argument "b"/);
    assert.match(usageError('auth login --identity-provider gcp').message, /--identity-provider must be one of aws/);
    assert.match(usageError('completion fish').message, /SHELL|fish/);
  });
});
