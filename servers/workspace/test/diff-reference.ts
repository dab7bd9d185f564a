/**
 * References for the diff tests, written the plain way: apply a unified diff to the old text, and
 * the length of the longest common subsequence by the quadratic table (fine for a few lines).
 */

/** `before` with `patch` applied; every line of both ends in "\n" (no "No newline" markers). */
export function applyPatch(before: string, patch: string): string {
  const old = before.split('\n').slice(0, -1);
  const out: string[] = [];
  let at = 0;
  for (const line of patch.split('\n').slice(2, -1)) {
    const hunk = /^@@ -(\d+),(\d+) /.exec(line);
    if (hunk) {
      const start = Number(hunk[2]) === 0 ? Number(hunk[1]) : Number(hunk[1]) - 1;
      while (at < start) out.push(old[at++]!);
    } else if (line.startsWith(' ')) out.push(old[at++]!);
    else if (line.startsWith('-')) at++;
    else if (line.startsWith('+')) out.push(line.slice(1));
  }
  while (at < old.length) out.push(old[at++]!);
  return out.map((line) => `${line}\n`).join('');
}

export function lcsLength(a: readonly string[], b: readonly string[]): number {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i]![j] = a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  return table[0]![0]!;
}
