// Encodes and decodes the payload of a cache notice. Decoding reads bytes from the database
// channel, which any client of the database can NOTIFY on: strict, capped, never throws.

import type { CacheChange } from './cluster-bus.js';

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; stay well under. */
const MAX_PAYLOAD = 7_000;
const MAX_KEY = 2_000;
const CACHES = new Set<CacheChange['cache']>(['bindings', 'identities', 'keys']);

export interface Notice {
  origin: string;
  changes: CacheChange[];
}

/** JSON `{o, c:[[cache, key?]...]}`; changes too many to fit become "everything in that cache". */
export function encodeNotice(origin: string, changes: CacheChange[]): string {
  const full = JSON.stringify({ o: origin, c: changes.map((c) => (c.key === undefined ? [c.cache] : [c.cache, c.key])) });
  if (full.length <= MAX_PAYLOAD) return full;
  const caches = [...new Set(changes.map((c) => c.cache))];
  return JSON.stringify({ o: origin, c: caches.map((c) => [c]) });
}

/** The notice, or undefined when the payload is not one of ours. */
export function decodeNotice(payload: string | undefined): Notice | undefined {
  if (typeof payload !== 'string' || payload.length > MAX_PAYLOAD) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(payload);
  } catch {
    return undefined;
  }
  const o = (v as { o?: unknown })?.o;
  const c = (v as { c?: unknown })?.c;
  if (typeof o !== 'string' || o.length > 64 || !Array.isArray(c) || c.length > 1000) return undefined;
  const changes: CacheChange[] = [];
  for (const item of c) {
    if (!Array.isArray(item) || item.length < 1 || item.length > 2 || !CACHES.has(item[0])) return undefined;
    if (item.length === 2 && (typeof item[1] !== 'string' || item[1].length === 0 || item[1].length > MAX_KEY)) return undefined;
    changes.push(item.length === 2 ? { cache: item[0], key: item[1] } : { cache: item[0] });
  }
  return { origin: o, changes };
}
