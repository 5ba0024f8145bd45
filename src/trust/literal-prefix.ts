// The literal start of an RE2 pattern, for write-time lint (which values could it ever match?).

/** The literal text every match of `p` starts with (conservative: may be shorter). */
export function literalPrefix(p: string): string {
  let i = p.startsWith('^') ? 1 : 0;
  let out = '';
  while (i < p.length) {
    const ch = p[i] as string;
    let lit: string;
    if ('.+*?()[]{}|^$'.includes(ch)) break;
    if (ch === '\\') {
      const n = p[i + 1];
      if (n === undefined || /[A-Za-z0-9]/.test(n)) break;
      lit = n;
      i += 2;
    } else {
      lit = ch;
      i += 1;
    }
    const q = p[i];
    if (q === '?' || q === '*' || q === '{') break;
    out += lit;
    if (q === '+') break;
  }
  return out;
}
