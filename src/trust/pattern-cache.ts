// Compiled RE2 patterns, memoised: rules are compiled at write time and again at most once
// per process on the hot path. A small LRU keyed by the pattern text; RE2 (re2js) matches in
// linear time, never backtracking on author-supplied patterns.

import { RE2JS } from 're2js';

const MAX_ENTRIES = 1024;
const cache = new Map<string, RE2JS>();

/** The compiled form of `pattern`; throws re2js's RE2JSException when it does not compile. */
export function compiledPattern(pattern: string): RE2JS {
  const hit = cache.get(pattern);
  if (hit !== undefined) {
    cache.delete(pattern);
    cache.set(pattern, hit);
    return hit;
  }
  const re = RE2JS.compile(pattern);
  cache.set(pattern, re);
  if (cache.size > MAX_ENTRIES) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return re;
}

/** True when `pattern` matches the WHOLE of `value`, whether or not it is written ^...$. */
export function fullMatch(pattern: string, value: string): boolean {
  return compiledPattern(pattern).matches(value);
}
