/**
 * Regenerates the tools table in every server README from the tool definitions.
 * `npm run readmes` writes them; the servers' readme tests fail when a README is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { toolsTable, withToolsTable } from '@sessionless/kit';
import { AllowList } from '../servers/browser/src/domain/allow-list.js';
import { browserKind, browserTools, DEFAULT_BROWSER_LIMITS, type BrowserDeps } from '../servers/browser/src/server.js';
import { cartKind, cartTools, DEFAULT_CART_LIMITS, type CartDeps } from '../servers/cart/src/server.js';
import { SessionCart } from '../servers/session-cart/src/cart.js';
import { sessionCartTools } from '../servers/session-cart/src/tools/index.js';
import {
  DEFAULT_WORKSPACE_LIMITS,
  fileLimits,
  workspaceKind,
  workspaceTools,
  type WorkspaceDeps,
} from '../servers/workspace/src/server.js';

const readmes = [
  {
    path: new URL('../servers/cart/README.md', import.meta.url),
    table: toolsTable(cartTools, { cartKind: cartKind(DEFAULT_CART_LIMITS) } as CartDeps),
  },
  {
    path: new URL('../servers/browser/README.md', import.meta.url),
    table: toolsTable(browserTools, {
      browserKind: browserKind(DEFAULT_BROWSER_LIMITS),
      allowList: new AllowList(['http://127.0.0.1:4173']),
    } as BrowserDeps),
  },
  {
    path: new URL('../servers/workspace/README.md', import.meta.url),
    table: toolsTable(workspaceTools, {
      workspaceKind: workspaceKind(DEFAULT_WORKSPACE_LIMITS),
      limits: fileLimits(DEFAULT_WORKSPACE_LIMITS),
    } as WorkspaceDeps),
  },
  {
    path: new URL('../servers/session-cart/README.md', import.meta.url),
    table: toolsTable(sessionCartTools, new SessionCart()),
  },
];

for (const { path, table } of readmes) {
  const before = readFileSync(path, 'utf8');
  const after = withToolsTable(before, table);
  if (after !== before) writeFileSync(path, after);
  console.log(`${after === before ? 'unchanged' : 'updated  '} ${path.pathname}`);
}
