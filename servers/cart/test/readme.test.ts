/**
 * The README's tools and errors tables are the ones generated from the code, and every refusal
 * the cart makes is built from its error catalogue (so the errors table lists every code).
 */
import { readFileSync } from 'node:fs';
import { withReadmeTables } from '@sessionless/kit';
import { describe, expect, it } from 'vitest';
import { cartReadmeTables } from '../src/index.js';
import { refusalsOutsideCatalogue } from '@sessionless/kit/testing';

describe('README.md', () => {
  it('has the tools and errors tables generated from the code (run `npm run readmes` to refresh them)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toBe(withReadmeTables(readme, cartReadmeTables()));
  });

  it('lists every code the cart can return: every refusal is built in src/domain/errors.ts', () => {
    expect(refusalsOutsideCatalogue(new URL('../src/', import.meta.url))).toEqual([]);
  });
});
