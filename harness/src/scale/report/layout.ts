/**
 * Rows of cells laid out for people: aligned plain text for the terminal and a Markdown table,
 * with every column of numbers right-aligned. The scale and bench reports both use them.
 */
import { isNumber, type Row } from './cells.js';

export function textTable(rows: Row[]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const right = rows[0]!.map((_, i) => rows.slice(1).every((r) => isNumber(r[i] ?? '')));
  return rows.map((row) =>
    row
      .map((cell, i) => (right[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

export function markdownTable(rows: Row[]): string[] {
  const [head, ...body] = rows;
  const line = (cells: string[]) => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
  // Columns of numbers are right-aligned, text columns left.
  const numeric = (i: number) => body.length > 0 && body.every((row) => isNumber(row[i] ?? ''));
  return [line(head!), `| ${head!.map((_, i) => (numeric(i) ? '---:' : '---')).join(' | ')} |`, ...body.map(line)];
}
