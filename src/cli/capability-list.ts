// --capabilities: a comma-separated list, each one a capability Latchkey knows.

import { CAPABILITIES, isCapability, type Capability } from './iam-ids.js';
import { CliError } from './cli-error.js';
import type { CommandInput } from './command-input.js';

export function capabilitiesFrom(input: CommandInput): Capability[] | undefined {
  const list = input.list('capabilities');
  if (list === undefined) return undefined;
  const unknown = list.filter((c) => !isCapability(c));
  if (unknown.length) {
    throw new CliError('USAGE', `unknown capabilit${unknown.length > 1 ? 'ies' : 'y'} ${unknown.join(', ')}`,
      { hint: `use any of ${CAPABILITIES.join(', ')}` });
  }
  if (list.length === 0) throw new CliError('USAGE', '--capabilities needs at least one capability');
  return [...new Set(list)] as Capability[];
}
