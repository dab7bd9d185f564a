import { readFileSync } from 'node:fs';
import { toolsTable, withReadmeTables } from '@sessionless/kit';
import { describe, expect, it } from 'vitest';
import { SessionCart } from '../src/cart.js';
import { sessionCartTools } from '../src/tools/index.js';

describe('README.md', () => {
  it('has the tools table generated from the tool definitions (run `npm run readmes` to refresh it)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toBe(withReadmeTables(readme, { tools: toolsTable(sessionCartTools, new SessionCart()) }));
  });
});
