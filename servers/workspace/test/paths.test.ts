/**
 * The path rules, as a table: every hostile or non-canonical spelling is refused with the code
 * and a message that names the rule; canonical paths pass; NFC makes look-alike names one file.
 */
import { DomainError } from '@sessionless/kit';
import { describe, expect, it } from 'vitest';
import { MAX_PATH_BYTES, MAX_SEGMENT_BYTES, normalizePath, normalizePrefix } from '../src/domain/paths.js';
import { HOSTILE_PATHS } from './hostile-paths.js';

describe('normalizePath', () => {
  it.each(HOSTILE_PATHS)('refuses %s (%j) with %s, naming the rule', (_case, input, code, message) => {
    let error: unknown;
    try {
      normalizePath(input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(code);
    expect((error as DomainError).message).toMatch(/^path ".*" is refused: /);
    expect((error as DomainError).message).toMatch(message);
    expect((error as DomainError).message.length).toBeLessThan(400);
  });

  it.each([
    ['notes.md'],
    ['src/main.ts'],
    ['.github/workflows/ci.yml'],
    ['a/b/c/d/e/f.txt'],
    ['...'],
    ['..hidden'],
    ['with space/and-dash_underscore.txt'],
    ['日本語/ファイル.txt'],
    ['emoji/😀.txt'],
    ['spaces inside/are fine.txt'],
    ['C/x'],
    [`${'n'.repeat(MAX_SEGMENT_BYTES)}`],
    [`${'d/'.repeat((MAX_PATH_BYTES - 1) / 2)}f`],
  ])('accepts the canonical path %j unchanged', (path) => {
    expect(normalizePath(path)).toBe(path);
  });

  it('returns the NFC form, so names that normalise to the same string are the same file', () => {
    const composed = 'caf\u00e9/r\u00e9sum\u00e9.md';
    const decomposed = 'cafe\u0301/re\u0301sume\u0301.md';
    expect(decomposed).not.toBe(composed);
    expect(normalizePath(decomposed)).toBe(composed);
    expect(normalizePath(composed)).toBe(composed);
    // Hangul syllables compose too: two code points, one syllable.
    expect(normalizePath('\u1100\u1161.txt')).toBe('\uac00.txt');
  });

  it('measures the limits in UTF-8 bytes of the NFC form', () => {
    // 255 bytes decomposed would be 3 bytes per "é"; composed it is 2, so 100 of them fit.
    expect(normalizePath('e\u0301'.repeat(100))).toBe('\u00e9'.repeat(100));
  });

  it('names the field it checked, for the initial files of workspace_create', () => {
    expect(() => normalizePath('../x', 'files[3].path')).toThrow(/^files\[3\]\.path "\.\.\/x" is refused/);
  });
});

describe('normalizePrefix', () => {
  it.each([
    ['', ''],
    ['src/', 'src/'],
    ['src/ma', 'src/ma'],
    ['cafe\u0301/', 'caf\u00e9/'],
  ])('accepts %j as %j', (input, expected) => {
    expect(normalizePrefix(input)).toBe(expected);
  });

  it.each([
    ['/src', 'PATH_ABSOLUTE'],
    ['src\\', 'PATH_BACKSLASH'],
    ['a\u0000', 'PATH_CONTROL_CHARACTER'],
    ['x'.repeat(MAX_PATH_BYTES + 1), 'PATH_TOO_LONG'],
  ])('refuses %j with %s', (input, code) => {
    expect(() => normalizePrefix(input)).toThrow(expect.objectContaining({ code }));
  });
});
