/**
 * The exact-once text edit: `old_text` must occur exactly once (overlapping occurrences count),
 * so an edit can never land in the wrong place. Matching runs over the UTF-8 bytes with
 * Knuth-Morris-Pratt, at most 2(n + m) steps whatever the text (a naive scan of "aaaa..." is
 * quadratic). The replacement is spliced in literally: `$&`, `$1` and `$$` mean nothing here.
 */
import { hashBytes, isText } from './content.js';
import { editAmbiguous, editNoMatch, fileTooLarge, notText } from './errors.js';
import type { FileLimits } from './limits.js';
import { addWork } from './work.js';

/** Occurrences of `needle` in `haystack` (overlapping ones count) and where the first one starts. */
export function findOccurrences(haystack: Uint8Array, needle: Uint8Array): { count: number; first: number } {
  const n = haystack.length;
  const m = needle.length;
  if (m === 0 || m > n) return { count: 0, first: -1 };
  // fallback[i]: the length of the longest proper prefix of needle[0..i] that is also its suffix.
  const fallback = new Int32Array(m);
  let steps = 0;
  for (let i = 1, k = 0; i < m; i++) {
    while (k > 0 && needle[i] !== needle[k]) {
      k = fallback[k - 1]!;
      steps++;
    }
    if (needle[i] === needle[k]) k++;
    fallback[i] = k;
    steps++;
  }
  let count = 0;
  let first = -1;
  for (let i = 0, k = 0; i < n; i++) {
    while (k > 0 && haystack[i] !== needle[k]) {
      k = fallback[k - 1]!;
      steps++;
    }
    if (haystack[i] === needle[k]) k++;
    steps++;
    if (k === m) {
      count++;
      if (first < 0) first = i - m + 1;
      k = fallback[k - 1]!;
    }
  }
  addWork(steps);
  return { count, first };
}

export function countOccurrences(text: string, needle: string): number {
  return findOccurrences(Buffer.from(text), Buffer.from(needle)).count;
}

/** `bytes` with the one occurrence of `oldText` replaced by `newText`, or the refusal saying how many there are. */
export function replaceOnce(bytes: Buffer, oldText: string, newText: string, path: string): Buffer {
  const old = Buffer.from(oldText);
  const { count, first } = findOccurrences(bytes, old);
  if (count === 0) throw editNoMatch(path);
  if (count > 1) throw editAmbiguous(path, count);
  return Buffer.concat([bytes.subarray(0, first), Buffer.from(newText), bytes.subarray(first + old.length)]);
}

export function replaceExactlyOnce(text: string, oldText: string, newText: string, path: string): string {
  return replaceOnce(Buffer.from(text), oldText, newText, path).toString('utf8');
}

/** The file's new content after the exact-once edit, checked against the per-file limit. */
export function editedContent(
  current: Buffer,
  oldText: string,
  newText: string,
  path: string,
  limits: FileLimits,
): { bytes: Buffer; hash: string } {
  addWork(current.length);
  if (!isText(current)) throw notText(path, 'replace it whole with workspace_write_file instead');
  const bytes = replaceOnce(current, oldText, newText, path);
  if (bytes.length > limits.maxFileBytes) throw fileTooLarge(path, bytes.length, limits);
  addWork(bytes.length);
  return { bytes, hash: hashBytes(bytes) };
}
