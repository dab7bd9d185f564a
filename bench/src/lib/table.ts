/**
 * Where a benchmark writes: results on stdout, progress on stderr; and the plain-text table its
 * reports print (first column left-aligned, the others right-aligned).
 */

export const out = (text = ''): void => void process.stdout.write(`${text}\n`);
export const log = (text: string): void => void process.stderr.write(`${text}\n`);

/** Rows of cells (the first row the header) as aligned lines. */
export function tableLines(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  return rows.map((cells) =>
    cells.map((cell, c) => (c ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  '),
  );
}
