/**
 * The README's generated tables, made from the code itself: the tools (their descriptions as the
 * default settings render them, with the demo storefront allowed) and the error catalogue.
 * `npm run readmes` writes them; the README test fails when they are stale.
 */
import { errorsTable, toolsTable, type ReadmeTables } from '@sessionless/kit';
import { DEFAULT_BROWSER_LIMITS } from './config.js';
import { browserKind, type BrowserDeps } from './deps.js';
import { AllowList } from './domain/allow-list.js';
import { BROWSER_ERRORS } from './domain/errors.js';
import { browserTools } from './tools/index.js';

export function browserReadmeTables(): ReadmeTables {
  const deps = {
    browserKind: browserKind(DEFAULT_BROWSER_LIMITS),
    allowList: new AllowList(['http://127.0.0.1:4173']),
  } as BrowserDeps;
  return { tools: toolsTable(browserTools, deps), errors: errorsTable(BROWSER_ERRORS) };
}
