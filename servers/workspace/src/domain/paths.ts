/**
 * The path rules. A path names a file inside one workspace: relative, `/`-separated, in Unicode
 * NFC. Each file has exactly one spelling, so anything that is not already canonical (`./a`,
 * `a//b`, `a/`) is refused with the rule it broke and the canonical spelling, never silently
 * rewritten; the only rewrite is NFC. Characters that are invisible or look like "/", "\", "."
 * or a space are refused too, so two files never look the same in a listing.
 */
import { pathRefused, type PathErrorCode } from './errors.js';

export const MAX_PATH_BYTES = 1024;
export const MAX_SEGMENT_BYTES = 255;

// Cc is C0 (NUL included), DEL and C1: invisible in listings and unsafe in terminals and logs.
const CONTROL = /\p{Cc}/u;
const LONE_SURROGATE = /\p{Cs}/u;
const DRIVE_LETTER = /^[A-Za-z]:/;
// Format characters (bidi overrides, zero-width joiners, BOM...), whatever Unicode says renders
// as nothing (fillers, variation selectors, tags), and the blank Braille pattern.
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/u;
// Fullwidth ASCII, and the slashes, backslashes and dots other scripts and math have.
const LOOKALIKE =
  /[\uFF01-\uFF5E\u2044\u2215\u2571\u27CB\u29F8\u2216\u27CD\u29F5\u29F9\uFE68\u2024\u2025\u2026\uFE52]/u;
// Spaces other than U+0020 (no-break, en, em, ideographic...); the C0 and C1 ones are control characters.
const OTHER_SPACE = /(?! )\p{White_Space}/u;

/** Returns the canonical (NFC) form of `input`, or throws a DomainError naming the rule it breaks. */
export function normalizePath(input: string, field = 'path'): string {
  const refuse = refuser(input, field);
  if (input.length === 0) {
    throw refuse('PATH_EMPTY', 'a path cannot be empty', 'name a file such as "notes.md" or "src/main.ts"');
  }
  const path = checkText(input, field);
  const segments = path.split('/');
  if (segments.includes('..')) {
    throw refuse(
      'PATH_OUTSIDE_WORKSPACE',
      'a ".." segment would climb out of its directory, possibly out of the workspace',
      'name the file from the workspace root without ".."',
    );
  }
  if (segments.includes('.')) {
    throw refuse('PATH_DOT_SEGMENT', 'a "." segment is not canonical', `write ${canonical(path)}`);
  }
  if (segments.includes('')) {
    throw refuse(
      'PATH_EMPTY_SEGMENT',
      'empty segments ("//", or a leading or trailing "/") are not canonical',
      `write ${canonical(path)}`,
    );
  }
  const spaced = segments.find((segment) => segment.startsWith(' ') || segment.endsWith(' '));
  if (spaced !== undefined) {
    throw refuse(
      'PATH_SEGMENT_SPACE',
      `the name ${quote(spaced)} begins or ends with a space, which a listing does not show`,
      `write ${quote(
        path
          .split('/')
          .map((segment) => segment.trim())
          .join('/'),
      )}`,
    );
  }
  const long = segments.find((segment) => Buffer.byteLength(segment) > MAX_SEGMENT_BYTES);
  if (long !== undefined) {
    throw refuse(
      'PATH_SEGMENT_TOO_LONG',
      `the name ${quote(long)} is ${Buffer.byteLength(long)} bytes of UTF-8, over the ${MAX_SEGMENT_BYTES}-byte limit for one name`,
      'use a shorter name',
    );
  }
  return path;
}

/**
 * A list prefix is matched against canonical paths as plain text ("src/" or "src/ma"), so it may
 * be empty, end in "/" or stop inside a name, but it obeys the character rules and is relative.
 */
export function normalizePrefix(input: string): string {
  return input === '' ? '' : checkText(input, 'prefix');
}

/** A page cursor: "" (from the start), or a path compared as plain text, under the same character rules. */
export function normalizeAfter(input: string): string {
  return input === '' ? '' : checkText(input, 'after');
}

/** The rules on characters and length that paths and prefixes share; returns the NFC form. */
function checkText(input: string, field: string): string {
  const refuse = refuser(input, field);
  const control = CONTROL.exec(input)?.[0];
  if (control !== undefined) {
    throw refuse(
      'PATH_CONTROL_CHARACTER',
      `it contains the control character ${codePointOf(control)} (NUL and control characters are not allowed in paths)`,
      'remove it',
    );
  }
  if (LONE_SURROGATE.test(input)) {
    throw refuse('PATH_INVALID_UNICODE', 'it contains an unpaired UTF-16 surrogate', 'send valid Unicode text');
  }
  const text = input.normalize('NFC');
  const invisible = INVISIBLE.exec(text)?.[0];
  if (invisible !== undefined) {
    throw refuse(
      'PATH_INVISIBLE_CHARACTER',
      `it contains the invisible character ${codePointOf(invisible)} (format characters such as bidi controls, ` +
        'zero-width characters and the BOM are not allowed in paths)',
      'remove it',
    );
  }
  const lookalike = (LOOKALIKE.exec(text) ?? OTHER_SPACE.exec(text))?.[0];
  if (lookalike !== undefined) {
    throw refuse(
      'PATH_LOOKALIKE_CHARACTER',
      `it contains ${codePointOf(lookalike)}, which looks like "${asciiLookalike(lookalike)}" but is not ` +
        '(fullwidth forms and look-alike slashes, dots and spaces are not allowed in paths)',
      `replace it, with "${asciiLookalike(lookalike)}" if that is what you meant`,
    );
  }
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_PATH_BYTES) {
    throw refuse(
      'PATH_TOO_LONG',
      `it is ${bytes} bytes of UTF-8, over the ${MAX_PATH_BYTES}-byte limit for a whole path`,
      'use a shorter path',
    );
  }
  if (DRIVE_LETTER.test(text)) {
    throw refuse(
      'PATH_DRIVE_LETTER',
      'a drive letter makes it absolute (paths are relative to the workspace root)',
      `drop "${text.slice(0, 2)}"`,
    );
  }
  if (text.includes('\\')) {
    throw refuse('PATH_BACKSLASH', 'a backslash is not a separator here (only "/" is)', `write ${canonical(text)}`);
  }
  if (text.startsWith('/')) {
    throw refuse(
      'PATH_ABSOLUTE',
      'absolute paths are not allowed (paths are relative to the workspace root)',
      `write ${canonical(text)}`,
    );
  }
  return text;
}

function codePointOf(character: string): string {
  return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The ASCII character a look-alike is taken for: its NFKC form when that is ASCII, else by kind. */
function asciiLookalike(character: string): string {
  const compatible = character.normalize('NFKC');
  if (/^[\x20-\x7e]+$/.test(compatible)) return compatible;
  if ('\u2044\u2215\u2571\u27CB\u29F8'.includes(character)) return '/';
  if ('\u2216\u27CD\u29F5\u29F9'.includes(character)) return '\\';
  return ' ';
}

function refuser(input: string, field: string) {
  return (code: PathErrorCode, rule: string, fix: string) => pathRefused(code, field, quote(input), rule, fix);
}

/** The canonical spelling a refused path most likely meant, for the error's "write ..." hint. */
function canonical(path: string): string {
  const segments = path
    .replaceAll('\\', '/')
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.');
  return segments.length ? quote(segments.join('/')) : 'a relative path such as "notes.md"';
}

function quote(text: string): string {
  const shown = text.length > 60 ? `${text.slice(0, 40)}...(${text.length} characters)` : text;
  return JSON.stringify(shown);
}
