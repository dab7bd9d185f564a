/**
 * A small unified diff for text files, so a model can review a fork's changes in one call. It
 * trims the common head and tail, then runs a plain LCS table over what is left; inputs whose
 * table would be too big get no patch (the caller says so) rather than a slow answer.
 */
import { isText } from './content.js';

export const DEFAULT_MAX_CELLS = 4_000_000;
const CONTEXT = 3;
// A last line without "\n" carries the marker, so it differs from the same line with one and
// renders exactly as unified diff writes it.
const NO_EOL = '\n\\ No newline at end of file';

interface Op {
  kind: ' ' | '-' | '+';
  line: string;
  /** Lines of the old and new text consumed before this op. */
  a: number;
  b: number;
}

/** The unified diff from `before` to `after` (null = the file does not exist), or undefined if too big to compute. */
export function unifiedDiff(
  path: string,
  before: string | null,
  after: string | null,
  maxCells = DEFAULT_MAX_CELLS,
): string | undefined {
  const ops = diffLines(toLines(before ?? ''), toLines(after ?? ''), maxCells);
  if (!ops) return undefined;
  const out = [before === null ? '--- /dev/null' : `--- a/${path}`, after === null ? '+++ /dev/null' : `+++ b/${path}`];
  for (const [start, end] of hunkRanges(ops)) {
    const range = ops.slice(start, end);
    const oldCount = range.filter((op) => op.kind !== '+').length;
    const newCount = range.filter((op) => op.kind !== '-').length;
    const first = range[0]!;
    out.push(`@@ -${first.a + (oldCount ? 1 : 0)},${oldCount} +${first.b + (newCount ? 1 : 0)},${newCount} @@`);
    for (const op of range) out.push(`${op.kind}${op.line}`);
  }
  return `${out.join('\n')}\n`;
}

/** A patch between two versions of a file (null = absent), or why there is none: binary or too big. */
export function textPatch(
  path: string,
  before: Buffer | null,
  after: Buffer | null,
): string | { omitted: 'binary' | 'too_large' } {
  if ((before && !isText(before)) || (after && !isText(after))) return { omitted: 'binary' };
  return (
    unifiedDiff(path, before?.toString('utf8') ?? null, after?.toString('utf8') ?? null) ?? { omitted: 'too_large' }
  );
}

function toLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  else lines[lines.length - 1] += NO_EOL;
  return lines;
}

function diffLines(a: string[], b: string[], maxCells: number): Op[] | undefined {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let endA = a.length;
  let endB = b.length;
  while (endA > head && endB > head && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const n = endA - head;
  const m = endB - head;
  if ((n + 1) * (m + 1) > maxCells) return undefined;

  // lcs[i * width + j]: length of the longest common subsequence of a[head+i..endA) and b[head+j..endB).
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] =
        a[head + i] === b[head + j]
          ? lcs[(i + 1) * width + j + 1]! + 1
          : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }

  const ops: Op[] = [];
  for (let k = 0; k < head; k++) ops.push({ kind: ' ', line: a[k]!, a: k, b: k });
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    const at = { a: head + i, b: head + j };
    if (i < n && j < m && a[head + i] === b[head + j]) {
      ops.push({ kind: ' ', line: a[head + i]!, ...at });
      i++;
      j++;
    } else if (i < n && (j === m || lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!)) {
      ops.push({ kind: '-', line: a[head + i]!, ...at });
      i++;
    } else {
      ops.push({ kind: '+', line: b[head + j]!, ...at });
      j++;
    }
  }
  for (let k = 0; k < a.length - endA; k++) ops.push({ kind: ' ', line: a[endA + k]!, a: endA + k, b: endB + k });
  return ops;
}

/** [start, end) op ranges of the hunks: each change with CONTEXT lines around it, nearby ones joined. */
function hunkRanges(ops: Op[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  ops.forEach((op, index) => {
    if (op.kind === ' ') return;
    const start = Math.max(0, index - CONTEXT);
    const end = Math.min(ops.length, index + CONTEXT + 1);
    const last = ranges.at(-1);
    if (last && start <= last[1]) last[1] = end;
    else ranges.push([start, end]);
  });
  return ranges;
}
