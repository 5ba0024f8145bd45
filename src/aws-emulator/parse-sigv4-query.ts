// Decodes a raw query string into the name → value(s) map smithy's SigV4 signer canonicalises.
// Parses attacker-controlled input: the request target of any local client.

import { AwsFault } from './aws-fault.js';

export type SigV4Query = Record<string, string | string[]>;

/**
 * `a=1&b=x%20y&a=2&c` → `{ a: ['1', '2'], b: 'x y', c: '' }` (null prototype).
 * SigV4 percent-decodes names and values and re-encodes them its own way, so a `+` stays a
 * literal plus (it is not form encoding) and an empty segment (`&&`) contributes nothing.
 * @throws AwsFault MalformedQueryString for a `%` sequence that is not UTF-8.
 */
export function parseSigV4Query(rawQuery: string): SigV4Query {
  const query: SigV4Query = Object.create(null) as SigV4Query;
  if (rawQuery === '') return query;
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(eq === -1 ? pair : pair.slice(0, eq));
      value = eq === -1 ? '' : decodeURIComponent(pair.slice(eq + 1));
    } catch {
      throw new AwsFault('MalformedQueryString', 'The query string contains a malformed percent-encoding');
    }
    const held = query[name];
    if (held === undefined) query[name] = value;
    else if (Array.isArray(held)) held.push(value);
    else query[name] = [held, value];
  }
  return query;
}
