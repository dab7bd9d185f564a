/**
 * The exact-once text edit: `old_text` must occur exactly once (overlapping occurrences count),
 * so an edit can never land in the wrong place. The replacement is spliced in literally:
 * `$&`, `$1` and `$$` mean nothing here, unlike in String.prototype.replace.
 */
import { editAmbiguous, editNoMatch } from './errors.js';

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
