/**
 * Where a benchmark writes: results on stdout, progress and failures on stderr, and the
 * plain-text table layout (first column left-aligned, the others right-aligned) its reports use.
 */

export const out = (text = '') => process.stdout.write(`${text}\n`);
export const log = (text) => process.stderr.write(`${text}\n`);

export function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(1);
}

/** A number with a fixed count of decimals and thousands separators; '-' when missing. */
export const fmt = (value, digits) =>
  value === null || value === undefined
    ? '-'
    : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Rows of cells (the first row the header) as aligned lines; `rule` adds dashes under the header. */
export function tableLines(rows, { rule = false } = {}) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const line = (cells) => cells.map((cell, c) => (c ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ');
  const lines = rows.map(line);
  if (rule) lines.splice(1, 0, line(widths.map((width) => '-'.repeat(width))));
  return lines;
}
