/**
 * Regenerates the tools and errors tables in every server README from the tool definitions and
 * the error catalogues. `npm run readmes` writes them; the servers' readme tests fail when a
 * README is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { toolsTable, withReadmeTables, type ReadmeTables } from '@sessionless/kit';
import { browserReadmeTables } from '@sessionless/server-browser';
import { cartReadmeTables } from '@sessionless/server-cart';
import { SessionCart, sessionCartTools } from '@sessionless/server-session-cart';
import { workspaceReadmeTables } from '@sessionless/server-workspace';

const readmes: Array<{ path: URL; tables: ReadmeTables }> = [
  { path: new URL('../servers/cart/README.md', import.meta.url), tables: cartReadmeTables() },
  { path: new URL('../servers/browser/README.md', import.meta.url), tables: browserReadmeTables() },
  { path: new URL('../servers/workspace/README.md', import.meta.url), tables: workspaceReadmeTables() },
  {
    path: new URL('../servers/session-cart/README.md', import.meta.url),
    tables: { tools: toolsTable(sessionCartTools, new SessionCart()) },
  },
];

for (const { path, tables } of readmes) {
  const before = readFileSync(path, 'utf8');
  const after = withReadmeTables(before, tables);
  if (after !== before) writeFileSync(path, after);
  console.log(`${after === before ? 'unchanged' : 'updated  '} ${path.pathname}`);
}
