// Aligned text tables for people. Bold headers only when colour is allowed (a terminal, and
// NO_COLOR unset).

export interface Column<T> {
  header: string;
  value(row: T): string;
}

const BOLD = '\x1b[1m';
const RESET = '\x1b[0m';

/** Strips control characters, so a server-supplied name cannot move the cursor or recolour. */
function clean(s: string): string {
  return s.replace(/[\x00-\x1f\x7f-\x9f]/g, ' ');
}

/** "Label:  value" lines, values aligned (one record, for people). */
export function renderFields(rows: ReadonlyArray<readonly [string, string]>): string {
  const width = Math.max(...rows.map(([k]) => k.length)) + 1;
  return rows.map(([k, v]) => `${`${k}:`.padEnd(width)}  ${clean(v)}`).join('\n') + '\n';
}

export function renderTable<T>(columns: readonly Column<T>[], rows: readonly T[], color: boolean): string {
  const cells = rows.map((r) => columns.map((c) => clean(c.value(r))));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: string[]) => values.map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]!))).join('   ').trimEnd();
  const header = line(columns.map((c) => c.header));
  return [color ? `${BOLD}${header}${RESET}` : header, ...cells.map(line)].join('\n') + '\n';
}
