// Pages through records a caller may see. The caller's scopes are disjoint, sorted subtrees;
// ids sort by prefix, so each subtree is one contiguous id range and concatenating the parts
// in order gives one sorted list that pages with a single `after` id.

import type { Page, TreeFilter } from '../store/contract.js';
import { isDescendant, isSelfOrAncestor, parentOf } from './uidp.js';

export type Part = { self: string } | { childrenOf: string } | { descendantsOf: string };

/**
 * The parts of the id space that are both requested (`filter`) and visible (`scopes`).
 * `withSelf`: the scope group itself is a result (groups), not only what is beneath it.
 */
export function visibleParts(scopes: string[], filter: TreeFilter, withSelf: boolean): Part[] {
  const whole = (s: string): Part[] => (withSelf ? [{ self: s }, { descendantsOf: s }] : [{ descendantsOf: s }]);
  if (filter.childrenOf !== undefined) {
    const x = filter.childrenOf;
    if (scopes.some((s) => isSelfOrAncestor(s, x))) return [{ childrenOf: x }];
    return withSelf ? scopes.filter((s) => parentOf(s) === x).map((s) => ({ self: s })) : [];
  }
  if (filter.descendantsOf !== undefined) {
    const x = filter.descendantsOf;
    if (scopes.some((s) => isSelfOrAncestor(s, x))) return [{ descendantsOf: x }];
    return scopes.filter((s) => isDescendant(s, x)).flatMap(whole);
  }
  return scopes.flatMap(whole);
}

export interface PageResult<T> {
  items: T[];
  nextPageToken?: string;
}

/** Fetches up to `limit` items across `parts`, in order, after `after`. */
export async function pageOver<T extends { id: string }>(
  parts: Part[],
  page: { limit: number; after?: string },
  fetch: (part: Part, page: Page) => Promise<T[]>,
): Promise<PageResult<T>> {
  const items: T[] = [];
  for (const part of parts) {
    const need = page.limit + 1 - items.length;
    if (need <= 0) break;
    const got = await fetch(part, { limit: need, after: page.after });
    for (const it of got) if (page.after === undefined || it.id > page.after) items.push(it);
  }
  if (items.length > page.limit) {
    items.length = page.limit;
    return { items, nextPageToken: encodePageToken(items[items.length - 1]!.id) };
  }
  return { items };
}

export function encodePageToken(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

/** Decodes a page token (untrusted input); undefined when absent, null when malformed. */
export function decodePageToken(t: string | undefined): string | undefined | null {
  if (t === undefined || t === '') return undefined;
  if (t.length > 2000 || !/^[A-Za-z0-9_-]+$/.test(t)) return null;
  return Buffer.from(t, 'base64url').toString('utf8');
}
