// One field of a rule, compiled: an exact value compared with ===, or an RE2 pattern that must
// match the WHOLE value (re2js: linear time, whatever the author wrote).

import { compiledPattern } from './pattern-cache.js';

/** A compiled exact-or-pattern field. `field` is the rule field's name, for messages. */
export interface FieldMatcher {
  field: string;
  test(value: string): boolean;
}

/**
 * Compiles one exact/pattern pair; undefined when neither is set. A pair with both set, or a
 * pattern that does not compile, is a TypeError: rules are validated when written, so a stored
 * rule like that is a bug, not the caller's fault.
 */
export function fieldMatcher(
  names: { exact: string; pattern: string },
  exact: string | undefined,
  pattern: string | undefined,
): FieldMatcher | undefined {
  if (exact !== undefined && pattern !== undefined) {
    throw new TypeError(`rule has both ${names.exact} and ${names.pattern}; it must have one`);
  }
  if (exact !== undefined) return { field: names.exact, test: (v) => v === exact };
  if (pattern === undefined) return undefined;
  let re: ReturnType<typeof compiledPattern>;
  try {
    re = compiledPattern(pattern);
  } catch {
    throw new TypeError(`rule has a ${names.pattern} that does not compile`);
  }
  return { field: names.pattern, test: (v) => re.matches(v) };
}
