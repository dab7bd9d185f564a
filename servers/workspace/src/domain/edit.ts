/**
 * The exact-once text edit: `old_text` must occur exactly once (overlapping occurrences count),
 * so an edit can never land in the wrong place. The replacement is spliced in literally:
 * `$&`, `$1` and `$$` mean nothing here, unlike in String.prototype.replace.
 */
import { hashBytes, isText } from './content.js';
import { editAmbiguous, editNoMatch, fileTooLarge, notText } from './errors.js';
import type { FileLimits } from './limits.js';

export function countOccurrences(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) count++;
  return count;
}

export function replaceExactlyOnce(text: string, oldText: string, newText: string, path: string): string {
  const matches = countOccurrences(text, oldText);
  if (matches === 0) {
    throw editNoMatch(path);
  }
  if (matches > 1) {
    throw editAmbiguous(path, matches);
  }
  const at = text.indexOf(oldText);
  return text.slice(0, at) + newText + text.slice(at + oldText.length);
}

/** The file's new content after the exact-once edit, checked against the per-file limit. */
export function editedContent(
  current: Buffer,
  oldText: string,
  newText: string,
  path: string,
  limits: FileLimits,
): { bytes: Buffer; hash: string } {
  if (!isText(current)) throw notText(path, 'replace it whole with workspace_write_file instead');
  const bytes = Buffer.from(replaceExactlyOnce(current.toString('utf8'), oldText, newText, path));
  if (bytes.length > limits.maxFileBytes) throw fileTooLarge(path, bytes.length, limits);
  return { bytes, hash: hashBytes(bytes) };
}
