/**
 * The README's tools and errors tables are the ones generated from the code, and every refusal
 * the browser server makes is built from its error catalogue (so the errors table lists every code).
 */
import { readFileSync } from 'node:fs';
import { withReadmeTables } from '@sessionless/kit';
import { refusalsOutsideCatalogue } from '@sessionless/kit/testing';
import { describe, expect, it } from 'vitest';
import { browserReadmeTables } from '../src/index.js';

describe('README.md', () => {
  it('has the tools and errors tables generated from the code (run `npm run readmes` to refresh them)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toBe(withReadmeTables(readme, browserReadmeTables()));
  });

  it('lists every code the browser server can return: every refusal is built in src/domain/errors.ts', () => {
    expect(refusalsOutsideCatalogue(new URL('../src/', import.meta.url))).toEqual([]);
  });
});
