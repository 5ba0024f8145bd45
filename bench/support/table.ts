// Result tables: Markdown with padded columns, readable in a terminal and pasteable into
// bench/README.md.

export function markdownTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(headers), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** A number with `digits` decimals, or "–" when not measured. */
export function num(v: number | undefined, digits = 0): string {
  return v === undefined || Number.isNaN(v) ? '–' : v.toFixed(digits);
}

/** "PASS" or "FAIL" (or "–" when not measured). */
export function verdict(ok: boolean | undefined): string {
  return ok === undefined ? '–' : ok ? 'PASS' : 'FAIL';
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
