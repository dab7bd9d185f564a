/**
 * The README's generated tables, made from the code itself: the tools (their descriptions as the
 * default settings render them) and the error catalogue. `npm run readmes` writes them; the
 * README test fails when they are stale.
 */
import { errorsTable, toolsTable, type ReadmeTables } from '@sessionless/kit';
import { DEFAULT_CART_LIMITS } from './config.js';
import { cartKind, type CartDeps } from './deps.js';
import { CART_ERRORS } from './domain/errors.js';
import { cartTools } from './tools/index.js';

export function cartReadmeTables(): ReadmeTables {
  return {
    tools: toolsTable(cartTools, { cartKind: cartKind(DEFAULT_CART_LIMITS) } as CartDeps),
    errors: errorsTable(CART_ERRORS),
  };
}
