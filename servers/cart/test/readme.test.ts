import { readFileSync } from 'node:fs';
import { toolsTable, withToolsTable } from '@sessionless/kit';
import { describe, expect, it } from 'vitest';
import { cartKind, DEFAULT_CART_LIMITS, type CartDeps } from '../src/server.js';
import { cartTools } from '../src/tools/index.js';

describe('README.md', () => {
  it('has the tools table generated from the tool definitions (run `npm run readmes` to refresh it)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const table = toolsTable(cartTools, { cartKind: cartKind(DEFAULT_CART_LIMITS) } as CartDeps);
    expect(readme).toBe(withToolsTable(readme, table));
  });
});
