// UIDPs: Chainguard's hierarchical identifiers. A root (organization, or a user identity)
// is 40 lowercase hex chars; every child appends "/" and 16 lowercase hex chars.
// Parses untrusted input: strict, capped, no regular expressions with backtracking.

import { randomBytes } from 'node:crypto';

const ROOT_LEN = 40;
const CHILD_LEN = 16;
/** Deepest hierarchy accepted: an organization plus 31 levels beneath it. */
export const MAX_UIDP_DEPTH = 32;
const MAX_UIDP_LEN = ROOT_LEN + (MAX_UIDP_DEPTH - 1) * (CHILD_LEN + 1);

function isLowerHex(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/** True when `s` is a well-formed UIDP (root or descendant). */
export function isUidp(s: unknown): s is string {
  if (typeof s !== 'string' || s.length < ROOT_LEN || s.length > MAX_UIDP_LEN) return false;
  if (!isLowerHex(s, 0, ROOT_LEN)) return false;
  let i = ROOT_LEN;
  while (i < s.length) {
    if (s[i] !== '/' || i + 1 + CHILD_LEN > s.length) return false;
    if (!isLowerHex(s, i + 1, i + 1 + CHILD_LEN)) return false;
    i += 1 + CHILD_LEN;
  }
  return true;
}

/** True when `s` is a root UIDP (an organization or a user identity). */
export function isRootUidp(s: unknown): s is string {
  return typeof s === 'string' && s.length === ROOT_LEN && isLowerHex(s, 0, ROOT_LEN);
}

/** A short explanation of the UIDP format, for error messages. */
export const UIDP_FORMAT =
  'a UIDP: 40 lowercase hex characters, then zero or more "/" + 16 lowercase hex characters';

/** The parent of a child UIDP, or undefined for a root. */
export function parentOf(uidp: string): string | undefined {
  const i = uidp.lastIndexOf('/');
  return i < 0 ? undefined : uidp.slice(0, i);
}

/** The root (organization) of a UIDP. */
export function rootOf(uidp: string): string {
  return uidp.slice(0, ROOT_LEN);
}

/** Number of segments: 1 for a root. */
export function depthOf(uidp: string): number {
  return 1 + (uidp.length - ROOT_LEN) / (CHILD_LEN + 1);
}

/** `uidp` itself and all its ancestors, root first. */
export function selfAndAncestors(uidp: string): string[] {
  const out: string[] = [uidp.slice(0, ROOT_LEN)];
  for (let i = ROOT_LEN + 1 + CHILD_LEN; i <= uidp.length; i += 1 + CHILD_LEN) out.push(uidp.slice(0, i));
  return out;
}

/** True when `ancestor` is `uidp` itself or one of its ancestors. */
export function isSelfOrAncestor(ancestor: string, uidp: string): boolean {
  return uidp === ancestor || (uidp.length > ancestor.length && uidp.startsWith(ancestor) && uidp[ancestor.length] === '/');
}

/** True when `uidp` lies strictly beneath `ancestor`. */
export function isDescendant(uidp: string, ancestor: string): boolean {
  return uidp.length > ancestor.length && uidp.startsWith(ancestor) && uidp[ancestor.length] === '/';
}

/** A fresh random root UIDP. */
export function newRootUidp(): string {
  return randomBytes(20).toString('hex');
}

/** A fresh random child of `parent`. */
export function newChildUidp(parent: string): string {
  return `${parent}/${randomBytes(8).toString('hex')}`;
}

/**
 * Bounds of the descendant range of `uidp` for ordered-index range scans:
 * every descendant d satisfies `lower <= d < upper` in byte order ("/" is 0x2f, "0" is 0x30).
 */
export function descendantRange(uidp: string): { lower: string; upper: string } {
  return { lower: `${uidp}/`, upper: `${uidp}0` };
}
