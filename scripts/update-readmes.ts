/**
 * Regenerates the tools table in every server README from the tool definitions.
 * `npm run readmes` writes them; the servers' readme tests fail when a README is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { toolsTable, withToolsTable } from '@sessionless/kit';
import { cartKind, cartTools, DEFAULT_CART_LIMITS, type CartDeps } from '../servers/cart/src/server.js';

const readmes = [
  {
    path: new URL('../servers/cart/README.md', import.meta.url),
    table: toolsTable(cartTools, { cartKind: cartKind(DEFAULT_CART_LIMITS) } as CartDeps),
  },
];

for (const { path, table } of readmes) {
  const before = readFileSync(path, 'utf8');
  const after = withToolsTable(before, table);
  if (after !== before) writeFileSync(path, after);
  console.log(`${after === before ? 'unchanged' : 'updated  '} ${path.pathname}`);
}
