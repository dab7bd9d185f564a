/**
 * A small unified diff for text files, so a model can review a fork's changes in one call. It
 * trims the common head and tail, then runs Myers' algorithm over what is left, whose work is the
 * lines plus the square of the number of changed lines, under a step budget: a pair of files that
 * would take more gets no patch (the caller says so) rather than a slow answer.
 */
import { isText } from './content.js';
import { addWork } from './work.js';

export const DEFAULT_MAX_STEPS = 2_000_000;
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

/** The unified diff from `before` to `after` (null = the file does not exist), or undefined if over `maxSteps`. */
export function unifiedDiff(
  path: string,
  before: string | null,
  after: string | null,
  maxSteps = DEFAULT_MAX_STEPS,
): string | undefined {
  const ops = diffLines(toLines(before ?? ''), toLines(after ?? ''), maxSteps);
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
  maxSteps = DEFAULT_MAX_STEPS,
): string | { omitted: 'binary' | 'too_large' } {
  if ((before && !isText(before)) || (after && !isText(after))) return { omitted: 'binary' };
  const patch = unifiedDiff(path, before?.toString('utf8') ?? null, after?.toString('utf8') ?? null, maxSteps);
  return patch ?? { omitted: 'too_large' };
}

function toLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  else lines[lines.length - 1] += NO_EOL;
  return lines;
}

function diffLines(a: string[], b: string[], maxSteps: number): Op[] | undefined {
  addWork(a.length + b.length);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let endA = a.length;
  let endB = b.length;
  while (endA > head && endB > head && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const middle = shortestEdit(a.slice(head, endA), b.slice(head, endB), maxSteps);
  if (!middle) return undefined;
  const ops: Op[] = [];
  for (let k = 0; k < head; k++) ops.push({ kind: ' ', line: a[k]!, a: k, b: k });
  for (const op of middle) ops.push({ ...op, a: op.a + head, b: op.b + head });
  for (let k = 0; k < a.length - endA; k++) ops.push({ kind: ' ', line: a[endA + k]!, a: endA + k, b: endB + k });
  return ops;
}

/**
 * Myers' shortest edit script from `a` to `b`: round d finds the furthest point reachable with d
 * changes on each diagonal; the state at the start of each round is kept to walk back the path.
 * Lines are compared as numbers (equal lines get one id). Undefined once `maxSteps` is spent.
 */
function shortestEdit(a: string[], b: string[], maxSteps: number): Op[] | undefined {
  const ids = new Map<string, number>();
  const idOf = (line: string) => ids.get(line) ?? (ids.set(line, ids.size), ids.size - 1);
  const x0 = Int32Array.from(a, idOf);
  const y0 = Int32Array.from(b, idOf);
  const n = x0.length;
  const m = y0.length;
  const offset = n + m + 1;
  const v = new Int32Array(2 * offset + 1);
  const trace: Int32Array[] = [];
  let steps = n + m;
  for (let d = 0; d <= n + m; d++) {
    // v[k] for k in [-d-1, d+1] as round d starts: all that walking back from round d reads.
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    steps += 2 * d + 3;
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!);
      let x = down ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && x0[x] === y0[y]) {
        x++;
        y++;
        steps++;
      }
      v[offset + k] = x;
      steps++;
      if (x >= n && y >= m) {
        addWork(steps);
        return walkBack(trace, a, b);
      }
      if (steps > maxSteps) {
        addWork(steps);
        return undefined;
      }
    }
  }
  return undefined;
}

/** The ops of the path found, from the end back to the start, using each round's saved state. */
function walkBack(trace: Int32Array[], a: string[], b: string[]): Op[] {
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const saved = trace[d]!;
    const at = (k: number) => saved[k + d + 1]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : at(prevK);
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      ops.push({ kind: ' ', line: a[x]!, a: x, b: y });
    }
    if (d === 0) break;
    if (x === prevX) ops.push({ kind: '+', line: b[prevY]!, a: prevX, b: prevY });
    else ops.push({ kind: '-', line: a[prevX]!, a: prevX, b: prevY });
    x = prevX;
    y = prevY;
  }
  return ops.reverse();
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
