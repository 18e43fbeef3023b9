// Markdown tables and number formatting shared by the experiment reports.

export type Cell = string | number;

export function markdownTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  rows.forEach((row, i) => {
    if (row.length !== headers.length) {
      throw new RangeError(`markdownTable: row ${i} has ${row.length} cells, the header has ${headers.length}`);
    }
  });
  const escapeCell = (c: Cell) => String(c).replaceAll('|', '\\|').replaceAll('\n', ' ');
  const line = (cells: readonly Cell[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n') + '\n';
}

/** Four significant digits, scientific notation for very small or large magnitudes. */
export function fmt(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const abs = Math.abs(value);
  return abs < 1e-3 || abs >= 1e5 ? value.toExponential(digits - 1) : Number(value.toPrecision(digits)).toString();
}

/** "0.41 [0.38, 0.45]"; over one value there is no interval, and it says so. */
export function fmtInterval(estimate: number, low: number, high: number, n?: number): string {
  if (n === 1) return `${fmt(estimate)} ${NO_INTERVAL}`;
  return `${fmt(estimate)} [${fmt(low)}, ${fmt(high)}]`;
}

export const NO_INTERVAL = '(n = 1, no interval)';

/** A bootstrap interval as fmtInterval writes it; `format` for the numbers (e.g. percent). */
export function fmtCI(c: { estimate: number; low: number; high: number; n?: number }, format: (v: number) => string = fmt): string {
  if (c.n === 1) return `${format(c.estimate)} ${NO_INTERVAL}`;
  return `${format(c.estimate)} [${format(c.low)}, ${format(c.high)}]`;
}
