/**
 * The exact-once text edit: `old_text` must occur exactly once (overlapping occurrences count),
 * so an edit can never land in the wrong place. The replacement is spliced in literally:
 * `$&`, `$1` and `$$` mean nothing here, unlike in String.prototype.replace.
 */
import { DomainError } from '@sessionless/kit';

export function countOccurrences(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) count++;
  return count;
}

export function replaceExactlyOnce(text: string, oldText: string, newText: string, path: string): string {
  const matches = countOccurrences(text, oldText);
  if (matches === 0) {
    throw new DomainError(
      'EDIT_NO_MATCH',
      `old_text was found 0 times in ${JSON.stringify(path)}; it must match exactly once, whitespace and line ` +
        `breaks included. Read the file (workspace_read_file) and copy the text to replace exactly.`,
      { matches },
    );
  }
  if (matches > 1) {
    throw new DomainError(
      'EDIT_AMBIGUOUS',
      `old_text was found ${matches} times in ${JSON.stringify(path)}; it must match exactly once. Include more ` +
        `of the surrounding text so it matches only the place to change.`,
      { matches },
    );
  }
  const at = text.indexOf(oldText);
  return text.slice(0, at) + newText + text.slice(at + oldText.length);
}
